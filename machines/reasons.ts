/**
 * The coded reasons a filing can be refused or returned (退文) for. Each names the rule it
 * serves, so a return can be traced to the rulebook and counted per rule (R18, R20).
 */

export type RuleId = `R${number}`;

interface ReasonDefinition {
  rule: RuleId;
  /** Shown to users: Simplified Chinese. */
  label: string;
  /** Detected by the completeness check (as opposed to only judged by the clerk). */
  detectable: boolean;
}

export const REASONS = {
  R1_DISCLOSURE_ATTRIBUTE_MISSING: { rule: 'R1', label: '未标明公开属性', detectable: true },
  R1_DISCLOSURE_REASON_MISSING: {
    rule: 'R1',
    label: '依申请公开或不予公开未说明理由',
    detectable: true,
  },
  // R1 with R17: an unpublished rule or normative document is no basis for administration.
  R1_NORMATIVE_NOT_PROACTIVE: {
    rule: 'R1',
    label: '规章、规范性文件应当主动公开，未经公布的不得作为行政管理依据',
    detectable: true,
  },
  R2_INTERPRETATION_PLAN_MISSING: { rule: 'R2', label: '未同步报送解读方案', detectable: true },
  R2_INTERPRETATION_MATERIALS_MISSING: { rule: 'R2', label: '未同步报送解读材料', detectable: true },
  R2_INTERPRETATION_NOT_APPROVED: {
    rule: 'R2',
    label: '解读方案和解读材料未经起草部门主要负责人审定',
    detectable: true,
  },
  R4_INTERPRETATION_ELEMENT_MISSING: {
    rule: 'R4',
    label: '解读材料缺少必备要素',
    detectable: true,
  },
  R8_CONSULTATION_MISSING: {
    rule: 'R8',
    label: '重大决策事项未向社会公开征求意见',
    detectable: true,
  },
  R10_OPINION_SURVEY_MISSING: { rule: 'R10', label: '重大民生事项未开展民意调查', detectable: true },
  R11_ADOPTION_REPORT_MISSING: {
    rule: 'R11',
    label: '已征求意见但未附意见收集和采纳情况说明',
    detectable: true,
  },
  R12_FAIR_COMPETITION_CONCLUSION_MISSING: {
    rule: 'R12',
    label: '涉及市场主体经济活动但未附公平竞争审查结论',
    detectable: true,
  },
  // R12 (公平竞争审查条例, 2024): a measure that restricts competition is not issued unless an exception applies.
  R12_FAIR_COMPETITION_NOT_COMPLIANT: {
    rule: 'R12',
    label: '公平竞争审查结论为排除、限制竞争，须修改后再报送',
    detectable: true,
  },
  R12_EXCEPTION_GROUND_MISSING: {
    rule: 'R12',
    label: '适用公平竞争审查例外规定但未说明适用例外的情形',
    detectable: true,
  },
  R12_EXCEPTION_NECESSITY_MISSING: {
    rule: 'R12',
    label: '适用公平竞争审查例外规定但未说明必要性',
    detectable: true,
  },
  R12_EXCEPTION_TERM_MISSING: {
    rule: 'R12',
    label: '适用公平竞争审查例外规定但未明确实施期限',
    detectable: true,
  },
  R14_ATTENDANCE_PROPOSAL_MISSING: {
    rule: 'R14',
    label: '重大民生事项会议方案未提出列席和公开安排',
    detectable: true,
  },
  R18_INTERPRETATION_INADEQUATE: {
    rule: 'R18',
    label: '解读内容空泛、照搬原文，未达到解读要求',
    detectable: false,
  },
  R18_FORMAT_NONCONFORMING: { rule: 'R18', label: '公文格式不规范', detectable: false },
  R18_OTHER: { rule: 'R18', label: '其他原因（见说明）', detectable: false },
} as const satisfies Record<string, ReasonDefinition>;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

export interface Deficiency {
  code: ReasonCode;
  rule: RuleId;
  message: string;
  /** The dossier field concerned, e.g. `interpretation.materials.scope`. */
  field: string;
}

/** A reason given on a return: a code, optionally pinned to a field (R18). */
export interface ReturnReason {
  code: ReasonCode;
  field?: string;
}

export function reasonRule(code: ReasonCode): RuleId {
  return REASONS[code].rule;
}
