/**
 * R20: yearly statistics per lead department, against a seeded data set whose every figure is
 * known. The year is 2026 in China Standard Time; 2025 holds what must be left out of it.
 */
import { completeInterpretation, input, LEAD, OTHER, plainParticulars, actor } from '../support/fixtures';
import { connectTestDatabase, type TestDatabase } from '../support/db';
import { persist, openFiling } from '../../machines/engine';
import type { ConsultationPlan } from '../../machines/filing.machine';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import type { DocumentKind } from '../../machines/dossier';
import { emptyDepartmentYear, filingFacts, returnsByDepartment, StatisticsService, toCsv, type DepartmentYear, type YearlyStatistics } from '../../src/statistics';
import { commentDocuments, FilingBuilder, insertAll, type CommentSeed, type Steps } from './seed';
import { parseCsv } from './csv-parse';
import { StatisticsReads } from '../../src/store/statistics';

const A = LEAD; // 市发展和改革委员会
const B = OTHER; // 市教育局
/** A name with a comma and quotes, which the CSV must carry through intact. */
const C = '市交通运输局,港航"口岸"办';

/**
 * R6 as these tests set it, per kind of document: calendar days after signing (the calendar is
 * not the point here). Every filing of the main seed is of the kind `other`.
 */
const LIMIT_DAYS: Record<DocumentKind, number> = { rule: 2, normative: 1, other: 3 };
const dueCalls: DocumentKind[] = [];
const publicationDue = (signedAt: Date, kind: DocumentKind) => {
  dueCalls.push(kind);
  return new Date(signedAt.getTime() + LIMIT_DAYS[kind] * 86_400_000);
};

function plan(startsAt: string, endsAt: string): ConsultationPlan {
  return {
    draftVersion: 1,
    basis: '《重大行政决策程序暂行条例》',
    background: '现行办法已施行十年。',
    explanation: '拟调整适用范围。',
    startsAt,
    endsAt,
    minimumEndsAt: endsAt,
    shortenedReason: null,
  };
}

/** From an approved, finalised draft to publication, one day per step unless dated. */
function toPublication(submit: string, sign: string, publish: string) {
  const day = (iso: string, n: number) => new Date(Date.parse(iso) + n * 86_400_000).toISOString();
  return [
    [submit, { type: 'SUBMIT' }],
    [day(submit, 1), { type: 'ACCEPT' }],
    [day(submit, 2), { type: 'PASS_LEGALITY_REVIEW', opinion: '经审查，合法' }],
    [day(submit, 3), { type: 'ADOPT', meeting: '第12次常务会议' }],
    [sign, { type: 'SIGN', documentNumber: '某政发〔2026〕12号' }],
    [publish, { type: 'PUBLISH', url: 'https://www.example.gov.cn/zcwj/12.html' }],
  ] as Steps;
}

function approve(at: string) {
  const later = new Date(Date.parse(at) + 3_600_000).toISOString();
  return [
    [at, { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    [later, { type: 'APPROVE_INTERPRETATION', note: '同意' }],
  ] as Steps;
}

/** A filing whose package passes the completeness check once approved (R2, R4). */
const complete = () => input(plainParticulars(), completeInterpretation());

const times = (at: string, n: number, outcome: CommentSeed['outcome']): CommentSeed[] => Array.from({ length: n }, () => ({ at, outcome }));

let db: TestDatabase;
let models: Models;
let service: StatisticsService;

beforeAll(async () => {
  db = await connectTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  service = new StatisticsService(new StatisticsReads(models), { publicationDue });

  // A1: created, returned by the clerk with two reasons, refiled, published on time (R6) in
  // 2026; one follow-up in 2026 and one on 2027-01-01 01:00 CST (R7).
  const a1 = new FilingBuilder(A, '2026-03-02T01:00:00.000Z', complete())
    .sendAll(approve('2026-03-02T02:00:00.000Z'))
    .sendAll([
      ['2026-03-03T01:00:00.000Z', { type: 'FINALIZE_TEXT' }],
      ['2026-03-05T01:00:00.000Z', { type: 'SUBMIT' }],
      ['2026-03-06T01:00:00.000Z', { type: 'RETURN', reasons: [{ code: 'R18_FORMAT_NONCONFORMING' }, { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING' }], note: '格式不规范' }],
      ['2026-03-07T01:00:00.000Z', { type: 'REVISE' }],
      ['2026-03-08T01:00:00.000Z', { type: 'FINALIZE_TEXT' }],
    ])
    .sendAll(toPublication('2026-03-10T01:00:00.000Z', '2026-04-01T02:00:00.000Z', '2026-04-03T02:00:00.000Z'))
    .addFollowUps([
      { at: '2026-06-01T02:00:00.000Z', by: actor('drafter', A), form: 'onlineInterview', title: '在线访谈：政策落实情况', body: null, url: 'https://www.example.gov.cn/fangtan/3' },
      { at: '2026-12-31T17:00:00.000Z', by: actor('drafter', A), form: 'policyQa', title: '政策问答（二）', body: '问：……答：……', url: null },
    ]);

  // A2: created 2026-01-01 00:30 CST (still 2025 in UTC); a round cleared in 2026, closed,
  // comments with every outcome and two not yet answered.
  const a2 = new FilingBuilder(A, '2025-12-31T16:30:00.000Z', complete())
    .sendAll([
      ['2026-01-05T01:00:00.000Z', { type: 'START_CONSULTATION', plan: plan('2026-01-06T01:00:00.000Z', '2026-02-06T01:00:00.000Z') }],
      ['2026-01-06T01:00:00.000Z', { type: 'CLEAR_FOR_PUBLICATION' }],
      ['2026-02-06T01:00:00.000Z', { type: 'CLOSE_CONSULTATION' }],
    ]);

  // A3 (2025): refused at intake in 2025, a round cleared at 2025-12-31 23:50 CST and still
  // open; it has not changed since, yet comments arrive on both sides of midnight.
  const a3 = new FilingBuilder(A, '2025-06-01T01:00:00.000Z', complete())
    .sendAll([
      ['2025-06-02T01:00:00.000Z', { type: 'FINALIZE_TEXT' }],
      ['2025-07-01T01:00:00.000Z', { type: 'SUBMIT' }],
      ['2025-07-02T01:00:00.000Z', { type: 'REVISE' }],
      ['2025-12-01T01:00:00.000Z', { type: 'START_CONSULTATION', plan: plan('2025-12-31T15:50:00.000Z', '2026-02-01T01:00:00.000Z') }],
      ['2025-12-31T15:50:00.000Z', { type: 'CLEAR_FOR_PUBLICATION' }],
    ]);

  // A4: written by chart v1, whose rounds had no clearance; the migration dates it at the
  // opening, 2026-01-15, so reading the raw snapshot would miss it.
  const a4 = new FilingBuilder(A, '2025-12-01T01:00:00.000Z', complete()).record('2026-01-15T00:00:00.000Z', 'START_CONSULTATION', actor('drafter', A));
  const v3 = persist(openFiling(complete(), '2025-12-01T01:00:00.000Z', actor('drafter', A)));
  a4.storeAs(
    {
      machineVersion: 1,
      value: { open: 'consultation' },
      context: { ...(v3.context as object), consultations: [{ openedAt: '2026-01-15T00:00:00.000Z', closedAt: null }] },
      status: 'active',
    },
    'consultation',
  );

  // B1 (2025): signed 2025-12-20, published 2026-01-10: late, and a 2026 publication. No
  // followUps field at all, as documents from before R7 have none.
  const b1 = new FilingBuilder(B, '2025-11-01T01:00:00.000Z', input(plainParticulars(), { ...completeInterpretation(), forms: ['expertInterpretation', 'graphic', 'video'] }))
    .sendAll(approve('2025-11-02T01:00:00.000Z'))
    .sendAll([['2025-11-03T01:00:00.000Z', { type: 'FINALIZE_TEXT' }]])
    .sendAll(toPublication('2025-11-10T01:00:00.000Z', '2025-12-20T02:00:00.000Z', '2026-01-10T02:00:00.000Z'));

  // B2: refused at intake (no plan, not approved: two reasons), then returned by the clerk.
  const b2 = new FilingBuilder(B, '2026-02-01T01:00:00.000Z', input(plainParticulars(), { ...completeInterpretation(), plan: null }))
    .sendAll([
      ['2026-02-02T01:00:00.000Z', { type: 'FINALIZE_TEXT' }],
      ['2026-02-05T01:00:00.000Z', { type: 'SUBMIT' }],
      ['2026-02-06T01:00:00.000Z', { type: 'REVISE' }],
      ['2026-02-06T02:00:00.000Z', { type: 'EDIT_INTERPRETATION', patch: { plan: '由主要负责人撰文解读。' } }],
    ])
    .sendAll(approve('2026-02-07T01:00:00.000Z'))
    .sendAll([
      ['2026-02-08T01:00:00.000Z', { type: 'FINALIZE_TEXT' }],
      ['2026-02-10T01:00:00.000Z', { type: 'SUBMIT' }],
      ['2026-02-20T01:00:00.000Z', { type: 'RETURN', reasons: [{ code: 'R18_INTERPRETATION_INADEQUATE' }], note: '解读照搬原文' }],
    ])
    .addFollowUps([]);

  // B3 (2025): published on time in 2025; follow-ups in 2025 and in 2026.
  const b3 = new FilingBuilder(B, '2025-03-01T01:00:00.000Z', complete())
    .sendAll(approve('2025-03-02T01:00:00.000Z'))
    .sendAll([['2025-03-03T01:00:00.000Z', { type: 'FINALIZE_TEXT' }]])
    .sendAll(toPublication('2025-03-10T01:00:00.000Z', '2025-04-28T02:00:00.000Z', '2025-04-30T02:00:00.000Z'))
    .addFollowUps([
      { at: '2025-08-01T02:00:00.000Z', by: actor('drafter', B), form: 'policyQa', title: '政策问答（续）', body: '问：……答：……', url: null },
      { at: '2026-02-01T02:00:00.000Z', by: actor('drafter', B), form: 'pressConference', title: '新闻发布会', body: null, url: 'https://www.example.gov.cn/fbh/8' },
    ]);

  // C1: a round refused at clearance (never public, R15); published exactly on its due instant.
  const c1 = new FilingBuilder(C, '2026-05-01T01:00:00.000Z', complete())
    .sendAll([['2026-05-01T02:00:00.000Z', { type: 'EDIT_INTERPRETATION', patch: { forms: ['audio'] } }]])
    .sendAll(approve('2026-05-01T03:00:00.000Z'))
    .sendAll([
      ['2026-05-02T01:00:00.000Z', { type: 'START_CONSULTATION', plan: plan('2026-05-04T01:00:00.000Z', '2026-06-04T01:00:00.000Z') }],
      ['2026-05-03T01:00:00.000Z', { type: 'REFUSE_CLEARANCE', note: '涉及未公开信息' }],
      ['2026-05-04T01:00:00.000Z', { type: 'FINALIZE_TEXT' }],
    ])
    .sendAll(toPublication('2026-05-10T01:00:00.000Z', '2026-06-01T00:00:00.000Z', '2026-06-04T00:00:00.000Z'));
  // The last second of 2026 in CST, and the first of 2027.
  const c2 = new FilingBuilder(C, '2026-12-31T15:59:59.000Z', complete());
  const c3 = new FilingBuilder(C, '2026-12-31T16:00:00.000Z', complete());

  const comments = [
    ...commentDocuments(a2, 1, [
      ...times('2026-01-10T03:00:00.000Z', 3, 'adopted'),
      ...times('2026-01-11T03:00:00.000Z', 1, 'partlyAdopted'),
      ...times('2026-01-12T03:00:00.000Z', 2, 'notAdopted'),
      ...times('2026-01-13T03:00:00.000Z', 1, 'notApplicable'),
      ...times('2026-01-14T03:00:00.000Z', 2, null),
    ]),
    ...commentDocuments(a3, 1, [
      { at: '2025-12-31T15:55:00.000Z', outcome: null },
      { at: '2025-12-31T15:59:59.999Z', outcome: null },
      { at: '2025-12-31T16:00:00.000Z', outcome: null },
      { at: '2026-01-02T03:00:00.000Z', outcome: null },
      { at: '2026-01-03T03:00:00.000Z', outcome: null },
    ]),
  ];
  await insertAll(models, [a1, a2, a3, a4, b1, b2, b3, c1, c2, c3], comments);

  // The seed itself, as the chart made it.
  expect(b2.context.returns.map((r) => [r.kind, r.reasons.map((x) => x.code)])).toEqual([
    ['intake', ['R2_INTERPRETATION_PLAN_MISSING', 'R2_INTERPRETATION_NOT_APPROVED']],
    ['clerk', ['R18_INTERPRETATION_INADEQUATE']],
  ]);
  expect(a3.context.returns.map((r) => [r.kind, r.reasons.map((x) => x.code)])).toEqual([['intake', ['R2_INTERPRETATION_NOT_APPROVED']]]);
  expect(c1.context.consultations).toHaveLength(1);
  expect(c1.context.consultations[0].clearance).toBeNull();
  // The chart's own context is what filingFacts reads (checked by the compiler as well).
  expect(filingFacts({ leadDepartment: C, createdAt: new Date(), history: [] }, c1.context)).toMatchObject({
    documentKind: 'other',
    consultationsOpenedAt: [],
    publication: { at: new Date('2026-06-04T00:00:00.000Z'), signedAt: new Date('2026-06-01T00:00:00.000Z'), forms: ['audio'] },
    followUps: [],
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
});

type Figures = Omit<DepartmentYear, 'department'>;

/** Figures written out in full: zero everywhere unless stated. */
function figures(department: string | null, f: {
  filings?: number;
  returns?: Partial<DepartmentYear['returns']>;
  consultations?: number;
  comments?: Partial<DepartmentYear['comments']>;
  byForm?: Partial<DepartmentYear['interpretations']['byForm']>;
  followUps?: number;
  publications?: Partial<DepartmentYear['publications']>;
}): DepartmentYear {
  const row = emptyDepartmentYear(department);
  return {
    department,
    filings: f.filings ?? 0,
    returns: { ...row.returns, ...f.returns },
    consultations: f.consultations ?? 0,
    comments: { ...row.comments, ...f.comments },
    interpretations: { byForm: { ...row.interpretations.byForm, ...f.byForm }, followUps: f.followUps ?? 0 },
    publications: { ...row.publications, ...f.publications },
  } satisfies Figures & { department: string | null };
}

const EXPECTED_2026_A = figures(A, {
  filings: 2, // A1, A2 (created 2026-01-01 00:30 CST)
  returns: {
    total: 1,
    intake: 0,
    clerk: 1,
    reasons: [
      { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1', count: 1 },
      { code: 'R18_FORMAT_NONCONFORMING', rule: 'R18', count: 1 },
    ],
  },
  consultations: 2, // A2, and A4 through its migration
  // A2: 3 + 1 + 2 + 1 + 2 undisposed; A3: three from 2026-01-01 00:00 CST on, undisposed.
  comments: { received: 12, adopted: 3, partlyAdopted: 1, notAdopted: 2, notApplicable: 1, undisposed: 5, adoptionRate: 4 / 6 },
  byForm: { officialArticle: 1, policyQa: 1, onlineInterview: 1 },
  followUps: 1,
  publications: { published: 1, onTime: 1, late: 0, punctualityRate: 1 },
});

const EXPECTED_2026_B = figures(B, {
  filings: 1, // B2
  returns: {
    total: 2,
    intake: 1,
    clerk: 1,
    reasons: [
      { code: 'R18_INTERPRETATION_INADEQUATE', rule: 'R18', count: 1 },
      { code: 'R2_INTERPRETATION_NOT_APPROVED', rule: 'R2', count: 1 },
      { code: 'R2_INTERPRETATION_PLAN_MISSING', rule: 'R2', count: 1 },
    ],
  },
  // B1's package, published 2026-01-10, and B3's 2026 follow-up.
  byForm: { expertInterpretation: 1, graphic: 1, video: 1, pressConference: 1 },
  followUps: 1,
  publications: { published: 1, onTime: 0, late: 1, punctualityRate: 0 },
});

const EXPECTED_2026_C = figures(C, {
  filings: 2, // C1, C2 at 23:59:59 CST on 31 December; not C3
  byForm: { audio: 1 },
  publications: { published: 1, onTime: 1, late: 0, punctualityRate: 1 },
});

const EXPECTED_2026_TOTAL = figures(null, {
  filings: 5,
  returns: {
    total: 3,
    intake: 1,
    clerk: 2,
    reasons: [
      { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1', count: 1 },
      { code: 'R18_FORMAT_NONCONFORMING', rule: 'R18', count: 1 },
      { code: 'R18_INTERPRETATION_INADEQUATE', rule: 'R18', count: 1 },
      { code: 'R2_INTERPRETATION_NOT_APPROVED', rule: 'R2', count: 1 },
      { code: 'R2_INTERPRETATION_PLAN_MISSING', rule: 'R2', count: 1 },
    ],
  },
  consultations: 2,
  comments: { received: 12, adopted: 3, partlyAdopted: 1, notAdopted: 2, notApplicable: 1, undisposed: 5, adoptionRate: 4 / 6 },
  byForm: { officialArticle: 1, policyQa: 1, onlineInterview: 1, expertInterpretation: 1, graphic: 1, video: 1, pressConference: 1, audio: 1 },
  followUps: 2,
  publications: { published: 3, onTime: 2, late: 1, punctualityRate: 2 / 3 },
});

describe('2026', () => {
  let result: YearlyStatistics;
  beforeAll(async () => {
    result = await service.yearly(2026);
  }, 60_000);

  test('one row per lead department with something in the year, in pinyin order', () => {
    // 发 fā, 交 jiāo, 教 jiào
    expect(result.year).toBe(2026);
    expect(result.departments.map((d) => d.department)).toEqual([A, C, B]);
  });

  test('every figure of every department and of the totals', () => {
    expect(result.departments).toEqual([EXPECTED_2026_A, EXPECTED_2026_C, EXPECTED_2026_B]);
    expect(result.total).toEqual(EXPECTED_2026_TOTAL);
  });

  test('the returns in the shape of GET /statistics/returns (R18): departments with returns, most first', () => {
    expect(returnsByDepartment(result)).toEqual([
      { department: B, returns: 2, intakeReturns: 1, clerkReturns: 1, reasons: EXPECTED_2026_B.returns.reasons },
      { department: A, returns: 1, intakeReturns: 0, clerkReturns: 1, reasons: EXPECTED_2026_A.returns.reasons },
    ]);
  });
});

test('2025: what 2026 left out, and nothing of 2026', async () => {
  const result = await service.yearly(2025);
  expect(result.departments).toEqual([
    figures(A, {
      filings: 2, // A3, A4
      returns: { total: 1, intake: 1, clerk: 0, reasons: [{ code: 'R2_INTERPRETATION_NOT_APPROVED', rule: 'R2', count: 1 }] },
      consultations: 1, // A3, cleared 2025-12-31 23:50 CST
      comments: { received: 2, undisposed: 2, adoptionRate: null },
    }),
    figures(B, {
      filings: 2, // B1, B3
      byForm: { officialArticle: 1, policyQa: 2 }, // B3's package and its 2025 follow-up
      followUps: 1,
      publications: { published: 1, onTime: 1, late: 0, punctualityRate: 1 },
    }),
  ]);
  expect(result.total).toEqual(
    figures(null, {
      filings: 4,
      returns: { total: 1, intake: 1, clerk: 0, reasons: [{ code: 'R2_INTERPRETATION_NOT_APPROVED', rule: 'R2', count: 1 }] },
      consultations: 1,
      comments: { received: 2, undisposed: 2, adoptionRate: null },
      byForm: { officialArticle: 1, policyQa: 2 },
      followUps: 1,
      publications: { published: 1, onTime: 1, late: 0, punctualityRate: 1 },
    }),
  );
}, 60_000);

test('2027 holds C3 and A1’s second follow-up only', async () => {
  const result = await service.yearly(2027);
  expect(result.departments).toEqual([
    figures(A, { byForm: { policyQa: 1 }, followUps: 1 }),
    figures(C, { filings: 1 }),
  ]);
}, 60_000);

describe('a department filter', () => {
  test('gives that department’s row, and totals over it alone', async () => {
    const result = await service.yearly(2026, { department: B });
    expect(result.departments).toEqual([EXPECTED_2026_B]);
    expect(result.total).toEqual({ ...EXPECTED_2026_B, department: null });
  }, 60_000);

  test('finds comments on a filing that did not otherwise change in the year', async () => {
    const result = await service.yearly(2026, { department: A });
    expect(result.departments).toEqual([EXPECTED_2026_A]);
    expect(result.total).toEqual({ ...EXPECTED_2026_A, department: null });
  }, 60_000);

  test('on a department with nothing in the year gives a row of zeros', async () => {
    const result = await service.yearly(2026, { department: '市无此局' });
    expect(result.departments).toEqual([figures('市无此局', {})]);
    expect(result.total).toEqual(figures(null, {}));
  }, 60_000);
});

describe('R6: each kind of document against its own publication limit', () => {
  // 2030 holds these two alone: both signed at the same instant and published two days later.
  const sign = '2030-03-01T02:00:00.000Z';
  const publish = '2030-03-03T02:00:00.000Z';
  let result: YearlyStatistics;

  beforeAll(async () => {
    const other = new FilingBuilder(A, '2030-01-02T01:00:00.000Z', complete())
      .sendAll(approve('2030-01-02T02:00:00.000Z'))
      .sendAll([['2030-01-03T01:00:00.000Z', { type: 'FINALIZE_TEXT' }]])
      .sendAll(toPublication('2030-01-10T01:00:00.000Z', sign, publish));
    // A normative document whose opinions were solicited outside the product (R8, R11).
    const normative = new FilingBuilder(
      A,
      '2030-01-02T01:00:00.000Z',
      input(
        {
          ...plainParticulars(),
          documentKind: 'normative',
          opinionsSolicitedOffline: true,
          adoptionReport: { summary: '召开座谈会收集意见12条，采纳8条。', commentCount: 12, adoptedCount: 8 },
        },
        completeInterpretation(),
      ),
    )
      .sendAll(approve('2030-01-02T02:00:00.000Z'))
      .sendAll([['2030-01-03T01:00:00.000Z', { type: 'FINALIZE_TEXT' }]])
      .sendAll(toPublication('2030-01-10T01:00:00.000Z', sign, publish));
    await insertAll(models, [other, normative], []);
    dueCalls.length = 0;
    result = await service.yearly(2030);
  }, 60_000);

  test('the kind is read from the filing: three days for the other document, one for the normative one', () => {
    expect([...dueCalls].sort()).toEqual(['normative', 'other']);
    expect(result.departments.map((d) => [d.department, d.publications])).toEqual([
      [A, { published: 2, onTime: 1, late: 1, punctualityRate: 0.5 }],
    ]);
  });
});

test('refuses what is not a calendar year', async () => {
  await expect(service.yearly(2026.5)).rejects.toThrow(RangeError);
  await expect(service.yearly(99)).rejects.toThrow(RangeError);
});

test('CSV: BOM, Chinese headers, one row per department and 合计, every cell where it belongs', async () => {
  const csv = toCsv(await service.yearly(2026));
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  const [header, ...rows] = parseCsv(csv.slice(1));
  expect(rows).toHaveLength(4);
  const cell = (department: string, column: string) => {
    const row = rows.find((r) => r[0] === department);
    const index = header.indexOf(column);
    if (!row || index < 0) throw new Error(`no cell ${department} / ${column}`);
    return row[index];
  };
  // The department with a comma and quotes comes back as it went in.
  expect(rows.map((r) => r[0])).toEqual([A, C, B, '合计']);
  expect(csv).toContain(`"市交通运输局,港航""口岸""办"`);
  expect(header.slice(0, 6)).toEqual(['部门', '年度', '新建办件数', '退文次数', '其中：报送时完整性审查退回', '其中：政府办公厅（室）退文']);
  expect(rows.every((r) => r.length === header.length && r[1] === '2026')).toBe(true);

  expect(cell(A, '新建办件数')).toBe('2');
  expect(cell(B, '退文次数')).toBe('2');
  expect(cell(B, '其中：报送时完整性审查退回')).toBe('1');
  expect(cell('合计', '其中：政府办公厅（室）退文')).toBe('2');
  expect(cell(B, '退文原因：未同步报送解读方案（R2）')).toBe('1');
  expect(cell(A, '退文原因：公文格式不规范（R18）')).toBe('1');
  expect(cell(C, '退文原因：公文格式不规范（R18）')).toBe('0');
  expect(cell('合计', '公开征求意见轮次')).toBe('2');
  expect(cell(A, '收到意见条数')).toBe('12');
  expect([cell(A, '采纳'), cell(A, '部分采纳'), cell(A, '未采纳'), cell(A, '不适用'), cell(A, '尚未处理')]).toEqual(['3', '1', '2', '1', '5']);
  expect(cell(A, '意见采纳率（（采纳+部分采纳）÷（采纳+部分采纳+未采纳））')).toBe('66.7%');
  expect(cell(B, '意见采纳率（（采纳+部分采纳）÷（采纳+部分采纳+未采纳））')).toBe('');
  expect(cell('合计', '解读形式：新闻发布会')).toBe('1');
  expect(cell(C, '解读形式：音频')).toBe('1');
  expect(cell('合计', '解读形式：媒体专访')).toBe('0');
  expect(cell('合计', '其中：后续解读次数')).toBe('2');
  expect([cell('合计', '公开发布件数'), cell('合计', '按时发布件数'), cell('合计', '逾期发布件数'), cell('合计', '按时发布率')]).toEqual(['3', '2', '1', '66.7%']);
  expect(cell(B, '按时发布率')).toBe('0.0%');
}, 60_000);
