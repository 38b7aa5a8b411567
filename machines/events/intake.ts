import { z } from 'zod';
import { REASON_CODES, REASONS } from '../reasons';
import { ask, concerned, defineEvent, everyDepartment, leadDepartment, nobody } from './define';
import { f, many, one, orNull } from './form';
import { note } from './schema';

/** Filing to the general office, the completeness check, and returns (退文, R18). */

export const INTAKE = {
  SUBMIT: defineEvent('SUBMIT', {
    label: '签发报送政府办公室',
    description: "The head signs the filing off to the general office. The completeness check decides at once: complete → the general office's inbox; incomplete → returned with every deficiency (answered 422 FILING_INCOMPLETE, counted as a return).",
    rules: ['R1', 'R2', 'R4', 'R8', 'R10', 'R11', 'R12', 'R14', 'R18'],
    who: { roles: ['departmentHead'], scope: 'lead' },
    shape: {},
    notify: {
      awaitingIntake: [ask('filing-arrived', 'clerk'), concerned(everyDepartment)],
      returned: [{ template: 'filing-returned', to: leadDepartment }],
    },
  }),

  ACCEPT: defineEvent('ACCEPT', {
    label: '审核通过并受理',
    description: 'The general office accepts the filing: legality review starts, with fair competition review beside it where R12 applies.',
    rules: ['R12', 'R13'],
    who: { roles: ['clerk'], scope: 'office' },
    shape: {},
    notify: {
      // Each reviewer learns that their review is due.
      review: [
        { template: 'review-due', to: [{ role: 'legalReviewer' }], when: 'legalityReviewPending' },
        { template: 'review-due', to: [{ role: 'fairCompetitionReviewer' }], when: 'fairCompetitionReviewPending' },
        concerned(everyDepartment),
      ],
    },
  }),

  RETURN: defineEvent('RETURN', {
    label: '退文',
    description: 'The general office returns the filing with coded reasons (退文).',
    rules: ['R18'],
    who: { roles: ['clerk'], scope: 'office' },
    shape: {
      reasons: z
        .array(
          z.strictObject({
            code: z.enum(REASON_CODES).describe('A return code; each names the rule it serves (see docs/statechart.md).'),
            field: z.string().max(200).optional().describe('The part of the dossier concerned, e.g. `interpretation.materials.scope`.'),
          }),
        )
        .min(1)
        .max(REASON_CODES.length * 4)
        .describe('Why the filing is returned (退文), as coded reasons (R18).'),
      note: note.nullable().optional().describe('What the codes do not say; required with `R18_OTHER`.'),
    },
    // R18: a return gives coded reasons; free text is for what the codes do not say.
    refine: (schema) =>
      schema.refine((r) => !(r.reasons as Array<{ code: string }>).some((reason) => reason.code === 'R18_OTHER') || Boolean(r.note), {
        message: '选择“其他原因”时须填写退文说明',
        path: ['note'],
      }),
    notify: { returned: [{ template: 'filing-returned', to: everyDepartment }] },
    form: {
      fields: () => [
        f.boxes('reasons', '退文理由（R18）', REASON_CODES, Object.fromEntries(REASON_CODES.map((code) => [code, `${REASONS[code].label}（${REASONS[code].rule}）`])), []),
        f.area('note', '退文说明（选填）', '', false),
      ],
      read: (values) => ({ reasons: many(values, 'reasons').map((code) => ({ code })), note: orNull(one(values, 'note')) }),
    },
  }),

  REVISE: defineEvent('REVISE', {
    label: '按意见修改',
    description: 'The drafting department takes a returned or sent-back filing back into drafting; an approved interpretation stays approved.',
    rules: ['R18'],
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {},
    notify: { drafting: nobody },
  }),
};
