import { Types } from 'mongoose';
import type { AdoptionReportSummary, ConsultationRound } from '../../machines/filing.machine';
import { AppError } from '../errors';
import { textChanges } from '../text/diff';
import { DISPOSITION_OUTCOMES, type ClusteringRecord, type CommentRecord, type DispositionOutcome, type Models, type ReportRecord } from '../store/models';

/** Clusters at least this large are "相对集中的意见" whose non-adoption must be explained (R11). */
export const CONCENTRATED_MIN_SIZE = 5;

type Counts = Record<DispositionOutcome, number>;

function zero(): Counts {
  return { adopted: 0, partlyAdopted: 0, notAdopted: 0, notApplicable: 0 };
}

/** Comment counts by article and outcome, as the database groups them; no outcome: unanswered. */
export type OutcomeRow = { _id: { article: number | null; outcome?: DispositionOutcome | null }; count: number };

/**
 * The report's figures from grouped counts: totals, per article (in article order, the whole
 * draft first) and how many comments are still unanswered. Pure, so that its cost at a million
 * comments can be measured on its own (scripts/bench-cluster.ts).
 */
export function tallyOutcomes(rows: readonly OutcomeRow[]): {
  undisposed: number;
  totals: ReportRecord['totals'];
  byArticle: ReportRecord['byArticle'];
} {
  let undisposed = 0;
  const totals = { commentCount: 0, ...zero() };
  const byArticle = new Map<number | null, { article: number | null; count: number } & Counts>();
  for (const row of rows) {
    const outcome = row._id.outcome;
    if (outcome == null) {
      undisposed += row.count;
      continue;
    }
    const article = row._id.article ?? null;
    let entry = byArticle.get(article);
    if (!entry) {
      entry = { article, count: 0, ...zero() };
      byArticle.set(article, entry);
    }
    entry.count += row.count;
    entry[outcome] += row.count;
    totals.commentCount += row.count;
    totals[outcome] += row.count;
  }
  return { undisposed, totals, byArticle: [...byArticle.values()].sort((a, b) => (a.article ?? 0) - (b.article ?? 0)) };
}

/**
 * Builds the adoption report (R11) from the dispositions: totals, by article, by outcome, the
 * concentrated opinions with their answers, and the changes from the consulted draft to the
 * text as filed. Refuses while any comment lacks a disposition.
 */
export async function buildReport(
  models: Models,
  filingId: Types.ObjectId,
  round: ConsultationRound,
  texts: { draft: string; filed: string; filedVersion: number },
  clustering: Pick<ClusteringRecord, 'clusters'>,
  reportId: string,
  now: Date,
): Promise<ReportRecord> {
  const scope = { filingId, round: round.round };
  // One pass over the round's comments: the figures by article and outcome, and — as the rows
  // without an outcome — the comments still unanswered, which refuse the report.
  const rows = await models.Comment.aggregate<OutcomeRow>([
    { $match: scope },
    { $group: { _id: { article: '$article', outcome: '$disposition.outcome' }, count: { $sum: 1 } } },
  ]).exec();
  const { undisposed, totals, byArticle } = tallyOutcomes(rows);
  if (undisposed > 0) throw new AppError('COMMENTS_UNDISPOSED', { undisposed });

  // 相对集中的意见: campaigns large enough to need a reasoned answer, with the answer given.
  // Their representatives are read in one query, not one query per campaign.
  const large = clustering.clusters.filter((c) => c.memberIds.length >= CONCENTRATED_MIN_SIZE);
  const found =
    large.length === 0
      ? []
      : await models.Comment.find({ ...scope, _id: { $in: large.map((c) => new Types.ObjectId(c.id)) } }, { publicBody: 1, disposition: 1 })
          .lean<Array<Pick<CommentRecord, '_id' | 'publicBody' | 'disposition'>>>()
          .exec();
  const representatives = new Map(found.map((c) => [String(c._id), c]));
  const concentrated: ReportRecord['concentrated'] = [];
  for (const cluster of large) {
    const representative = representatives.get(cluster.id);
    if (!representative?.disposition) continue;
    concentrated.push({
      clusterId: cluster.id,
      size: cluster.memberIds.length,
      sample: representative.publicBody,
      outcome: representative.disposition.outcome,
      reason: representative.disposition.reason ?? null,
    });
  }
  concentrated.sort((a, b) => b.size - a.size || a.clusterId.localeCompare(b.clusterId));

  return {
    _id: reportId,
    filingId,
    round: round.round,
    generatedAt: now,
    draftVersion: round.draftVersion,
    filedVersion: texts.filedVersion,
    totals,
    byArticle,
    concentrated,
    textChanges: textChanges(texts.draft, texts.filed),
  };
}

export function summaryOf(report: ReportRecord, finalizedAt: string): AdoptionReportSummary {
  return {
    reportId: report._id,
    commentCount: report.totals.commentCount,
    adopted: report.totals.adopted,
    partlyAdopted: report.totals.partlyAdopted,
    notAdopted: report.totals.notAdopted,
    notApplicable: report.totals.notApplicable,
    finalizedAt,
    publishedAt: null,
  };
}

/** One CSV row per article and outcome, with a header in Chinese: opens in any spreadsheet. */
export function reportCsv(report: ReportRecord): string {
  const labels: Record<DispositionOutcome, string> = {
    adopted: '采纳',
    partlyAdopted: '部分采纳',
    notAdopted: '未采纳',
    notApplicable: '不适用',
  };
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [['条款', '意见数', ...DISPOSITION_OUTCOMES.map((o) => labels[o])].join(',')];
  for (const row of report.byArticle) {
    lines.push([cell(row.article === null ? '全文' : `第${row.article}条`), row.count, ...DISPOSITION_OUTCOMES.map((o) => row[o])].join(','));
  }
  lines.push([cell('合计'), report.totals.commentCount, ...DISPOSITION_OUTCOMES.map((o) => report.totals[o])].join(','));
  lines.push('');
  lines.push(['相对集中的意见', '条数', '处理结果', '理由'].join(','));
  for (const c of report.concentrated) lines.push([cell(c.sample), c.size, labels[c.outcome], cell(c.reason)].join(','));
  // A BOM so that spreadsheet programs read the Chinese as UTF-8.
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
