import {
  isMajorLivelihood,
  isProactivelyPublic,
  mustBeProactivelyPublic,
  requiresConsultation,
  requiresFairCompetitionReview,
  REQUIRED_INTERPRETATION_ELEMENTS,
  type InterpretationElement,
  type InterpretationPackage,
  type Particulars,
} from './dossier';
import { REASONS, type Deficiency, type ReasonCode } from './reasons';

/** What the general office checks a filing against at intake. */
export interface CompletenessInput {
  particulars: Particulars;
  interpretation: InterpretationPackage;
  interpretationApproved: boolean;
  /** The filing went through the in-product consultation stage (R8). */
  consultationHeld: boolean;
}

const ELEMENT_LABELS: Record<InterpretationElement, string> = {
  background: '背景依据',
  objectives: '目标任务',
  mainContent: '主要内容',
  scope: '涉及范围',
  executionStandards: '执行标准',
  pointsOfAttention: '注意事项',
  keyTerms: '关键词诠释',
  benefitMeasures: '惠民利民举措',
  policyDifferences: '新旧政策差异',
};

export function elementLabel(element: InterpretationElement): string {
  return ELEMENT_LABELS[element];
}

function blank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === '';
}

function deficiency(code: ReasonCode, field: string, message?: string): Deficiency {
  return { code, rule: REASONS[code].rule, field, message: message ?? REASONS[code].label };
}

/**
 * The completeness check (R1, R2, R4, R8, R10, R11, R12, R14): pure, so the intake guard, the
 * drafter's pre-check and the tests all use the very same function. Returns every deficiency,
 * not just the first, because a return must list all its reasons (R18).
 */
export function checkCompleteness(input: CompletenessInput): Deficiency[] {
  const { particulars: p, interpretation: i } = input;
  const found: Deficiency[] = [];

  // R1: every filing states its disclosure attribute; the two restrictive ones need a reason.
  if (p.disclosure.attribute === null) {
    found.push(deficiency('R1_DISCLOSURE_ATTRIBUTE_MISSING', 'particulars.disclosure.attribute'));
  } else if (!isProactivelyPublic(p) && mustBeProactivelyPublic(p)) {
    // R1/R17: no reason can keep a rule or normative document unpublished, so none is asked for.
    found.push(deficiency('R1_NORMATIVE_NOT_PROACTIVE', 'particulars.disclosure.attribute'));
  } else if (!isProactivelyPublic(p) && blank(p.disclosure.reason)) {
    found.push(deficiency('R1_DISCLOSURE_REASON_MISSING', 'particulars.disclosure.reason'));
  }

  // R2: plan and materials are filed together with the draft, approved by the principal head.
  if (blank(i.plan)) {
    found.push(deficiency('R2_INTERPRETATION_PLAN_MISSING', 'interpretation.plan'));
  }
  const hasAnyMaterial = Object.values(i.materials).some((text) => !blank(text));
  if (!hasAnyMaterial) {
    found.push(deficiency('R2_INTERPRETATION_MATERIALS_MISSING', 'interpretation.materials'));
  } else {
    // R4: materials that exist must cover the five required elements.
    for (const element of REQUIRED_INTERPRETATION_ELEMENTS) {
      if (blank(i.materials[element])) {
        found.push(
          deficiency(
            'R4_INTERPRETATION_ELEMENT_MISSING',
            `interpretation.materials.${element}`,
            `解读材料缺少必备要素：${ELEMENT_LABELS[element]}`,
          ),
        );
      }
    }
  }
  if (!input.interpretationApproved) {
    found.push(deficiency('R2_INTERPRETATION_NOT_APPROVED', 'interpretation.approval'));
  }

  // R8/R9: major decisions, rules and normative documents are consulted on before filing.
  if (requiresConsultation(p) && !input.consultationHeld && !p.opinionsSolicitedOffline) {
    found.push(deficiency('R8_CONSULTATION_MISSING', 'consultation'));
  }

  // R11: once opinions were solicited, the adoption report travels with the filing.
  if ((input.consultationHeld || p.opinionsSolicitedOffline) && p.adoptionReport === null) {
    found.push(deficiency('R11_ADOPTION_REPORT_MISSING', 'particulars.adoptionReport'));
  }

  // R10: major livelihood matters need an opinion survey before the decision.
  if (isMajorLivelihood(p) && p.opinionSurvey === null) {
    found.push(deficiency('R10_OPINION_SURVEY_MISSING', 'particulars.opinionSurvey'));
  }

  // R12: the drafting unit's own fair competition conclusion goes to the legality review.
  if (requiresFairCompetitionReview(p) && p.fairCompetition === null) {
    found.push(deficiency('R12_FAIR_COMPETITION_CONCLUSION_MISSING', 'particulars.fairCompetition'));
  }

  // R12: a conclusion that finds restrictive effects means revising first; an exception states
  // its ground, its necessity and its time limit. Whatever the conclusion touches, it is read.
  const fc = p.fairCompetition;
  if (fc?.conclusion === 'notCompliant') {
    found.push(deficiency('R12_FAIR_COMPETITION_NOT_COMPLIANT', 'particulars.fairCompetition.conclusion'));
  } else if (fc?.conclusion === 'compliantWithException') {
    if (blank(fc.exceptionGround)) found.push(deficiency('R12_EXCEPTION_GROUND_MISSING', 'particulars.fairCompetition.exceptionGround'));
    if (blank(fc.exceptionNecessity)) found.push(deficiency('R12_EXCEPTION_NECESSITY_MISSING', 'particulars.fairCompetition.exceptionNecessity'));
    if (blank(fc.exceptionEndsOn)) found.push(deficiency('R12_EXCEPTION_TERM_MISSING', 'particulars.fairCompetition.exceptionEndsOn'));
  }

  // R14: meeting plans on livelihood matters say who attends and whether the meeting is public.
  if (p.meetingPlan && isMajorLivelihood(p) && p.attendanceProposal === null) {
    found.push(deficiency('R14_ATTENDANCE_PROPOSAL_MISSING', 'particulars.attendanceProposal'));
  }

  return found;
}
