import { ROLE_LABELS, type Role } from '../../machines/roles';
import { cstDate, formatCst } from '../calendar';
import { BOM, csvField, csvText } from '../statistics/csv';
import { AUDIT_OUTCOME_LABELS, auditKindLabel } from './kinds';
import type { RecordedAuditEntry } from './trail';

/** What the keys of an entry's detail are called, for the auditor. */
const DETAIL_LABELS: Record<string, string> = {
  route: '接口',
  what: '内容',
  count: '条数',
  round: '轮次',
  page: '页码',
  channel: '渠道',
  reason: '原因',
  filters: '筛选条件',
  command: '命令',
  osUser: '服务器用户',
  host: '服务器',
  role: '角色',
  department: '部门',
  email: '邮箱',
  spans: '隐去处数',
  receipt: '回执编号',
  messageId: '邮件编号',
  status: '状态',
  sessionStarted: '会话开始',
};

/** Codes stored in details, in words. */
const VALUE_LABELS: Record<string, string> = {
  console: '工作台',
  api: '接口',
  invalidToken: '访问令牌无效或已停用',
  noToken: '未填写访问令牌',
};

function value(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length === 0 ? '无' : entries.map(([k, inner]) => `${k}=${value(inner)}`).join('，');
  }
  return VALUE_LABELS[String(v)] ?? String(v);
}

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role as Role] ?? role;
}

/** The detail in one line: `接口：GET /mail；条数：3`. */
export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${DETAIL_LABELS[k] ?? k}：${value(v)}`)
    .join('；');
}

/** One entry as the console and the spreadsheet show it. */
export function presentEntry(entry: RecordedAuditEntry) {
  return {
    seq: entry.seq,
    at: formatCst(new Date(entry.at)),
    atIso: new Date(entry.at).toISOString(),
    kind: entry.kind,
    kindLabel: auditKindLabel(entry.kind),
    outcome: entry.outcome,
    outcomeLabel: AUDIT_OUTCOME_LABELS[entry.outcome] ?? entry.outcome,
    failed: entry.outcome === 'failure',
    actor: entry.actor ? entry.actor.name : '（未登录）',
    actorId: entry.actor?.id ?? '',
    role: entry.actor ? roleLabel(entry.actor.role) : '',
    target: entry.target ? `${entry.target.label}` : '—',
    targetType: entry.target?.type ?? '',
    targetId: entry.target?.id ?? '',
    ip: entry.ip ?? '—',
    detail: detailText(entry.detail ?? {}),
    hash: entry.hash,
  };
}


const COLUMNS: Array<[string, (e: ReturnType<typeof presentEntry>) => string | number]> = [
  ['序号', (e) => e.seq],
  ['时间（北京时间）', (e) => e.at],
  ['时间（UTC）', (e) => e.atIso],
  ['类别', (e) => e.kindLabel],
  ['类别代码', (e) => e.kind],
  ['结果', (e) => e.outcomeLabel],
  ['人员', (e) => csvText(e.actor)],
  ['人员编号', (e) => csvText(e.actorId)],
  ['角色', (e) => e.role],
  ['对象类型', (e) => csvText(e.targetType)],
  ['对象', (e) => csvText(e.target)],
  ['对象编号', (e) => csvText(e.targetId)],
  ['来源地址', (e) => csvText(e.ip)],
  ['详情', (e) => csvText(e.detail)],
  ['哈希值', (e) => e.hash],
];

/** The header line, with the BOM Excel needs to read UTF-8 (like the statistics CSV). */
export function auditCsvHeader(): string {
  return `${BOM}${COLUMNS.map(([h]) => csvField(h)).join(',')}\r\n`;
}

export function auditCsvRow(entry: RecordedAuditEntry): string {
  const shown = presentEntry(entry);
  return `${COLUMNS.map(([, get]) => csvField(get(shown))).join(',')}\r\n`;
}

/** e.g. `security-audit-2026-11-22.csv`. */
export function auditCsvFileName(now: Date): string {
  return `security-audit-${cstDate(now)}.csv`;
}
