import { ask, concerned, defineEvent, everyDepartment, nobody } from './define';
import { form, input } from './form';
import { note } from './schema';

/** Legality review (R13) and, beside it where R12 applies, fair competition review. */

const opinion = { opinion: note.describe('The review opinion (审查意见); a failed review sends the filing back for amendment.') };
const opinionForm = form(input.area('opinion', '审查意见', { required: true }));
const passed = { review: nobody, awaitingDecision: [ask('decision-due', 'meetingSecretary'), concerned()] };
const failed = { amendmentRequested: [{ template: 'amendment-requested' as const, to: everyDepartment }] };

export const REVIEW = {
  PASS_LEGALITY_REVIEW: defineEvent('PASS_LEGALITY_REVIEW', {
    label: '合法性审查通过',
    description: 'Legality review passed; once both reviews are done the filing awaits the collective decision.',
    rules: ['R13'],
    who: { roles: ['legalReviewer'], scope: 'office' },
    shape: opinion,
    // A review that finishes while the other is still running changes nothing for anyone else.
    notify: passed,
    form: opinionForm,
  }),

  FAIL_LEGALITY_REVIEW: defineEvent('FAIL_LEGALITY_REVIEW', {
    label: '合法性审查未通过',
    description: 'Legality review failed: sent back to the drafting department for amendment.',
    rules: ['R13'],
    who: { roles: ['legalReviewer'], scope: 'office' },
    shape: opinion,
    notify: failed,
    form: opinionForm,
  }),

  PASS_FAIR_COMPETITION_REVIEW: defineEvent('PASS_FAIR_COMPETITION_REVIEW', {
    label: '公平竞争审查通过',
    description: 'Fair competition review passed.',
    rules: ['R12'],
    who: { roles: ['fairCompetitionReviewer'], scope: 'office' },
    shape: opinion,
    notify: passed,
    form: opinionForm,
  }),

  FAIL_FAIR_COMPETITION_REVIEW: defineEvent('FAIL_FAIR_COMPETITION_REVIEW', {
    label: '公平竞争审查未通过',
    description: 'Fair competition review failed: sent back for amendment.',
    rules: ['R12'],
    who: { roles: ['fairCompetitionReviewer'], scope: 'office' },
    shape: opinion,
    notify: failed,
    form: opinionForm,
  }),
};
