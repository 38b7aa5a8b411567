/**
 * R20: the yearly figures per lead department — material for the annual disclosure report and
 * the performance assessment. Everything here is pure: rows in, figures out, no clock and no
 * database, so each definition can be pinned down by a unit test.
 */
import { DOCUMENT_KINDS, INTERPRETATION_FORMS, type DocumentKind, type InterpretationForm } from '../../machines/dossier';
import { DISPOSITION_OUTCOMES, type DispositionOutcome } from '../store/records';

/** China Standard Time is UTC+8 all year: there is no daylight saving to account for. */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The calendar year an instant falls in, as assessors in China count it. */
export function cstYear(at: Date): number {
  return new Date(at.getTime() + CST_OFFSET_MS).getUTCFullYear();
}

/** The instants [from, to) of a CST calendar year, for database range filters. */
export function cstYearRange(year: number): { from: Date; to: Date } {
  const start = (y: number) => {
    // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to the 1900s.
    const d = new Date(0);
    d.setUTCFullYear(y, 0, 1);
    return new Date(d.getTime() - CST_OFFSET_MS);
  };
  return { from: start(year), to: start(year + 1) };
}

export interface ReasonCount {
  code: string;
  rule: string;
  count: number;
}

export type OutcomeCounts = Record<DispositionOutcome, number>;

/** One department's figures for one year; the totals row has `department: null`. */
export interface DepartmentYear {
  /** The lead department (R3): joint filings count once, for their lead only. */
  department: string | null;
  /** Filings created in the year. */
  filings: number;
  /** R18: every return in the year, by who returned it and by coded reason. */
  returns: {
    total: number;
    /** Refused by the completeness check at submission. */
    intake: number;
    /** Returned by the general office clerk. */
    clerk: number;
    /** Each reason given on a return counts once; most frequent first. */
    reasons: ReasonCount[];
  };
  /** R8/R9: comment rounds made public (cleared, R15) in the year. */
  consultations: number;
  /** R11: comments received in the year, by the disposition they have now. */
  comments: OutcomeCounts & {
    received: number;
    undisposed: number;
    /**
     * (adopted + partlyAdopted) / (adopted + partlyAdopted + notAdopted), over the comments
     * received in the year that have a disposition. notApplicable (off-topic) comments are left
     * out because they were never a proposal that could be adopted; undisposed ones because
     * their outcome is not known yet. null when nothing is left to divide by.
     */
    adoptionRate: number | null;
  };
  /** R5/R7: interpretation pieces by form. */
  interpretations: {
    /** Forms of the documents published in the year plus follow-ups made in the year. */
    byForm: Record<InterpretationForm, number>;
    /** R7: follow-up interpretations made in the year. */
    followUps: number;
  };
  /** R6: documents published in the year, measured against the due date of their signing. */
  publications: {
    published: number;
    onTime: number;
    late: number;
    /** onTime / published; null when nothing was published. */
    punctualityRate: number | null;
  };
}

export interface YearlyStatistics {
  year: number;
  departments: DepartmentYear[];
  total: DepartmentYear;
}

/** What statistics need of one filing, dates already parsed. */
export interface FilingFacts {
  department: string;
  /**
   * R6: the kind of document, whose publication time limit applies; null when the stored
   * context names none the catalogue knows, so no limit can be told.
   */
  documentKind: DocumentKind | null;
  createdAt: Date;
  returns: Array<{ at: Date; kind: string; reasons: Array<{ code: string; rule: string }> }>;
  /** Clearance instants of the consultation rounds that were made public. */
  consultationsOpenedAt: Date[];
  publication: { at: Date; signedAt: Date | null; forms: string[] } | null;
  followUps: Array<{ at: Date; form: string }>;
}

/** Comments of one department and outcome, already restricted to the year (see service.ts). */
export interface CommentTally {
  department: string;
  /** null: not yet disposed of. */
  outcome: DispositionOutcome | null;
  count: number;
}

/**
 * The parts of a filing context statistics read. Structural, so both the current FilingContext
 * and the R7 follow-ups (not yet part of the chart everywhere; absent on older documents) fit.
 */
export interface StatisticsContext {
  particulars?: { documentKind?: string | null } | null;
  consultations?: ReadonlyArray<{ clearance: { at: string } | null }>;
  signing?: { at: string } | null;
  publication?: { at: string; interpretation?: { forms?: readonly string[] } | null } | null;
  followUps?: ReadonlyArray<{ at: string; form: string }> | null;
}

export interface FilingRow {
  leadDepartment: string;
  createdAt: Date;
  history?: ReadonlyArray<{ at: Date; return?: { kind: string; reasons?: ReadonlyArray<{ code: string; rule: string }> } | null }>;
}

const KINDS: ReadonlySet<string> = new Set(DOCUMENT_KINDS);

function kindOf(value: string | null | undefined): DocumentKind | null {
  return typeof value === 'string' && KINDS.has(value) ? (value as DocumentKind) : null;
}

function dateOf(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Returns are read from the history, not from `context.returns`: the history is the
 * append-only ledger (R15) the existing /statistics/returns figures come from, so both agree.
 */
export function filingFacts(row: FilingRow, context: StatisticsContext): FilingFacts {
  const returns: FilingFacts['returns'] = [];
  for (const entry of row.history ?? []) {
    const at = dateOf(entry.at);
    if (entry.return == null || at === null) continue;
    returns.push({
      at,
      kind: entry.return.kind,
      reasons: (entry.return.reasons ?? []).map((r) => ({ code: r.code, rule: r.rule })),
    });
  }
  const consultationsOpenedAt: Date[] = [];
  for (const round of context.consultations ?? []) {
    // A round refused at clearance never reached the public, so it is no consultation (R15).
    const at = dateOf(round.clearance?.at);
    if (at !== null) consultationsOpenedAt.push(at);
  }
  const publishedAt = dateOf(context.publication?.at);
  const publication =
    context.publication && publishedAt !== null
      ? { at: publishedAt, signedAt: dateOf(context.signing?.at), forms: [...(context.publication.interpretation?.forms ?? [])] }
      : null;
  const followUps: FilingFacts['followUps'] = [];
  for (const followUp of context.followUps ?? []) {
    const at = dateOf(followUp.at);
    if (at !== null) followUps.push({ at, form: followUp.form });
  }
  return {
    department: row.leadDepartment,
    documentKind: kindOf(context.particulars?.documentKind),
    createdAt: row.createdAt,
    returns,
    consultationsOpenedAt,
    publication,
    followUps,
  };
}

function zeroOutcomes(): OutcomeCounts {
  return { adopted: 0, partlyAdopted: 0, notAdopted: 0, notApplicable: 0 };
}

function zeroForms(): Record<InterpretationForm, number> {
  return Object.fromEntries(INTERPRETATION_FORMS.map((form) => [form, 0])) as Record<InterpretationForm, number>;
}

export function emptyDepartmentYear(department: string | null): DepartmentYear {
  return {
    department,
    filings: 0,
    returns: { total: 0, intake: 0, clerk: 0, reasons: [] },
    consultations: 0,
    comments: { received: 0, undisposed: 0, ...zeroOutcomes(), adoptionRate: null },
    interpretations: { byForm: zeroForms(), followUps: 0 },
    publications: { published: 0, onTime: 0, late: 0, punctualityRate: null },
  };
}

const FORMS: ReadonlySet<string> = new Set(INTERPRETATION_FORMS);

function isForm(value: string): value is InterpretationForm {
  return FORMS.has(value);
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Rates are derived last, from summed counts, so the totals row is never an average of rates. */
function withRates(row: DepartmentYear): DepartmentYear {
  const c = row.comments;
  const p = row.publications;
  row.comments.adoptionRate = ratio(c.adopted + c.partlyAdopted, c.adopted + c.partlyAdopted + c.notAdopted);
  row.publications.punctualityRate = ratio(p.onTime, p.published);
  return row;
}

function addReason(reasons: ReasonCount[], code: string, rule: string, count: number): void {
  // Keyed by code alone, as /statistics/returns does: a code always serves the same rule.
  const existing = reasons.find((r) => r.code === code);
  if (existing) existing.count += count;
  else reasons.push({ code, rule, count });
}

function sortReasons(reasons: ReasonCount[]): void {
  reasons.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

function isEmpty(row: DepartmentYear): boolean {
  return (
    row.filings === 0 &&
    row.returns.total === 0 &&
    row.consultations === 0 &&
    row.comments.received === 0 &&
    row.publications.published === 0 &&
    row.interpretations.followUps === 0
  );
}

function addInto(total: DepartmentYear, row: DepartmentYear): void {
  total.filings += row.filings;
  total.returns.total += row.returns.total;
  total.returns.intake += row.returns.intake;
  total.returns.clerk += row.returns.clerk;
  for (const r of row.returns.reasons) addReason(total.returns.reasons, r.code, r.rule, r.count);
  total.consultations += row.consultations;
  total.comments.received += row.comments.received;
  total.comments.undisposed += row.comments.undisposed;
  for (const outcome of DISPOSITION_OUTCOMES) total.comments[outcome] += row.comments[outcome];
  for (const form of INTERPRETATION_FORMS) total.interpretations.byForm[form] += row.interpretations.byForm[form];
  total.interpretations.followUps += row.interpretations.followUps;
  total.publications.published += row.publications.published;
  total.publications.onTime += row.publications.onTime;
  total.publications.late += row.publications.late;
}

/** Departments in the order of the Chinese collation (pinyin), as lists in reports are. */
const collator = new Intl.Collator('zh-Hans-CN');

export interface AggregateOptions {
  /**
   * R6: the latest permitted publication instant for a document of `kind` signed at `signedAt`;
   * the limits are per kind of document and per jurisdiction.
   */
  publicationDue: (signedAt: Date, kind: DocumentKind) => Date;
  /** Departments that get a row even with nothing to report (an explicit department filter). */
  departments?: readonly string[];
}

/**
 * Each event counts in the CST year of its own timestamp, whatever the year of the filing:
 * a document signed in December and published in January is a January publication.
 */
export function aggregateYear(
  year: number,
  filings: Iterable<FilingFacts>,
  comments: Iterable<CommentTally>,
  options: AggregateOptions,
): YearlyStatistics {
  const rows = new Map<string, DepartmentYear>();
  const rowOf = (department: string): DepartmentYear => {
    let row = rows.get(department);
    if (!row) {
      row = emptyDepartmentYear(department);
      rows.set(department, row);
    }
    return row;
  };
  const inYear = (at: Date) => cstYear(at) === year;

  for (const filing of filings) {
    const row = rowOf(filing.department);
    if (inYear(filing.createdAt)) row.filings += 1;
    for (const ret of filing.returns) {
      if (!inYear(ret.at)) continue;
      row.returns.total += 1;
      if (ret.kind === 'intake') row.returns.intake += 1;
      else row.returns.clerk += 1;
      for (const reason of ret.reasons) addReason(row.returns.reasons, reason.code, reason.rule, 1);
    }
    row.consultations += filing.consultationsOpenedAt.filter(inYear).length;
    const publication = filing.publication;
    if (publication && inYear(publication.at)) {
      row.publications.published += 1;
      // The chart only publishes what was signed; should a signing (or the kind of document,
      // which sets the limit) be missing all the same, punctuality cannot be shown, and R6 asks
      // for it to be shown, so it counts as late.
      const due = publication.signedAt && filing.documentKind ? options.publicationDue(publication.signedAt, filing.documentKind) : null;
      if (due !== null && publication.at.getTime() <= due.getTime()) row.publications.onTime += 1;
      else row.publications.late += 1;
      // R5: a form counts once per document; codes outside the catalogue are not reported.
      for (const form of new Set(publication.forms)) if (isForm(form)) row.interpretations.byForm[form] += 1;
    }
    for (const followUp of filing.followUps) {
      if (!inYear(followUp.at)) continue;
      // R7: every follow-up is a piece of interpretation of its own form.
      row.interpretations.followUps += 1;
      if (isForm(followUp.form)) row.interpretations.byForm[followUp.form] += 1;
    }
  }

  for (const tally of comments) {
    const row = rowOf(tally.department);
    row.comments.received += tally.count;
    if (tally.outcome === null) row.comments.undisposed += tally.count;
    else row.comments[tally.outcome] += tally.count;
  }

  const requested = new Set(options.departments ?? []);
  for (const department of requested) rowOf(department);
  const departments = [...rows.values()]
    .filter((row) => requested.has(row.department as string) || !isEmpty(row))
    .sort((a, b) => collator.compare(a.department as string, b.department as string));
  const total = emptyDepartmentYear(null);
  for (const row of departments) {
    sortReasons(row.returns.reasons);
    withRates(row);
    addInto(total, row);
  }
  sortReasons(total.returns.reasons);
  return { year, departments, total: withRates(total) };
}
