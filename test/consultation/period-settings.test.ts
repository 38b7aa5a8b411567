/** R9: the minimum comment periods are settings of the jurisdiction, like R6's publication limits. */
import { emptyParticulars } from '../../machines/dossier';
import { loadConfig } from '../../src/config';
import { DEFAULT_PERIOD_SETTINGS } from '../../src/consultation/period';
import { buildServices } from '../../src/services';
import { createModels, ensureIndexes } from '../../src/store/models';
import { connectTestDatabase, type TestDatabase } from '../support/db';
import { LEAD } from '../support/fixtures';
import { completeFiling, consultationRequest, TEST_MAIL_SETTINGS } from '../support/harness';
import { createRepositories } from '../../src/store';

test('the configuration reads the four R9 minimums, defaulting to the statutory ones', () => {
  expect(loadConfig({}).periods).toEqual(DEFAULT_PERIOD_SETTINGS);
  expect(
    loadConfig({
      COMMENT_DAYS_RULE_OR_MAJOR_DECISION: '45',
      COMMENT_WORKING_DAYS_NORMATIVE: '10',
      COMMENT_DAYS_ENTERPRISES: '40',
      COMMENT_WORKING_DAYS_OTHER: '5',
    }).periods,
  ).toEqual({ ruleOrMajorDecisionDays: 45, normativeWorkingDays: 10, enterpriseDays: 40, otherWorkingDays: 5 });
  expect(() => loadConfig({ COMMENT_DAYS_RULE_OR_MAJOR_DECISION: 'thirty' })).toThrow(/COMMENT_DAYS_RULE_OR_MAJOR_DECISION/);
});

test('a jurisdiction may lengthen the statutory minimums, never shorten them', () => {
  expect(() => loadConfig({ COMMENT_DAYS_RULE_OR_MAJOR_DECISION: '29' })).toThrow(/COMMENT_DAYS_RULE_OR_MAJOR_DECISION must be at least 30/);
  expect(() => loadConfig({ COMMENT_WORKING_DAYS_NORMATIVE: '6' })).toThrow(/COMMENT_WORKING_DAYS_NORMATIVE must be at least 7/);
  expect(() => loadConfig({ COMMENT_DAYS_ENTERPRISES: '20' })).toThrow(/COMMENT_DAYS_ENTERPRISES must be at least 30/);
  expect(() => loadConfig({ COMMENT_WORKING_DAYS_OTHER: '0' })).toThrow(/COMMENT_WORKING_DAYS_OTHER must be at least 1/);
});

describe('a jurisdiction with a 45-day minimum for major decisions', () => {
  let db: TestDatabase;
  let services: ReturnType<typeof buildServices>;
  const drafter = { id: 'd1', name: '起草人', role: 'drafter' as const, department: LEAD };

  beforeAll(async () => {
    db = await connectTestDatabase();
    const models = createModels(db.connection);
    await ensureIndexes(models);
    services = buildServices(createRepositories(models), TEST_MAIL_SETTINGS, { periods: { ...DEFAULT_PERIOD_SETTINGS, ruleOrMajorDecisionDays: 45 } });
  });
  afterAll(() => db.close());

  test('refuses a 31-day period that the statutory default would allow, naming its own minimum', async () => {
    const filing = await services.filings.create(
      drafter,
      completeFiling({ particulars: { ...emptyParticulars(), majorDecision: true, disclosure: { attribute: 'proactive', reason: null } } }),
    );
    await expect(
      services.filings.send(drafter, filing.id, { type: 'START_CONSULTATION', version: filing.version, ...consultationRequest(31) }),
    ).rejects.toMatchObject({ code: 'CONSULTATION_PERIOD_TOO_SHORT', details: { minimum: '规章和重大行政决策不少于45日' } });
    const { view } = await services.filings.send(drafter, filing.id, { type: 'START_CONSULTATION', version: filing.version, ...consultationRequest(46) });
    expect(view.stage).toBe('awaitingClearance');
  });
});
