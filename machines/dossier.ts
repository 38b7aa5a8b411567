/**
 * The filing's workflow-relevant content ("dossier"): what the statechart's guards and the
 * completeness check look at. Text bodies live outside the snapshot (content-addressed in the
 * store); the snapshot keeps only their version number and title.
 */

/** R1: the three disclosure attributes (公开属性). */
export const DISCLOSURE_ATTRIBUTES = ['proactive', 'onApplication', 'notPublic'] as const;
export type DisclosureAttribute = (typeof DISCLOSURE_ATTRIBUTES)[number];

export const DISCLOSURE_ATTRIBUTE_LABELS: Record<DisclosureAttribute, string> = {
  proactive: '主动公开',
  onApplication: '依申请公开',
  notPublic: '不予公开',
};

/** R2: in whose name the document is issued. */
export const ISSUERS = ['government', 'generalOffice', 'department'] as const;
export type Issuer = (typeof ISSUERS)[number];

/** R9: rules (规章) and normative documents (规范性文件) have statutory comment periods. */
export const DOCUMENT_KINDS = ['rule', 'normative', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** R4: the five elements every interpretation must cover. */
export const REQUIRED_INTERPRETATION_ELEMENTS = [
  'background',
  'objectives',
  'mainContent',
  'scope',
  'executionStandards',
] as const;
/** R4: elements to cover where relevant. */
export const OPTIONAL_INTERPRETATION_ELEMENTS = [
  'pointsOfAttention',
  'keyTerms',
  'benefitMeasures',
  'policyDifferences',
] as const;
export const INTERPRETATION_ELEMENTS = [
  ...REQUIRED_INTERPRETATION_ELEMENTS,
  ...OPTIONAL_INTERPRETATION_ELEMENTS,
] as const;
export type InterpretationElement = (typeof INTERPRETATION_ELEMENTS)[number];

/** R5: forms an interpretation can take. */
export const INTERPRETATION_FORMS = [
  'officialArticle',
  'expertInterpretation',
  'policyQa',
  'onlineInterview',
  'mediaInterview',
  'pressConference',
  'graphic',
  'audio',
  'video',
] as const;
export type InterpretationForm = (typeof INTERPRETATION_FORMS)[number];

export const INTERPRETATION_FORM_LABELS: Record<InterpretationForm, string> = {
  officialArticle: '撰稿解读',
  expertInterpretation: '专家解读',
  policyQa: '政策问答',
  onlineInterview: '在线访谈',
  mediaInterview: '媒体专访',
  pressConference: '新闻发布会',
  graphic: '图解',
  audio: '音频',
  video: '视频',
};

/** R10: the major livelihood areas that need an opinion survey. */
export const LIVELIHOOD_AREAS = [
  'cultureEducation',
  'health',
  'municipalPlanning',
  'urbanConstruction',
  'resourceDevelopment',
  'environmentalProtection',
  'socialSecurity',
  'publicUtilities',
] as const;
export type LivelihoodArea = (typeof LIVELIHOOD_AREAS)[number];

/** R14: who may be invited to attend the meeting that decides. */
export const ATTENDEE_KINDS = [
  'npcDeputies',
  'cppccMembers',
  'publicRepresentatives',
  'experts',
  'media',
  'stakeholders',
] as const;
export type AttendeeKind = (typeof ATTENDEE_KINDS)[number];

/**
 * R12: the drafting unit's own fair competition review conclusion. Under the national review
 * system (公平竞争审查条例, 2024) a measure found to exclude or restrict competition
 * (`notCompliant`) is not issued; one that does so under an exception (`compliantWithException`)
 * states the exception's ground, why it is necessary, and its time limit.
 */
export const FAIR_COMPETITION_CONCLUSIONS = ['compliant', 'compliantWithException', 'notCompliant'] as const;
export type FairCompetitionConclusionKind = (typeof FAIR_COMPETITION_CONCLUSIONS)[number];

export const FAIR_COMPETITION_CONCLUSION_LABELS: Record<FairCompetitionConclusionKind, string> = {
  compliant: '符合公平竞争审查标准',
  compliantWithException: '适用例外规定',
  notCompliant: '不符合，需修改',
};

export interface Disclosure {
  attribute: DisclosureAttribute | null;
  /** R1: required for onApplication and notPublic. */
  reason: string | null;
}

export interface FairCompetitionConclusion {
  conclusion: FairCompetitionConclusionKind;
  summary: string;
  /**
   * R12, for `compliantWithException` only: 适用例外的情形, 必要性说明 and the last day of its
   * 实施期限 (`YYYY-MM-DD`). Stored as null when not given (see withFairCompetitionDefaults);
   * optional here so that a conclusion without an exception can be written without them.
   */
  exceptionGround?: string | null;
  exceptionNecessity?: string | null;
  exceptionEndsOn?: string | null;
}

/** The exception fields of a conclusion that does not give them: null, never missing (R12). */
export function withFairCompetitionDefaults(c: FairCompetitionConclusion | null): FairCompetitionConclusion | null {
  if (c === null) return null;
  return { ...c, exceptionGround: c.exceptionGround ?? null, exceptionNecessity: c.exceptionNecessity ?? null, exceptionEndsOn: c.exceptionEndsOn ?? null };
}

/** Particulars as stored: every field present (R12's exception fields null when not given). */
export function withParticularDefaults(p: Particulars): Particulars {
  return { ...p, fairCompetition: withFairCompetitionDefaults(p.fairCompetition ?? null) };
}

export interface OpinionSurvey {
  method: string;
  summary: string;
  conductedOn: string;
}

export interface AttendanceProposal {
  invitees: AttendeeKind[];
  meetingPublic: boolean;
  arrangement: string;
}

/**
 * R11: the adoption report of opinions solicited outside the product, entered by the drafters; a
 * consultation held in the product generates its own from the answers to its comments.
 */
export interface AdoptionReport {
  summary: string;
  commentCount: number;
  adoptedCount: number;
}

export interface Particulars {
  issuer: Issuer;
  documentKind: DocumentKind;
  /** R8/R13: a major administrative decision. */
  majorDecision: boolean;
  /** R9: closely affects enterprises (longer comment period). */
  affectsEnterprises: boolean;
  /** R10/R14: touches one of the major livelihood areas. */
  livelihoodAreas: LivelihoodArea[];
  /** R12: touches market entities' economic activity. */
  touchesMarket: boolean;
  /** R14: the filing carries a plan for the meeting that decides. */
  meetingPlan: boolean;
  /** R11: opinions were solicited outside the product (hearing, forum, letters). */
  opinionsSolicitedOffline: boolean;
  disclosure: Disclosure;
  fairCompetition: FairCompetitionConclusion | null;
  opinionSurvey: OpinionSurvey | null;
  attendanceProposal: AttendanceProposal | null;
  adoptionReport: AdoptionReport | null;
}

export interface InterpretationPackage {
  /** 解读方案 */
  plan: string | null;
  /** 解读材料, keyed by R4 element. */
  materials: Partial<Record<InterpretationElement, string>>;
  forms: InterpretationForm[];
  /**
   * R5: the interpretation's pieces by form — the official's article, the Q&A, the graphic, the
   * video or interview — each with its text and, for media, its link.
   */
  items: InterpretationItem[];
}

export interface InterpretationItem {
  form: InterpretationForm;
  title: string;
  body: string | null;
  url: string | null;
}

export function emptyParticulars(issuer: Issuer = 'government'): Particulars {
  return {
    issuer,
    documentKind: 'other',
    majorDecision: false,
    affectsEnterprises: false,
    livelihoodAreas: [],
    touchesMarket: false,
    meetingPlan: false,
    opinionsSolicitedOffline: false,
    disclosure: { attribute: null, reason: null },
    fairCompetition: null,
    opinionSurvey: null,
    attendanceProposal: null,
    adoptionReport: null,
  };
}

export function emptyInterpretation(): InterpretationPackage {
  return { plan: null, materials: {}, forms: [], items: [] };
}

/** R8/R9: major decisions, rules and normative documents go out for public comment first. */
export function requiresConsultation(p: Particulars): boolean {
  return p.majorDecision || p.documentKind === 'rule' || p.documentKind === 'normative';
}

/** R10: major livelihood matters. */
export function isMajorLivelihood(p: Particulars): boolean {
  return p.livelihoodAreas.length > 0;
}

/**
 * R1: the attribute governs publication. Only a proactively public document (主动公开) and its
 * interpretation ever reach the public site; the other two are issued (印发) and recorded.
 */
export function isProactivelyPublic(p: Particulars): boolean {
  return p.disclosure.attribute === 'proactive';
}

/** R1/R17: rules and normative documents bind the public only once published, so they must be. */
export function mustBeProactivelyPublic(p: Particulars): boolean {
  return p.documentKind === 'rule' || p.documentKind === 'normative';
}

/** R12: fair competition review applies when market entities are touched. */
export function requiresFairCompetitionReview(p: Particulars): boolean {
  return p.touchesMarket;
}
