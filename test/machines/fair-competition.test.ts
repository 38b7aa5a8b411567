/**
 * R12 under the national fair-competition review system (公平竞争审查条例, 2024): a measure found
 * to exclude or restrict competition is not filed until revised; an exception states its ground,
 * its necessity and its time limit; conclusions stored before those fields existed stay valid.
 */
import { checkCompleteness, type CompletenessInput } from '../../machines/completeness';
import type { FairCompetitionConclusion } from '../../machines/dossier';
import { FILING_MACHINE_VERSION, openFiling, persist, restore, step } from '../../machines/engine';
import { AT, completeInterpretation, drafter, input, plainParticulars } from '../support/fixtures';

function withConclusion(fairCompetition: FairCompetitionConclusion | null, touchesMarket = true): CompletenessInput {
  return {
    particulars: { ...plainParticulars(), touchesMarket, fairCompetition },
    interpretation: completeInterpretation(),
    interpretationApproved: true,
    consultationHeld: false,
  };
}

const codes = (i: CompletenessInput) => checkCompleteness(i).map((d) => `${d.rule} ${d.code} ${d.field}`);

describe('R12 at the completeness check', () => {
  test('a compliant conclusion passes', () => {
    expect(codes(withConclusion({ conclusion: 'compliant', summary: '经自查，未发现排除、限制竞争情形' }))).toEqual([]);
  });

  test('a conclusion that finds restrictive effects is a deficiency: revise first', () => {
    expect(codes(withConclusion({ conclusion: 'notCompliant', summary: '第五条限定本地企业参与' }))).toEqual([
      'R12 R12_FAIR_COMPETITION_NOT_COMPLIANT particulars.fairCompetition.conclusion',
    ]);
    // A finding of restrictive effects is read even where the filing claims not to touch the market.
    expect(codes(withConclusion({ conclusion: 'notCompliant', summary: '限定交易' }, false))).toEqual([
      'R12 R12_FAIR_COMPETITION_NOT_COMPLIANT particulars.fairCompetition.conclusion',
    ]);
  });

  test('an exception without its ground, necessity and time limit lists each one missing', () => {
    expect(codes(withConclusion({ conclusion: 'compliantWithException', summary: '适用例外规定' }))).toEqual([
      'R12 R12_EXCEPTION_GROUND_MISSING particulars.fairCompetition.exceptionGround',
      'R12 R12_EXCEPTION_NECESSITY_MISSING particulars.fairCompetition.exceptionNecessity',
      'R12 R12_EXCEPTION_TERM_MISSING particulars.fairCompetition.exceptionEndsOn',
    ]);
    const complete = {
      conclusion: 'compliantWithException' as const,
      summary: '适用例外规定',
      exceptionGround: '为维护国家经济安全',
      exceptionNecessity: '对竞争影响最小的方案',
      exceptionEndsOn: '2028-12-31',
    };
    expect(codes(withConclusion(complete))).toEqual([]);
    expect(codes(withConclusion({ ...complete, exceptionEndsOn: null }))).toEqual([
      'R12 R12_EXCEPTION_TERM_MISSING particulars.fairCompetition.exceptionEndsOn',
    ]);
  });
});

describe('stored conclusions', () => {
  const conclusion = { conclusion: 'compliant' as const, summary: '经自查符合' };

  test('the chart stores the exception fields as null when not given', () => {
    const opened = openFiling(input({ ...plainParticulars(), touchesMarket: true, fairCompetition: conclusion }), AT, drafter);
    expect(opened.context.particulars.fairCompetition).toEqual({ ...conclusion, exceptionGround: null, exceptionNecessity: null, exceptionEndsOn: null });
    const edited = step(opened, { type: 'EDIT_PARTICULARS', patch: { fairCompetition: { conclusion: 'notCompliant', summary: '限定交易' } }, at: AT, actor: drafter });
    expect(edited.context.particulars.fairCompetition).toMatchObject({ exceptionGround: null, exceptionNecessity: null, exceptionEndsOn: null });
  });

  test('v5 → v6: a conclusion stored before gains null exception fields; none stays none', () => {
    expect(FILING_MACHINE_VERSION).toBeGreaterThanOrEqual(6);
    const stored = persist(openFiling(input(), AT, drafter));
    const context = stored.context as { particulars: Record<string, unknown> };
    const v5 = (fairCompetition: unknown) => ({
      ...stored,
      machineVersion: 5,
      context: { ...context, particulars: { ...context.particulars, touchesMarket: true, fairCompetition } },
    });
    expect(restore(v5(conclusion)).context.particulars.fairCompetition).toEqual({
      ...conclusion,
      exceptionGround: null,
      exceptionNecessity: null,
      exceptionEndsOn: null,
    });
    expect(restore(v5(null)).context.particulars.fairCompetition).toBeNull();
  });
});
