/** R20: the pure definitions behind the yearly figures, without a database. */
import { INTERPRETATION_FORMS } from '../../machines/dossier';
import { REASON_CODES } from '../../machines/reasons';
import type { DocumentKind } from '../../machines/dossier';
import {
  aggregateYear,
  csvFileName,
  cstYear,
  cstYearRange,
  emptyDepartmentYear,
  filingFacts,
  returnsByDepartment,
  toCsv,
  type FilingFacts,
} from '../../src/statistics';
import { parseCsv } from './csv-parse';

const due = (signedAt: Date) => new Date(signedAt.getTime() + 86_400_000);

function facts(department: string, overrides: Partial<FilingFacts> = {}): FilingFacts {
  return {
    department,
    documentKind: 'other',
    createdAt: new Date('2019-06-01T00:00:00Z'),
    returns: [],
    consultationsOpenedAt: [],
    publication: null,
    followUps: [],
    ...overrides,
  };
}

describe('the calendar year is China Standard Time’s', () => {
  test('UTC+8 all year round', () => {
    expect(cstYear(new Date('2025-12-31T15:59:59.999Z'))).toBe(2025);
    expect(cstYear(new Date('2025-12-31T16:00:00.000Z'))).toBe(2026);
    // Midsummer too: there is no daylight saving.
    expect(cstYear(new Date('2026-06-30T16:00:00.000Z'))).toBe(2026);
  });

  test('a year’s range is [00:00 on 1 January, 00:00 on 1 January next) in CST', () => {
    expect(cstYearRange(2026)).toEqual({ from: new Date('2025-12-31T16:00:00.000Z'), to: new Date('2026-12-31T16:00:00.000Z') });
  });
});

describe('aggregateYear', () => {
  test('R6: on time up to and including the due instant; no signing cannot be shown on time', () => {
    const signedAt = new Date('2026-03-01T00:00:00Z');
    const result = aggregateYear(
      2026,
      [
        facts('甲', { publication: { at: new Date('2026-03-02T00:00:00Z'), signedAt, forms: [] } }),
        facts('甲', { publication: { at: new Date('2026-03-02T00:00:00.001Z'), signedAt, forms: [] } }),
        facts('甲', { publication: { at: new Date('2026-03-02T00:00:00Z'), signedAt: null, forms: [] } }),
      ],
      [],
      { publicationDue: due },
    );
    expect(result.departments[0].publications).toEqual({ published: 3, onTime: 1, late: 2, punctualityRate: 1 / 3 });
  });

  test('R6: each kind of document is measured against its own limit', () => {
    // Normative documents within one day of signing, other documents within three (per jurisdiction).
    const days: Record<DocumentKind, number> = { rule: 2, normative: 1, other: 3 };
    const calls: Array<[string, DocumentKind]> = [];
    const perKind = (signedAt: Date, kind: DocumentKind) => {
      calls.push([signedAt.toISOString(), kind]);
      return new Date(signedAt.getTime() + days[kind] * 86_400_000);
    };
    const signedAt = new Date('2026-03-01T00:00:00Z');
    const twoDaysLater = { at: new Date('2026-03-03T00:00:00Z'), signedAt, forms: [] };
    const result = aggregateYear(
      2026,
      [
        facts('甲', { documentKind: 'other', publication: twoDaysLater }),
        facts('甲', { documentKind: 'normative', publication: twoDaysLater }),
        facts('乙', { documentKind: 'rule', publication: twoDaysLater }),
        // A kind the catalogue does not know sets no limit: punctuality cannot be shown.
        facts('乙', { documentKind: null, publication: twoDaysLater }),
      ],
      [],
      { publicationDue: perKind },
    );
    const [jia, yi] = result.departments;
    expect(jia.publications).toEqual({ published: 2, onTime: 1, late: 1, punctualityRate: 0.5 });
    // Exactly on the due instant is on time.
    expect(yi.publications).toEqual({ published: 2, onTime: 1, late: 1, punctualityRate: 0.5 });
    expect(calls.map(([, kind]) => kind)).toEqual(['other', 'normative', 'rule']);
    expect(calls.every(([at]) => at === signedAt.toISOString())).toBe(true);
  });

  test('R5: a form counts once per document, and codes outside the catalogue are not reported', () => {
    const publication = { at: new Date('2026-03-02T00:00:00Z'), signedAt: null, forms: ['policyQa', 'policyQa', 'hologram'] };
    const result = aggregateYear(2026, [facts('甲', { publication, followUps: [{ at: new Date('2026-05-01T00:00:00Z'), form: 'hologram' }] })], [], { publicationDue: due });
    const { byForm, followUps } = result.departments[0].interpretations;
    expect(byForm).toEqual({ ...emptyDepartmentYear(null).interpretations.byForm, policyQa: 1 });
    expect(Object.keys(byForm)).toEqual([...INTERPRETATION_FORMS]);
    // The follow-up happened, whatever its form.
    expect(followUps).toBe(1);
  });

  test('R11: the adoption rate leaves out notApplicable and undisposed comments; null with nothing to divide', () => {
    const result = aggregateYear(
      2026,
      [],
      [
        { department: '甲', outcome: 'adopted', count: 1 },
        { department: '甲', outcome: 'notAdopted', count: 3 },
        { department: '甲', outcome: 'notApplicable', count: 50 },
        { department: '甲', outcome: null, count: 7 },
        { department: '乙', outcome: 'notApplicable', count: 2 },
        { department: '乙', outcome: null, count: 1 },
      ],
      { publicationDue: due },
    );
    const [jia, yi] = [result.departments.find((d) => d.department === '甲')!, result.departments.find((d) => d.department === '乙')!];
    expect(jia.comments).toEqual({ received: 61, adopted: 1, partlyAdopted: 0, notAdopted: 3, notApplicable: 50, undisposed: 7, adoptionRate: 0.25 });
    expect(yi.comments.adoptionRate).toBeNull();
    // The totals' rate comes from summed counts, not from averaging the departments' rates.
    expect(result.total.comments.adoptionRate).toBe(0.25);
  });

  test('departments with nothing in the year are left out unless asked for; totals of nothing are zeros and nulls', () => {
    const result = aggregateYear(2026, [facts('甲'), facts('乙', { createdAt: new Date('2026-01-01T00:00:00Z') })], [], { publicationDue: due, departments: ['丙'] });
    expect(result.departments.map((d) => d.department)).toEqual(['丙', '乙']);
    expect(result.departments[0]).toEqual(emptyDepartmentYear('丙'));
    const empty = aggregateYear(2026, [], [], { publicationDue: due });
    expect(empty).toEqual({ year: 2026, departments: [], total: emptyDepartmentYear(null) });
  });

  test('R18: returns split by kind, each reason counted, most frequent first', () => {
    const at = new Date('2026-02-01T00:00:00Z');
    const result = aggregateYear(
      2026,
      [
        facts('甲', {
          returns: [
            { at, kind: 'intake', reasons: [{ code: 'R2_INTERPRETATION_PLAN_MISSING', rule: 'R2' }, { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1' }] },
            { at, kind: 'clerk', reasons: [{ code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1' }] },
            { at: new Date('2025-02-01T00:00:00Z'), kind: 'clerk', reasons: [{ code: 'R18_OTHER', rule: 'R18' }] },
          ],
        }),
      ],
      [],
      { publicationDue: due },
    );
    expect(result.departments[0].returns).toEqual({
      total: 2,
      intake: 1,
      clerk: 1,
      reasons: [
        { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1', count: 2 },
        { code: 'R2_INTERPRETATION_PLAN_MISSING', rule: 'R2', count: 1 },
      ],
    });
  });
});

describe('filingFacts', () => {
  test('reads returns from the history, rounds that were cleared, and tolerates absent follow-ups', () => {
    const at = '2026-02-01T00:00:00.000Z';
    const f = filingFacts(
      {
        leadDepartment: '甲',
        createdAt: new Date(at),
        history: [
          { at: new Date(at), return: null },
          { at: new Date(at), return: { kind: 'clerk', reasons: [{ code: 'R18_OTHER', rule: 'R18' }] } },
        ],
      },
      {
        particulars: { documentKind: 'normative' },
        consultations: [{ clearance: null }, { clearance: { at } }],
        signing: null,
        publication: { at, interpretation: { forms: ['video'] } },
      },
    );
    expect(f).toEqual({
      department: '甲',
      documentKind: 'normative',
      createdAt: new Date(at),
      returns: [{ at: new Date(at), kind: 'clerk', reasons: [{ code: 'R18_OTHER', rule: 'R18' }] }],
      consultationsOpenedAt: [new Date(at)],
      publication: { at: new Date(at), signedAt: null, forms: ['video'] },
      followUps: [],
    });
  });
});

test('filingFacts: a kind the catalogue does not know, or none at all, is null', () => {
  const row = { leadDepartment: '甲', createdAt: new Date('2026-02-01T00:00:00Z') };
  expect(filingFacts(row, { particulars: { documentKind: 'circular' } }).documentKind).toBeNull();
  expect(filingFacts(row, {}).documentKind).toBeNull();
  expect(filingFacts(row, { particulars: { documentKind: 'rule' } }).documentKind).toBe('rule');
});

describe('returnsByDepartment (the shape of GET /statistics/returns)', () => {
  test('departments with returns only, most returns first, then by name; counts by kind and reason', () => {
    const at = new Date('2026-02-01T00:00:00Z');
    const one = { at, kind: 'clerk', reasons: [{ code: 'R18_OTHER', rule: 'R18' }] };
    const result = aggregateYear(
      2026,
      [
        facts('甲', { createdAt: at }),
        facts('乙', { returns: [one] }),
        facts('丙', { returns: [one, { at, kind: 'intake', reasons: [{ code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1' }, { code: 'R18_OTHER', rule: 'R18' }] }] }),
        facts('丁', { returns: [one] }),
      ],
      [],
      { publicationDue: due },
    );
    expect(returnsByDepartment(result)).toEqual([
      {
        department: '丙',
        returns: 2,
        intakeReturns: 1,
        clerkReturns: 1,
        reasons: [
          { code: 'R18_OTHER', rule: 'R18', count: 2 },
          { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1', count: 1 },
        ],
      },
      { department: '丁', returns: 1, intakeReturns: 0, clerkReturns: 1, reasons: [{ code: 'R18_OTHER', rule: 'R18', count: 1 }] },
      { department: '乙', returns: 1, intakeReturns: 0, clerkReturns: 1, reasons: [{ code: 'R18_OTHER', rule: 'R18', count: 1 }] },
    ]);
  });
});

describe('toCsv', () => {
  const at = new Date('2026-02-01T00:00:00Z');
  const names = ['部门,甲', '"引号"局', '换行\r\n局', '=HYPERLINK("http://x")', '-1+1'];
  const result = aggregateYear(
    2026,
    [
      ...names.map((name) => facts(name, { createdAt: at })),
      facts('乙', { returns: [{ at, kind: 'clerk', reasons: [{ code: 'R3_RETIRED_CODE', rule: 'R3' }] }] }),
    ],
    [],
    { publicationDue: due },
  );
  const csv = toCsv(result);
  const [header, ...rows] = parseCsv(csv.slice(1));

  test('department names with commas, quotes and line breaks round-trip', () => {
    for (const name of names.slice(0, 3)) expect(rows.some((r) => r[0] === name)).toBe(true);
  });

  test('names Excel would take for formulas are defused with a leading apostrophe', () => {
    expect(rows.some((r) => r[0] === `'=HYPERLINK("http://x")`)).toBe(true);
    expect(rows.some((r) => r[0] === `'-1+1`)).toBe(true);
  });

  test('every current reason code has a labelled column; a retired one found in the data gets its own', () => {
    const reasonColumns = header.filter((h) => h.startsWith('退文原因：'));
    expect(reasonColumns).toHaveLength(REASON_CODES.length + 1);
    expect(reasonColumns.at(-1)).toBe('退文原因：R3_RETIRED_CODE');
    const yi = rows.find((r) => r[0] === '乙')!;
    expect(yi[header.indexOf('退文原因：R3_RETIRED_CODE')]).toBe('1');
    expect(rows.at(-1)![header.indexOf('退文原因：R3_RETIRED_CODE')]).toBe('1');
  });

  test('the totals row comes last and the rates of nothing are empty cells', () => {
    expect(rows.at(-1)![0]).toBe('合计');
    expect(rows.at(-1)![header.indexOf('新建办件数')]).toBe(String(names.length));
    expect(rows.at(-1)![header.indexOf('按时发布率')]).toBe('');
  });
});

test('csvFileName: the year, and the department made safe for a file name', () => {
  expect(csvFileName(2026)).toBe('statistics-2026.csv');
  expect(csvFileName(2026, '市教育局')).toBe('statistics-2026-市教育局.csv');
  expect(csvFileName(2026, 'a/b\\c:"d"')).toBe('statistics-2026-a_b_c__d_.csv');
});
