import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { INTERPRETATION_FORM_LABELS, INTERPRETATION_FORMS } from '../../machines/dossier';
import { REASONS } from '../../machines/reasons';
import { AppError } from '../errors';
import type { Services } from '../services';
import { csvFileName, cstYear, mayReadStatistics, toCsv, type DepartmentYear, type YearlyStatistics } from '../statistics';
import { DISPOSITION_OUTCOMES } from '../store/records';
import { OUTCOME_LABELS } from './consultation';
import { actorOf, type ConsolePages } from './page';

/** How many years the year picker offers, the current one included. */
const YEARS_OFFERED = 5;

/** Like the other console lists, a value the form would never send falls back to the default. */
const statisticsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  department: z.string().trim().min(1).max(100).optional().catch(undefined),
});

interface Bar {
  label: string;
  value: number;
  max: number;
  /** The totals' bar, set apart. */
  total: boolean;
  /** The figure in words, e.g. `3 次（37.5%）`. */
  text: string;
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

function share(count: number, of: number): string {
  return of === 0 ? '' : `（${percent(count / of)}）`;
}

function reasonLabel(code: string, rule: string): string {
  const known = (REASONS as Record<string, { label: string } | undefined>)[code];
  return `${known ? known.label : code}（${rule}）`;
}

/** One line of the figures table; the totals row has the department 合计. */
function tableRow(row: DepartmentYear) {
  return {
    department: row.department ?? '合计',
    total: row.department === null,
    filings: row.filings,
    returns: row.returns.total,
    intake: row.returns.intake,
    clerk: row.returns.clerk,
    consultations: row.consultations,
    received: row.comments.received,
    adopted: row.comments.adopted,
    partlyAdopted: row.comments.partlyAdopted,
    notAdopted: row.comments.notAdopted,
    notApplicable: row.comments.notApplicable,
    undisposed: row.comments.undisposed,
    adoptionRate: percent(row.comments.adoptionRate),
    followUps: row.interpretations.followUps,
    published: row.publications.published,
    onTime: row.publications.onTime,
    late: row.publications.late,
    punctuality: percent(row.publications.punctualityRate),
  };
}

/** Bars without a script (the CSP allows none): `<progress>` elements with the figure beside them. */
function charts(result: YearlyStatistics) {
  const total = result.total;
  const reasonMax = Math.max(1, ...total.returns.reasons.map((r) => r.count));
  const reasons: Bar[] = total.returns.reasons.map((r) => ({
    label: reasonLabel(r.code, r.rule),
    value: r.count,
    max: reasonMax,
    total: false,
    text: `${r.count} 次`,
  }));
  const formCounts = INTERPRETATION_FORMS.map((form) => total.interpretations.byForm[form]);
  const formMax = Math.max(1, ...formCounts);
  const pieces = formCounts.reduce((a, b) => a + b, 0);
  const forms: Bar[] = INTERPRETATION_FORMS.map((form, i) => ({
    label: INTERPRETATION_FORM_LABELS[form],
    value: formCounts[i],
    max: formMax,
    total: false,
    text: `${formCounts[i]} 项${share(formCounts[i], pieces)}`,
  }));
  const received = total.comments.received;
  const outcomes: Bar[] = [
    ...DISPOSITION_OUTCOMES.map((outcome) => ({ label: OUTCOME_LABELS[outcome], count: total.comments[outcome] })),
    { label: '尚未处理', count: total.comments.undisposed },
  ].map(({ label, count }) => ({ label, value: count, max: Math.max(1, received), total: false, text: `${count} 条${share(count, received)}` }));
  const punctuality: Bar[] = [...result.departments, total]
    .filter((row) => row.publications.published > 0)
    .map((row) => ({
      label: row.department ?? '合计',
      total: row.department === null,
      value: Math.round((row.publications.punctualityRate ?? 0) * 1000) / 10,
      max: 100,
      text: `按时 ${row.publications.onTime} / 发布 ${row.publications.published} 件（${percent(row.publications.punctualityRate)}）`,
    }));
  return {
    reasons,
    forms,
    pieces,
    outcomes,
    received,
    adoptionRate: percent(total.comments.adoptionRate),
    punctuality,
  };
}

/**
 * R20: the yearly statistics in the console, for the general office and the assessors — the
 * figures per department, bar charts of what the annual report discusses, and the spreadsheet.
 */
export function statisticsRoutes(router: express.Router, services: Services, pages: ConsolePages): void {
  const { statistics, filings } = services;

  const query = (req: Request) => {
    if (!mayReadStatistics(actorOf(req))) throw new AppError('FORBIDDEN_ROLE');
    const parsed = statisticsQuery.parse(req.query);
    return { year: parsed.year ?? cstYear(new Date()), department: parsed.department };
  };

  const search = (year: number, department: string | undefined) => {
    const params = new URLSearchParams({ year: String(year) });
    if (department !== undefined) params.set('department', department);
    return params.toString();
  };

  router.get('/console/statistics', async (req: Request, res: Response) => {
    const { year, department } = query(req);
    const [result, departments] = await Promise.all([statistics.yearly(year, { department }), filings.departments(actorOf(req))]);
    const current = cstYear(new Date());
    const years = Array.from({ length: YEARS_OFFERED }, (_, i) => current - i);
    if (!years.includes(year)) years.push(year);
    const names = department === undefined || departments.includes(department) ? departments : [...departments, department];
    const scope = department ?? '全部部门';
    pages.render(req, res, 200, 'statistics', `${year}年度统计`, {
      year,
      scope,
      filtered: department !== undefined,
      years: years.sort((a, b) => b - a).map((y) => ({ value: y, selected: y === year })),
      departments: names.map((name) => ({ name, selected: name === department })),
      rows: result.departments.map(tableRow),
      totals: tableRow(result.total),
      charts: charts(result),
      csvHref: `/console/statistics.csv?${search(year, department)}`,
    }, { statistics: true });
  });

  // The same spreadsheet as GET /statistics/csv, for the console's cookie session.
  router.get('/console/statistics.csv', async (req: Request, res: Response) => {
    const { year, department } = query(req);
    const csv = toCsv(await statistics.yearly(year, { department }));
    res.attachment(csvFileName(year, department)).type('text/csv; charset=utf-8').send(csv);
  });
}

