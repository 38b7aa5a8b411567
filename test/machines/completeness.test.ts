import { checkCompleteness, type CompletenessInput } from '../../machines/completeness';
import { REQUIRED_INTERPRETATION_ELEMENTS } from '../../machines/dossier';
import { REASONS, REASON_CODES, type ReasonCode } from '../../machines/reasons';
import { completeInterpretation, plainParticulars } from '../support/fixtures';

function complete(): CompletenessInput {
  return {
    particulars: plainParticulars(),
    interpretation: completeInterpretation(),
    interpretationApproved: true,
    consultationHeld: false,
  };
}

/** R12: a complete exception (ground, necessity, time limit). */
function exception() {
  return {
    conclusion: 'compliantWithException' as const,
    summary: '对特定经营者给予奖励，适用例外规定',
    exceptionGround: '为实现节约能源、保护环境等社会公共利益',
    exceptionNecessity: '无其他对竞争影响更小的替代方案',
    exceptionEndsOn: '2028-12-31',
  };
}

function codes(input: CompletenessInput): ReasonCode[] {
  return checkCompleteness(input).map((d) => d.code);
}

/** One case per detectable code: the smallest change to a complete filing that triggers it. */
const CASES: Partial<Record<ReasonCode, (input: CompletenessInput) => void>> = {
  R1_DISCLOSURE_ATTRIBUTE_MISSING: (i) => {
    i.particulars.disclosure = { attribute: null, reason: null };
  },
  R1_DISCLOSURE_REASON_MISSING: (i) => {
    i.particulars.disclosure = { attribute: 'notPublic', reason: '  ' };
  },
  R1_NORMATIVE_NOT_PROACTIVE: (i) => {
    i.particulars.documentKind = 'normative';
    i.particulars.opinionsSolicitedOffline = true;
    i.particulars.adoptionReport = { summary: '共收到意见3条，采纳2条', commentCount: 3, adoptedCount: 2 };
    i.particulars.disclosure = { attribute: 'notPublic', reason: '内部管理事项' };
  },
  R2_INTERPRETATION_PLAN_MISSING: (i) => {
    i.interpretation.plan = null;
  },
  R2_INTERPRETATION_MATERIALS_MISSING: (i) => {
    i.interpretation.materials = {};
  },
  R2_INTERPRETATION_NOT_APPROVED: (i) => {
    i.interpretationApproved = false;
  },
  R4_INTERPRETATION_ELEMENT_MISSING: (i) => {
    delete i.interpretation.materials.executionStandards;
  },
  R8_CONSULTATION_MISSING: (i) => {
    i.particulars.majorDecision = true;
  },
  R10_OPINION_SURVEY_MISSING: (i) => {
    i.particulars.livelihoodAreas = ['health'];
  },
  R11_ADOPTION_REPORT_MISSING: (i) => {
    i.consultationHeld = true;
  },
  R12_FAIR_COMPETITION_CONCLUSION_MISSING: (i) => {
    i.particulars.touchesMarket = true;
  },
  R12_FAIR_COMPETITION_NOT_COMPLIANT: (i) => {
    i.particulars.touchesMarket = true;
    i.particulars.fairCompetition = { conclusion: 'notCompliant', summary: '第五条限定本地企业参与' };
  },
  R12_EXCEPTION_GROUND_MISSING: (i) => {
    i.particulars.fairCompetition = { ...exception(), exceptionGround: ' ' };
  },
  R12_EXCEPTION_NECESSITY_MISSING: (i) => {
    i.particulars.fairCompetition = { ...exception(), exceptionNecessity: null };
  },
  R12_EXCEPTION_TERM_MISSING: (i) => {
    i.particulars.fairCompetition = { ...exception(), exceptionEndsOn: null };
  },
  R14_ATTENDANCE_PROPOSAL_MISSING: (i) => {
    i.particulars.livelihoodAreas = ['socialSecurity'];
    i.particulars.opinionSurvey = { method: '问卷调查', summary: '支持率 87%', conductedOn: '2026-10-01' };
    i.particulars.meetingPlan = true;
  },
};

describe('completeness check', () => {
  test('a complete filing has no deficiencies', () => {
    expect(checkCompleteness(complete())).toEqual([]);
  });

  test('every detectable code has a case below', () => {
    const detectable = REASON_CODES.filter((code) => REASONS[code].detectable);
    expect(Object.keys(CASES).sort()).toEqual([...detectable].sort());
  });

  test.each(Object.entries(CASES) as Array<[ReasonCode, (i: CompletenessInput) => void]>)(
    '%s is reported, naming its rule',
    (code, breakIt) => {
      const input = complete();
      breakIt(input);
      const found = checkCompleteness(input);
      expect(found.map((d) => d.code)).toEqual([code]);
      expect(found[0].rule).toBe(REASONS[code].rule);
      expect(found[0].message).toMatch(/[\u4e00-\u9fff]/);
      expect(found[0].field).not.toBe('');
    },
  );

  test('R1: proactive disclosure needs no reason; the restrictive ones do', () => {
    const input = complete();
    input.particulars.disclosure = { attribute: 'onApplication', reason: '涉及第三方商业信息' };
    expect(codes(input)).toEqual([]);
    input.particulars.disclosure = { attribute: 'onApplication', reason: null };
    expect(codes(input)).toEqual(['R1_DISCLOSURE_REASON_MISSING']);
  });

  test('R4: each missing required element is its own deficiency, pinned to its field', () => {
    const input = complete();
    input.interpretation.materials = { background: '依据', pointsOfAttention: '注意事项' };
    const found = checkCompleteness(input);
    expect(found.map((d) => d.field)).toEqual(
      REQUIRED_INTERPRETATION_ELEMENTS.filter((e) => e !== 'background').map((e) => `interpretation.materials.${e}`),
    );
    expect(found[0].message).toContain('目标任务');
  });

  test('R8: rules and normative documents need consultation too; an offline one counts', () => {
    const input = complete();
    input.particulars.documentKind = 'normative';
    expect(codes(input)).toEqual(['R8_CONSULTATION_MISSING']);
    input.particulars.opinionsSolicitedOffline = true;
    expect(codes(input)).toEqual(['R11_ADOPTION_REPORT_MISSING']);
    input.particulars.adoptionReport = { summary: '共收到意见 12 条，采纳 5 条', commentCount: 12, adoptedCount: 5 };
    expect(codes(input)).toEqual([]);
  });

  test('R14: a meeting plan on an ordinary matter needs no attendance proposal', () => {
    const input = complete();
    input.particulars.meetingPlan = true;
    expect(codes(input)).toEqual([]);
  });

  test('all deficiencies are listed at once, not just the first', () => {
    const input = complete();
    input.particulars.disclosure = { attribute: null, reason: null };
    input.interpretation = { plan: null, materials: {}, forms: [], items: [] };
    input.interpretationApproved = false;
    input.particulars.touchesMarket = true;
    expect(codes(input).sort()).toEqual(
      [
        'R1_DISCLOSURE_ATTRIBUTE_MISSING',
        'R2_INTERPRETATION_PLAN_MISSING',
        'R2_INTERPRETATION_MATERIALS_MISSING',
        'R2_INTERPRETATION_NOT_APPROVED',
        'R12_FAIR_COMPETITION_CONCLUSION_MISSING',
      ].sort(),
    );
  });
});
