/**
 * R20: the yearly statistics as a spreadsheet for the annual disclosure report and the
 * assessment, which are compiled in Excel.
 */
import { INTERPRETATION_FORM_LABELS, INTERPRETATION_FORMS } from '../../machines/dossier';
import { REASON_CODES, REASONS, type ReasonCode } from '../../machines/reasons';
import type { DepartmentYear, YearlyStatistics } from './figures';

/** Excel reads a CSV file as the local ANSI code page unless it starts with a UTF-8 BOM. */
export const BOM = '\uFEFF';

type Cell = string | number | null;

interface Column {
  header: string;
  value: (row: DepartmentYear) => Cell;
}

function percent(rate: number | null): Cell {
  return rate === null ? null : `${(rate * 100).toFixed(1)}%`;
}

function reasonCount(row: DepartmentYear, code: string): number {
  return row.returns.reasons.find((r) => r.code === code)?.count ?? 0;
}

function columns(result: YearlyStatistics): Column[] {
  // Codes retired from the catalogue may still be in old returns (R18: every return counts),
  // so they get a column of their own after the current ones.
  const known: ReadonlySet<string> = new Set(REASON_CODES);
  const retired = [...new Set(result.total.returns.reasons.map((r) => r.code))].filter((code) => !known.has(code)).sort();
  return [
    { header: '部门', value: (row) => text(row.department ?? '合计') },
    { header: '年度', value: () => result.year },
    { header: '新建办件数', value: (row) => row.filings },
    { header: '退文次数', value: (row) => row.returns.total },
    { header: '其中：报送时完整性审查退回', value: (row) => row.returns.intake },
    { header: '其中：政府办公厅（室）退文', value: (row) => row.returns.clerk },
    ...REASON_CODES.map((code: ReasonCode) => ({
      header: `退文原因：${REASONS[code].label}（${REASONS[code].rule}）`,
      value: (row: DepartmentYear) => reasonCount(row, code),
    })),
    ...retired.map((code) => ({ header: `退文原因：${code}`, value: (row: DepartmentYear) => reasonCount(row, code) })),
    { header: '公开征求意见轮次', value: (row) => row.consultations },
    { header: '收到意见条数', value: (row) => row.comments.received },
    { header: '采纳', value: (row) => row.comments.adopted },
    { header: '部分采纳', value: (row) => row.comments.partlyAdopted },
    { header: '未采纳', value: (row) => row.comments.notAdopted },
    { header: '不适用', value: (row) => row.comments.notApplicable },
    { header: '尚未处理', value: (row) => row.comments.undisposed },
    // The definition goes into the header: the reader of the spreadsheet never sees the code.
    { header: '意见采纳率（（采纳+部分采纳）÷（采纳+部分采纳+未采纳））', value: (row) => percent(row.comments.adoptionRate) },
    ...INTERPRETATION_FORMS.map((form) => ({
      header: `解读形式：${INTERPRETATION_FORM_LABELS[form]}`,
      value: (row: DepartmentYear) => row.interpretations.byForm[form],
    })),
    { header: '其中：后续解读次数', value: (row) => row.interpretations.followUps },
    { header: '公开发布件数', value: (row) => row.publications.published },
    { header: '按时发布件数', value: (row) => row.publications.onTime },
    { header: '逾期发布件数', value: (row) => row.publications.late },
    { header: '按时发布率', value: (row) => percent(row.publications.punctualityRate) },
  ];
}

/**
 * Free text that Excel would take for a formula (=, +, -, @ first) is defused with a leading
 * apostrophe, which Excel hides, so a crafted department name cannot run anything.
 */
function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: quoted when it holds a delimiter, a quote or a line break; quotes doubled. */
function field(cell: Cell): string {
  if (cell === null) return '';
  const value = String(cell);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per department, then the totals row (合计); CRLF line ends as RFC 4180 has them. */
export function toCsv(result: YearlyStatistics): string {
  const cols = columns(result);
  const lines = [cols.map((c) => field(c.header))];
  for (const row of [...result.departments, result.total]) lines.push(cols.map((c) => field(c.value(row))));
  return BOM + lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

/**
 * The name a download is saved under, e.g. `statistics-2026.csv`; a department filter adds the
 * department, with the characters file systems refuse replaced.
 */
export function csvFileName(year: number, department?: string): string {
  const suffix = department === undefined ? '' : `-${department.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')}`;
  return `statistics-${year}${suffix}.csv`;
}

/** The same escaping for the other spreadsheets (the security audit trail's). */
export { field as csvField, text as csvText };
