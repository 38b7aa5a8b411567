import { elementLabel } from '../completeness';
import {
  ATTENDEE_KINDS,
  DISCLOSURE_ATTRIBUTES,
  DOCUMENT_KINDS,
  FAIR_COMPETITION_CONCLUSIONS,
  INTERPRETATION_ELEMENTS,
  INTERPRETATION_FORM_LABELS,
  INTERPRETATION_FORMS,
  LIVELIHOOD_AREAS,
  type Particulars,
} from '../dossier';
import { chartTakes, defineEvent, nobody } from './define';
import { f, form, input, many, one, orNull, VALUE_LABELS, type FormValues } from './form';
import { interpretationPatch, LIMITS, nonEmpty, note, particularsPatch, text } from './schema';

/** Drafting (R2, R3): the text and its interpretation side by side, and withdrawal before signing. */

/** R12: the exception's ground, necessity and time limit belong to an exception only; otherwise left out. */
function fairCompetitionFrom(values: FormValues, conclusion: string) {
  const exception = conclusion === 'compliantWithException';
  const field = (key: string) => (exception ? orNull(one(values, `fairCompetition_${key}`)) : null);
  return {
    conclusion,
    summary: one(values, 'fairCompetition_summary'),
    exceptionGround: field('exceptionGround'),
    exceptionNecessity: field('exceptionNecessity'),
    exceptionEndsOn: field('exceptionEndsOn'),
  };
}

export const DRAFTING = {
  EDIT_TEXT: defineEvent('EDIT_TEXT', {
    label: '修改文件正文',
    description: 'Stores a new text version (and title). Also allowed during disposition, to revise the draft in the light of the comments.',
    rules: ['R2'],
    who: { roles: ['drafter'], scope: 'member' },
    shape: {
      title: text(LIMITS.title).optional().describe('A new title, if it changes.'),
      body: text(LIMITS.body).describe('The new full text; stored as a new text version.'),
    },
    // The server stores the body under its hash; the chart keeps only the reference.
    chart: chartTakes<{ title: string; textSha256: string; textLength: number }>(),
    notify: { drafting: nobody, disposition: nobody },
    form: {
      fields: ({ context, body }) => [f.text('title', '标题', context.text.title, true), f.area('body', '正文', body, true, 14)],
      read: (values) => ({ title: one(values, 'title'), body: one(values, 'body') }),
    },
  }),

  FINALIZE_TEXT: defineEvent('FINALIZE_TEXT', {
    label: '正文定稿',
    description: 'Marks the text final (定稿); required before the head submits.',
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {},
    notify: { drafting: nobody },
  }),

  REOPEN_TEXT: defineEvent('REOPEN_TEXT', {
    label: '重新修改正文',
    description: 'Reopens a finalised text for editing.',
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {},
    notify: { drafting: nobody },
  }),

  EDIT_INTERPRETATION: defineEvent('EDIT_INTERPRETATION', {
    label: '修改解读方案和材料',
    description: 'Edits the interpretation package: plan, materials by R4 element, forms and items by R5 form.',
    rules: ['R2', 'R4', 'R5'],
    who: { roles: ['drafter'], scope: 'member' },
    shape: { patch: nonEmpty(interpretationPatch).describe('Only the parts that change, at least one.') },
    notify: { drafting: nobody },
    form: {
      fields: ({ context }) => [
        f.area('plan', '解读方案', context.interpretation.plan ?? ''),
        ...INTERPRETATION_ELEMENTS.map((e) => f.area(`material_${e}`, `解读材料：${elementLabel(e)}`, context.interpretation.materials[e] ?? '')),
        f.boxes('forms', '解读形式（R5）', INTERPRETATION_FORMS, INTERPRETATION_FORM_LABELS, context.interpretation.forms),
      ],
      read: (values) => ({
        patch: {
          plan: orNull(one(values, 'plan')),
          materials: Object.fromEntries(INTERPRETATION_ELEMENTS.map((e) => [e, orNull(one(values, `material_${e}`))])),
          forms: many(values, 'forms'),
        },
      }),
    },
  }),

  REQUEST_INTERPRETATION_APPROVAL: defineEvent('REQUEST_INTERPRETATION_APPROVAL', {
    label: '提请审定解读方案和材料',
    description: "Asks the lead department's principal head to approve the interpretation package.",
    rules: ['R2', 'R3'],
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {},
    notify: { drafting: [{ template: 'interpretation-approval-requested', to: [{ role: 'departmentHead', departments: 'lead' }] }] },
  }),

  APPROVE_INTERPRETATION: defineEvent('APPROVE_INTERPRETATION', {
    label: '审定同意解读方案和材料',
    description: 'The principal head approves the interpretation package (第一解读人).',
    rules: ['R2', 'R3'],
    who: { roles: ['departmentHead'], scope: 'lead' },
    shape: { note: note.nullable().optional().describe("The head's remark on approving (审定意见).") },
    notify: { drafting: [{ template: 'interpretation-decided', to: [{ role: 'drafter', departments: 'all' }] }] },
    form: form(input.note(false)),
  }),

  REJECT_INTERPRETATION: defineEvent('REJECT_INTERPRETATION', {
    label: '退回解读方案和材料',
    description: 'The principal head sends the package back with what to change.',
    rules: ['R2'],
    who: { roles: ['departmentHead'], scope: 'lead' },
    shape: { note: note.describe('What the drafters must change.') },
    notify: { drafting: [{ template: 'interpretation-decided', to: [{ role: 'drafter', departments: 'all' }] }] },
    form: form(input.note(true)),
  }),

  REOPEN_INTERPRETATION: defineEvent('REOPEN_INTERPRETATION', {
    label: '重新修改解读方案和材料',
    description: 'Reopens an approved package; the approval is withdrawn.',
    rules: ['R2'],
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {},
    notify: { drafting: nobody },
  }),

  EDIT_PARTICULARS: defineEvent('EDIT_PARTICULARS', {
    label: '修改报送事项',
    description: 'Edits what the completeness check reads: disclosure attribute (R1), kind of document, major decision, R10–R14 particulars.',
    rules: ['R1', 'R8', 'R10', 'R11', 'R12', 'R14'],
    who: { roles: ['drafter'], scope: 'lead' },
    shape: { patch: nonEmpty(particularsPatch).describe('Only the particulars that change, at least one.') },
    chart: chartTakes<{ patch: Partial<Particulars> }>(),
    notify: { drafting: nobody },
    form: {
      fields: ({ context }) => {
        const p = context.particulars;
        return [
          f.select('disclosure_attribute', '公开属性（R1）', DISCLOSURE_ATTRIBUTES, p.disclosure.attribute, '未选择'),
          f.text('disclosure_reason', '依申请公开或不予公开的理由', p.disclosure.reason ?? ''),
          f.select('documentKind', '文件类别', DOCUMENT_KINDS, p.documentKind),
          f.check('majorDecision', '重大行政决策（R8）', p.majorDecision),
          f.check('affectsEnterprises', '与企业生产经营密切相关（R9）', p.affectsEnterprises),
          f.check('touchesMarket', '涉及市场主体经济活动（R12）', p.touchesMarket),
          f.select('fairCompetition_conclusion', '公平竞争审查结论', FAIR_COMPETITION_CONCLUSIONS, p.fairCompetition?.conclusion ?? null, '未填写'),
          f.area('fairCompetition_summary', '公平竞争审查说明', p.fairCompetition?.summary ?? ''),
          // R12: only with 适用例外规定, and then all three.
          f.area('fairCompetition_exceptionGround', '适用例外的情形（适用例外规定时必填）', p.fairCompetition?.exceptionGround ?? ''),
          f.area('fairCompetition_exceptionNecessity', '适用例外的必要性说明（适用例外规定时必填）', p.fairCompetition?.exceptionNecessity ?? ''),
          f.typed('date', 'fairCompetition_exceptionEndsOn', '例外规定的实施期限至（适用例外规定时必填）', p.fairCompetition?.exceptionEndsOn ?? ''),
          f.boxes('livelihoodAreas', '涉及的重大民生领域（R10）', LIVELIHOOD_AREAS, VALUE_LABELS, p.livelihoodAreas),
          f.text('survey_method', '民意调查方式', p.opinionSurvey?.method ?? ''),
          f.area('survey_summary', '民意调查结果', p.opinionSurvey?.summary ?? ''),
          f.typed('date', 'survey_conductedOn', '民意调查日期', p.opinionSurvey?.conductedOn ?? ''),
          f.check('meetingPlan', '附会议方案（R14）', p.meetingPlan),
          f.boxes('attendance_invitees', '拟邀请列席（R14）', ATTENDEE_KINDS, VALUE_LABELS, p.attendanceProposal?.invitees ?? []),
          f.check('attendance_public', '会议公开', p.attendanceProposal?.meetingPublic ?? false),
          f.text('attendance_arrangement', '列席和公开安排', p.attendanceProposal?.arrangement ?? ''),
          f.check('opinionsSolicitedOffline', '已通过其他方式征求意见（R11）', p.opinionsSolicitedOffline),
        ];
      },
      read: (values) => {
        const conclusion = one(values, 'fairCompetition_conclusion');
        const surveyMethod = one(values, 'survey_method');
        const invitees = many(values, 'attendance_invitees');
        const arrangement = one(values, 'attendance_arrangement');
        return {
          patch: {
            disclosure: { attribute: orNull(one(values, 'disclosure_attribute')), reason: orNull(one(values, 'disclosure_reason')) },
            documentKind: one(values, 'documentKind') || 'other',
            majorDecision: one(values, 'majorDecision') === 'true',
            affectsEnterprises: one(values, 'affectsEnterprises') === 'true',
            touchesMarket: one(values, 'touchesMarket') === 'true',
            fairCompetition: conclusion ? fairCompetitionFrom(values, conclusion) : null,
            livelihoodAreas: many(values, 'livelihoodAreas'),
            opinionSurvey: surveyMethod
              ? { method: surveyMethod, summary: one(values, 'survey_summary'), conductedOn: one(values, 'survey_conductedOn') }
              : null,
            meetingPlan: one(values, 'meetingPlan') === 'true',
            attendanceProposal:
              invitees.length > 0 || arrangement ? { invitees, meetingPublic: one(values, 'attendance_public') === 'true', arrangement } : null,
            opinionsSolicitedOffline: one(values, 'opinionsSolicitedOffline') === 'true',
          },
        };
      },
    },
  }),
};
