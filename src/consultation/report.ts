import type { AdoptionReportSummary, ConsultationRound } from '../../machines/filing.machine';
import { AppError } from '../errors';
import { textChanges } from '../text/diff';
import type { CommentStore } from '../store/comments';
import type { ObjectId } from '../store/ids';
import { DISPOSITION_OUTCOMES, type ClusteringRecord, type DispositionOutcome, type ReportRecord } from '../store/records';

/**
 * R11: a campaign of at least this many identical or near-identical comments is a
 * 相对集中的意见, listed in the adoption report with every answer it was given and the reason for
 * each; the workbench marks the same campaigns. A setting (CONCENTRATED_OPINION_MIN_COMMENTS).
 */
export const DEFAULT_CONCENTRATED_MIN_COMMENTS = 3;

type Counts = Record<DispositionOutcome, number>;

function zero(): Counts {
  return { adopted: 0, partlyAdopted: 0, notAdopted: 0, notApplicable: 0 };
}

/** Comment counts by article and outcome; no outcome: unanswered. */
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

/** Answers grouped while the round's comments stream past: per campaign, per outcome and reason. */
interface AnswerGroup {
  outcome: DispositionOutcome;
  reason: string | null;
  count: number;
  /** Position in the campaign of the earliest member with this answer, and its id. */
  first: number;
  sampleId: string;
}

/**
 * Builds the adoption report (R11) from the dispositions: totals, by article, by outcome, the
 * concentrated opinions with their answers, and the changes from the consulted draft to the
 * text as filed. Refuses while any comment lacks a disposition.
 *
 * A concentrated opinion is a campaign of at least `concentratedMinComments` comments. Its
 * members are usually answered at once, but not always — some copies add a demand that is taken
 * up, a second batch gets another reason — so it is reported per answer: one entry per outcome
 * and reason, with how many of the campaign's comments got it and the earliest of them as its
 * sample, the largest first. Every reason is there; no answer speaks for comments it was not
 * given to.
 */
export async function buildReport(
  comments: CommentStore,
  filingId: ObjectId,
  round: ConsultationRound,
  texts: { draft: string; filed: string; filedVersion: number },
  clustering: Pick<ClusteringRecord, 'clusters'>,
  reportId: string,
  now: Date,
  concentratedMinComments: number = DEFAULT_CONCENTRATED_MIN_COMMENTS,
): Promise<ReportRecord> {
  // Largest campaign first (then by id, so the order never depends on how it was stored).
  const campaigns = clustering.clusters
    .filter((c) => c.memberIds.length >= concentratedMinComments)
    .sort((a, b) => b.memberIds.length - a.memberIds.length || a.id.localeCompare(b.id));
  // Each member of a concentrated campaign: its campaign and its position there (input order,
  // so the earliest comments come first).
  const memberOf = new Map<string, { campaign: number; position: number }>();
  campaigns.forEach((c, campaign) => c.memberIds.forEach((id, position) => memberOf.set(id, { campaign, position })));
  const answers = campaigns.map(() => new Map<string, AnswerGroup>());

  // One pass over the round's comments for both: the figures by article and outcome — the
  // comments without an outcome are the unanswered ones, which refuse the report — and the
  // answers of the concentrated campaigns' members. Streamed, so a million comments are never
  // held at once.
  const byArticleAndOutcome = new Map<string, OutcomeRow>();
  for await (const comment of comments.outcomesOfRound(filingId, round.round)) {
    const article = comment.article;
    const disposition = comment.disposition;
    const outcome = disposition?.outcome ?? null;
    const key = `${article}|${outcome}`;
    const row = byArticleAndOutcome.get(key);
    if (row) row.count++;
    else byArticleAndOutcome.set(key, { _id: { article, outcome }, count: 1 });
    const member = memberOf.get(String(comment._id));
    if (!member || outcome === null) continue;
    const reason = disposition?.reason ?? null;
    const answerKey = `${outcome}|${reason ?? ''}`;
    const group = answers[member.campaign].get(answerKey);
    if (!group) answers[member.campaign].set(answerKey, { outcome, reason, count: 1, first: member.position, sampleId: String(comment._id) });
    else {
      group.count++;
      if (member.position < group.first) {
        group.first = member.position;
        group.sampleId = String(comment._id);
      }
    }
  }
  const { undisposed, totals, byArticle } = tallyOutcomes([...byArticleAndOutcome.values()]);
  if (undisposed > 0) throw new AppError('COMMENTS_UNDISPOSED', { undisposed });

  const outcomeOrder = (o: DispositionOutcome) => DISPOSITION_OUTCOMES.indexOf(o);
  const entries: Array<Omit<ReportRecord['concentrated'][number], 'sample' | 'sampleId'> & { sampleId: string }> = [];
  campaigns.forEach((cluster, campaign) => {
    const groups = [...answers[campaign].values()].sort((a, b) => b.count - a.count || outcomeOrder(a.outcome) - outcomeOrder(b.outcome) || a.first - b.first);
    for (const group of groups) {
      entries.push({
        clusterId: cluster.id,
        campaignSize: cluster.memberIds.length,
        size: group.count,
        sampleId: group.sampleId,
        outcome: group.outcome,
        reason: group.reason,
      });
    }
  });
  const samples = await comments.publicTexts(filingId, entries.map((e) => e.sampleId));
  const concentrated = entries.map((e) => ({ ...e, sample: samples.get(e.sampleId) ?? '' }));

  return {
    _id: reportId,
    filingId,
    round: round.round,
    generatedAt: now,
    draftVersion: round.draftVersion,
    filedVersion: texts.filedVersion,
    totals,
    byArticle,
    concentratedMinComments,
    concentrated,
    textChanges: textChanges(texts.draft, texts.filed),
  };
}

/**
 * A stored report as the public may read it now. Its concentrated opinions quote comments, and
 * a comment's public text can still change after the report was generated — a reviewer redacts
 * personal data no pattern caught (R16) — so the samples are read again from the comments
 * rather than kept as they were. Reports stored before samples had their own id quote the
 * campaign's representative, whose id is the campaign's.
 */
export async function withCurrentSamples(comments: CommentStore, report: ReportRecord): Promise<ReportRecord> {
  if (report.concentrated.length === 0) return report;
  const samples = await comments.publicTexts(report.filingId, report.concentrated.map((c) => c.sampleId ?? c.clusterId));
  return {
    ...report,
    concentrated: report.concentrated.map((c) => ({ ...c, sample: samples.get(c.sampleId ?? c.clusterId) ?? c.sample })),
  };
}

/**
 * The concentrated opinions as the report pages show them: per campaign, its answers. A
 * campaign answered two ways is marked, so that readers see the answers belong together.
 */
export function concentratedCampaigns(report: Pick<ReportRecord, 'concentrated'>): Array<{
  clusterId: string;
  size: number;
  mixed: boolean;
  answers: Array<{ sample: string; count: number; outcome: DispositionOutcome; reason: string | null }>;
}> {
  const campaigns: ReturnType<typeof concentratedCampaigns> = [];
  for (const c of report.concentrated) {
    let campaign = campaigns[campaigns.length - 1];
    if (!campaign || campaign.clusterId !== c.clusterId) {
      campaign = { clusterId: c.clusterId, size: c.campaignSize ?? c.size, mixed: false, answers: [] };
      campaigns.push(campaign);
    }
    campaign.answers.push({ sample: c.sample, count: c.size, outcome: c.outcome, reason: c.reason });
    campaign.mixed = campaign.answers.length > 1;
  }
  return campaigns;
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
  // One row per answer of a concentrated opinion (a campaign answered two ways has two rows).
  lines.push(['相对集中的意见', '该组意见条数', '本项答复条数', '处理结果', '理由'].join(','));
  for (const c of report.concentrated) lines.push([cell(c.sample), c.campaignSize ?? c.size, c.size, labels[c.outcome], cell(c.reason)].join(','));
  // A BOM so that spreadsheet programs read the Chinese as UTF-8.
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
