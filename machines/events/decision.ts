import { ask, concerned, defineEvent, everyDepartment } from './define';
import { form, input } from './form';
import { LIMITS, note, text } from './schema';

/** 集体讨论决定 (R13): the meeting adopts, sends back, rejects or defers. */

const meeting = text(LIMITS.title).describe('The meeting that decided, e.g. 第12次常务会议 (R13).');
const meetingInput = input.text('meeting', '会议名称', { required: true });

export const DECISION = {
  ADOPT: defineEvent('ADOPT', {
    label: '集体讨论通过',
    description: 'The meeting adopts the document; it goes to the signer.',
    rules: ['R13'],
    who: { roles: ['meetingSecretary'], scope: 'office' },
    shape: { meeting, note: note.nullable().optional().describe("The meeting's remarks.") },
    notify: { signing: [ask('signing-due', 'signer'), concerned(everyDepartment)] },
    form: form(meetingInput, input.note(false)),
  }),

  SEND_BACK_FOR_AMENDMENT: defineEvent('SEND_BACK_FOR_AMENDMENT', {
    label: '集体讨论退回修改',
    description: 'The meeting asks for changes: back to the drafting department.',
    rules: ['R13'],
    who: { roles: ['meetingSecretary'], scope: 'office' },
    shape: { meeting, note: note.describe('What must be amended.') },
    notify: { amendmentRequested: [{ template: 'amendment-requested', to: everyDepartment }] },
    form: form(meetingInput, input.note(true)),
  }),

  REJECT: defineEvent('REJECT', {
    label: '集体讨论未通过',
    description: 'The meeting rejects the document; the filing ends.',
    rules: ['R13'],
    who: { roles: ['meetingSecretary'], scope: 'office' },
    shape: { meeting, note: note.describe('Why the draft is rejected.') },
    notify: { rejected: [concerned(everyDepartment)] },
    form: form(meetingInput, input.note(true)),
  }),

  DEFER: defineEvent('DEFER', {
    label: '暂缓审议',
    description: 'The meeting defers the decision.',
    rules: ['R13'],
    who: { roles: ['meetingSecretary'], scope: 'office' },
    shape: { meeting, note: note.describe('Why the decision is deferred.') },
    notify: { deferred: [concerned()] },
    form: form(meetingInput, input.note(true)),
  }),

  RESCHEDULE: defineEvent('RESCHEDULE', {
    label: '重新提交审议',
    description: 'A deferred filing is put on an agenda again.',
    rules: ['R13'],
    who: { roles: ['meetingSecretary'], scope: 'office' },
    shape: {},
    notify: { awaitingDecision: [ask('decision-due', 'meetingSecretary')] },
  }),
};
