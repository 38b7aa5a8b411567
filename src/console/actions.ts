import { elementLabel } from '../../machines/completeness';
import {
  ATTENDEE_KINDS,
  DISCLOSURE_ATTRIBUTE_LABELS,
  DISCLOSURE_ATTRIBUTES,
  DOCUMENT_KINDS,
  FAIR_COMPETITION_CONCLUSION_LABELS,
  FAIR_COMPETITION_CONCLUSIONS,
  INTERPRETATION_ELEMENTS,
  INTERPRETATION_FORM_LABELS,
  INTERPRETATION_FORMS,
  LIVELIHOOD_AREAS,
} from '../../machines/dossier';
import { EVENT_LABELS, type FilingEventType } from '../../machines/filing.machine';
import { REASONS, REASON_CODES } from '../../machines/reasons';
import type { FilingView } from '../workflow/filings';

/** One form field of an action, rendered by templates/console/partials/field.hbs. */
export interface Field {
  id: string;
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'checkboxes' | 'checkbox' | 'datetime-local' | 'date' | 'url' | 'number';
  value?: string;
  rows?: number;
  required?: boolean;
  checked?: boolean;
  options?: Array<{ value: string; label: string; selected: boolean }>;
}

const LABELS: Record<string, string> = {
  ...INTERPRETATION_FORM_LABELS,
  ...DISCLOSURE_ATTRIBUTE_LABELS,
  rule: '规章',
  normative: '规范性文件',
  other: '其他',
  ...FAIR_COMPETITION_CONCLUSION_LABELS,
  cultureEducation: '文化教育',
  health: '医疗卫生',
  municipalPlanning: '城市规划',
  urbanConstruction: '城市建设',
  resourceDevelopment: '资源开发',
  environmentalProtection: '环境保护',
  socialSecurity: '社会保障',
  publicUtilities: '公用事业',
  npcDeputies: '人大代表',
  cppccMembers: '政协委员',
  publicRepresentatives: '公众代表',
  experts: '专家',
  media: '新闻媒体',
  stakeholders: '利益相关方',
};

const text = (name: string, label: string, value = '', required = false): Field => ({ id: name, name, label, kind: 'text', value, required });
const area = (name: string, label: string, value = '', required = false, rows = 3): Field => ({ id: name, name, label, kind: 'textarea', value, required, rows });
const check = (name: string, label: string, checked: boolean): Field => ({ id: name, name, label, kind: 'checkbox', checked });
const select = (name: string, label: string, values: readonly string[], current: string | null, blank?: string): Field => ({
  id: name,
  name,
  label,
  kind: 'select',
  options: [...(blank !== undefined ? [{ value: '', label: blank, selected: current === null }] : []), ...values.map((v) => ({ value: v, label: LABELS[v] ?? v, selected: v === current }))],
});
const boxes = (name: string, label: string, values: readonly string[], labels: Record<string, string>, current: readonly string[]): Field => ({
  id: name,
  name,
  label,
  kind: 'checkboxes',
  options: values.map((v) => ({ value: v, label: labels[v] ?? v, selected: current.includes(v) })),
});
const note = (required: boolean, label = '意见') => area('note', required ? label : `${label}（选填）`, '', required);
const meeting = () => text('meeting', '会议名称', '', true);

/** The fields each action asks for, prefilled from the filing where editing. */
export function fieldsFor(type: FilingEventType, view: FilingView, body: string): Field[] {
  const c = view.context;
  const p = c.particulars;
  switch (type) {
    case 'EDIT_TEXT':
      return [text('title', '标题', c.text.title, true), area('body', '正文', body, true, 14)];
    case 'EDIT_INTERPRETATION':
      return [
        area('plan', '解读方案', c.interpretation.plan ?? ''),
        ...INTERPRETATION_ELEMENTS.map((e) => area(`material_${e}`, `解读材料：${elementLabel(e)}`, c.interpretation.materials[e] ?? '')),
        boxes('forms', '解读形式（R5）', INTERPRETATION_FORMS, INTERPRETATION_FORM_LABELS, c.interpretation.forms),
      ];
    case 'EDIT_PARTICULARS':
      return [
        select('disclosure_attribute', '公开属性（R1）', DISCLOSURE_ATTRIBUTES, p.disclosure.attribute, '未选择'),
        text('disclosure_reason', '依申请公开或不予公开的理由', p.disclosure.reason ?? ''),
        select('documentKind', '文件类别', DOCUMENT_KINDS, p.documentKind),
        check('majorDecision', '重大行政决策（R8）', p.majorDecision),
        check('affectsEnterprises', '与企业生产经营密切相关（R9）', p.affectsEnterprises),
        check('touchesMarket', '涉及市场主体经济活动（R12）', p.touchesMarket),
        select('fairCompetition_conclusion', '公平竞争审查结论', FAIR_COMPETITION_CONCLUSIONS, p.fairCompetition?.conclusion ?? null, '未填写'),
        area('fairCompetition_summary', '公平竞争审查说明', p.fairCompetition?.summary ?? ''),
        // R12: only with 适用例外规定, and then all three.
        area('fairCompetition_exceptionGround', '适用例外的情形（适用例外规定时必填）', p.fairCompetition?.exceptionGround ?? ''),
        area('fairCompetition_exceptionNecessity', '适用例外的必要性说明（适用例外规定时必填）', p.fairCompetition?.exceptionNecessity ?? ''),
        {
          id: 'fairCompetition_exceptionEndsOn',
          name: 'fairCompetition_exceptionEndsOn',
          label: '例外规定的实施期限至（适用例外规定时必填）',
          kind: 'date',
          value: p.fairCompetition?.exceptionEndsOn ?? '',
        },
        boxes('livelihoodAreas', '涉及的重大民生领域（R10）', LIVELIHOOD_AREAS, LABELS, p.livelihoodAreas),
        text('survey_method', '民意调查方式', p.opinionSurvey?.method ?? ''),
        area('survey_summary', '民意调查结果', p.opinionSurvey?.summary ?? ''),
        { id: 'survey_conductedOn', name: 'survey_conductedOn', label: '民意调查日期', kind: 'date', value: p.opinionSurvey?.conductedOn ?? '' },
        check('meetingPlan', '附会议方案（R14）', p.meetingPlan),
        boxes('attendance_invitees', '拟邀请列席（R14）', ATTENDEE_KINDS, LABELS, p.attendanceProposal?.invitees ?? []),
        check('attendance_public', '会议公开', p.attendanceProposal?.meetingPublic ?? false),
        text('attendance_arrangement', '列席和公开安排', p.attendanceProposal?.arrangement ?? ''),
        check('opinionsSolicitedOffline', '已通过其他方式征求意见（R11）', p.opinionsSolicitedOffline),
      ];
    case 'START_CONSULTATION':
      return [
        { id: 'endsAt', name: 'endsAt', label: '征求意见截止时间', kind: 'datetime-local', required: true },
        area('basis', '决策依据', '', true),
        area('background', '背景', '', true),
        area('explanation', '起草说明', '', true),
        text('shortenedReason', '缩短征求意见期的理由（期限短于规定时必填）'),
      ];
    case 'EXTEND_CONSULTATION':
      return [{ id: 'endsAt', name: 'endsAt', label: '延长至', kind: 'datetime-local', required: true }, area('reason', '延长理由', '', true)];
    case 'RETURN':
      return [
        boxes('reasons', '退文理由（R18）', REASON_CODES, Object.fromEntries(REASON_CODES.map((code) => [code, `${REASONS[code].label}（${REASONS[code].rule}）`])), []),
        note(false, '退文说明'),
      ];
    case 'APPROVE_INTERPRETATION':
    case 'CLEAR_FOR_PUBLICATION':
      return [note(false)];
    case 'REJECT_INTERPRETATION':
    case 'REFUSE_CLEARANCE':
    case 'RETURN_ADOPTION_REPORT':
      return [note(true)];
    case 'WITHDRAW':
      return [note(true, '撤回理由')];
    case 'PASS_LEGALITY_REVIEW':
    case 'FAIL_LEGALITY_REVIEW':
    case 'PASS_FAIR_COMPETITION_REVIEW':
    case 'FAIL_FAIR_COMPETITION_REVIEW':
      return [area('opinion', '审查意见', '', true)];
    case 'ADOPT':
      return [meeting(), note(false)];
    case 'SEND_BACK_FOR_AMENDMENT':
    case 'REJECT':
    case 'DEFER':
      return [meeting(), note(true)];
    case 'SIGN':
      return [text('documentNumber', '文号', '', true)];
    case 'PUBLISH':
      return [
        { id: 'url', name: 'url', label: '发布网址（选填）', kind: 'url' },
        { id: 'effectiveFrom', name: 'effectiveFrom', label: '施行日期（选填，默认为发布当日，R17）', kind: 'date' },
        { id: 'expiresOn', name: 'expiresOn', label: '有效期至（选填）', kind: 'date' },
      ];
    case 'ADD_FOLLOW_UP':
      return [
        select('form', '解读形式（R5）', INTERPRETATION_FORMS, null),
        text('title', '标题', '', true),
        area('body', '解读内容（与链接至少填一项）', '', false, 6),
        { id: 'url', name: 'url', label: '链接（选填）', kind: 'url' },
        text('concern', '回应的社会关切（选填）'),
      ];
    case 'AMEND':
      return [
        text('document_title', '修改文件标题', '', true),
        text('document_number', '修改文件文号（选填）'),
        { id: 'document_url', name: 'document_url', label: '修改文件链接（选填）', kind: 'url' },
        { id: 'effectiveOn', name: 'effectiveOn', label: '修改施行日期', kind: 'date', required: true },
      ];
    case 'REPEAL':
      return [
        { id: 'effectiveOn', name: 'effectiveOn', label: '废止日期', kind: 'date', required: true },
        area('note', '废止说明', '', true),
        text('document_title', '废止依据文件标题（选填）'),
        text('document_number', '废止依据文号（选填）'),
        { id: 'document_url', name: 'document_url', label: '废止依据链接（选填）', kind: 'url' },
      ];
    case 'SET_EXPIRY':
      return [{ id: 'expiresOn', name: 'expiresOn', label: '有效期至（留空表示长期有效）', kind: 'date', value: view.context.validity?.expiresOn ?? '' }];
    default:
      return [];
  }
}

export function actionsFor(view: FilingView, body: string) {
  return view.allowedEvents.map((type) => ({
    type,
    label: EVENT_LABELS[type],
    // Every property present, since the templates run in strict mode.
    fields: fieldsFor(type, view, body).map((f) => ({
      value: '',
      rows: 3,
      required: false,
      checked: false,
      options: [],
      ...f,
      id: `${type}-${f.id}`,
    })),
  }));
}

type Form = Record<string, string | string[] | undefined>;

const one = (form: Form, key: string): string => {
  const value = form[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
};
const many = (form: Form, key: string): string[] => {
  const value = form[key];
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
};
const orNull = (value: string): string | null => (value === '' ? null : value);
/** A datetime-local value is wall-clock time in China Standard Time. */
const instant = (value: string): string => (value === '' ? '' : `${value.length === 16 ? `${value}:00` : value}+08:00`);

const documentFrom = (form: Form) => ({
  title: one(form, 'document_title'),
  documentNumber: orNull(one(form, 'document_number')),
  url: orNull(one(form, 'document_url')),
});

/** R12: the exception's ground, necessity and time limit belong to an exception only; otherwise left out. */
function fairCompetitionFrom(form: Form, conclusion: string) {
  const exception = conclusion === 'compliantWithException';
  const field = (key: string) => (exception ? orNull(one(form, `fairCompetition_${key}`)) : null);
  return {
    conclusion,
    summary: one(form, 'fairCompetition_summary'),
    exceptionGround: field('exceptionGround'),
    exceptionNecessity: field('exceptionNecessity'),
    exceptionEndsOn: field('exceptionEndsOn'),
  };
}

/** Turns a submitted action form into an API command; the API's own validation then applies. */
export function commandFrom(form: Form): Record<string, unknown> {
  const type = one(form, 'type') as FilingEventType;
  const command: Record<string, unknown> = { type, version: Number(one(form, 'version')) };
  switch (type) {
    case 'EDIT_TEXT':
      return { ...command, title: one(form, 'title'), body: one(form, 'body') };
    case 'EDIT_INTERPRETATION':
      return {
        ...command,
        patch: {
          plan: orNull(one(form, 'plan')),
          materials: Object.fromEntries(INTERPRETATION_ELEMENTS.map((e) => [e, orNull(one(form, `material_${e}`))])),
          forms: many(form, 'forms'),
        },
      };
    case 'EDIT_PARTICULARS': {
      const conclusion = one(form, 'fairCompetition_conclusion');
      const surveyMethod = one(form, 'survey_method');
      const invitees = many(form, 'attendance_invitees');
      const arrangement = one(form, 'attendance_arrangement');
      return {
        ...command,
        patch: {
          disclosure: { attribute: orNull(one(form, 'disclosure_attribute')), reason: orNull(one(form, 'disclosure_reason')) },
          documentKind: one(form, 'documentKind') || 'other',
          majorDecision: one(form, 'majorDecision') === 'true',
          affectsEnterprises: one(form, 'affectsEnterprises') === 'true',
          touchesMarket: one(form, 'touchesMarket') === 'true',
          fairCompetition: conclusion ? fairCompetitionFrom(form, conclusion) : null,
          livelihoodAreas: many(form, 'livelihoodAreas'),
          opinionSurvey: surveyMethod
            ? { method: surveyMethod, summary: one(form, 'survey_summary'), conductedOn: one(form, 'survey_conductedOn') }
            : null,
          meetingPlan: one(form, 'meetingPlan') === 'true',
          attendanceProposal:
            invitees.length > 0 || arrangement
              ? { invitees, meetingPublic: one(form, 'attendance_public') === 'true', arrangement }
              : null,
          opinionsSolicitedOffline: one(form, 'opinionsSolicitedOffline') === 'true',
        },
      };
    }
    case 'START_CONSULTATION':
      return {
        ...command,
        endsAt: instant(one(form, 'endsAt')),
        basis: one(form, 'basis'),
        background: one(form, 'background'),
        explanation: one(form, 'explanation'),
        shortenedReason: orNull(one(form, 'shortenedReason')),
      };
    case 'EXTEND_CONSULTATION':
      return { ...command, endsAt: instant(one(form, 'endsAt')), reason: one(form, 'reason') };
    case 'RETURN':
      return { ...command, reasons: many(form, 'reasons').map((code) => ({ code })), note: orNull(one(form, 'note')) };
    case 'APPROVE_INTERPRETATION':
    case 'CLEAR_FOR_PUBLICATION':
      return { ...command, note: orNull(one(form, 'note')) };
    case 'REJECT_INTERPRETATION':
    case 'REFUSE_CLEARANCE':
    case 'RETURN_ADOPTION_REPORT':
    case 'WITHDRAW':
      return { ...command, note: one(form, 'note') };
    case 'PASS_LEGALITY_REVIEW':
    case 'FAIL_LEGALITY_REVIEW':
    case 'PASS_FAIR_COMPETITION_REVIEW':
    case 'FAIL_FAIR_COMPETITION_REVIEW':
      return { ...command, opinion: one(form, 'opinion') };
    case 'ADOPT':
      return { ...command, meeting: one(form, 'meeting'), note: orNull(one(form, 'note')) };
    case 'SEND_BACK_FOR_AMENDMENT':
    case 'REJECT':
    case 'DEFER':
      return { ...command, meeting: one(form, 'meeting'), note: one(form, 'note') };
    case 'SIGN':
      return { ...command, documentNumber: one(form, 'documentNumber') };
    case 'PUBLISH':
      return { ...command, url: orNull(one(form, 'url')), effectiveFrom: orNull(one(form, 'effectiveFrom')), expiresOn: orNull(one(form, 'expiresOn')) };
    case 'ADD_FOLLOW_UP':
      return {
        ...command,
        form: one(form, 'form'),
        title: one(form, 'title'),
        body: orNull(one(form, 'body')),
        url: orNull(one(form, 'url')),
        concern: orNull(one(form, 'concern')),
      };
    case 'AMEND':
      return { ...command, document: documentFrom(form), effectiveOn: one(form, 'effectiveOn') };
    case 'REPEAL':
      return { ...command, effectiveOn: one(form, 'effectiveOn'), note: one(form, 'note'), document: one(form, 'document_title') ? documentFrom(form) : null };
    case 'SET_EXPIRY':
      return { ...command, expiresOn: orNull(one(form, 'expiresOn')) };
    default:
      return command;
  }
}
