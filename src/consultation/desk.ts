import type { AdoptionReportSummary, ConsultationPlan, ConsultationRound, FilingContext } from '../../machines/filing.machine';
import { AppError } from '../errors';
import type { CommentStore } from '../store/comments';
import type { FilingStore } from '../store/filings';
import type { ObjectId } from '../store/ids';
import type { ReportRecord } from '../store/records';
import type { ReportStore } from '../store/reports';
import type { CommentDesk } from './comments';
import { draftText } from './comments/articles';
import { checkPeriod, type PeriodSettings } from './period';
import { buildReport, DEFAULT_CONCENTRATED_MIN_COMMENTS, summaryOf } from './report';

export interface ConsultationRequest {
  startsAt?: string;
  endsAt: string;
  basis: string;
  background: string;
  explanation: string;
  shortenedReason?: string | null;
}

/**
 * What the workflow asks of the consultation side when a step needs more than the chart: the
 * plan of a new round (R9 periods), an extension's check, the adoption report (R11).
 */
export class ConsultationDesk {
  constructor(
    private readonly store: FilingStore,
    private readonly commentStore: CommentStore,
    private readonly reports: ReportStore,
    private readonly comments: CommentDesk,
    private readonly periods: PeriodSettings,
    /** R11: the campaign size from which a campaign is a concentrated opinion. */
    readonly concentratedMinComments: number = DEFAULT_CONCENTRATED_MIN_COMMENTS,
  ) {}

  plan(context: FilingContext, request: ConsultationRequest, now: Date): ConsultationPlan {
    const startsAt = request.startsAt ? new Date(request.startsAt) : now;
    const endsAt = new Date(request.endsAt);
    const shortenedReason = request.shortenedReason ?? null;
    const minimum = checkPeriod(context.particulars, { startsAt, endsAt, shortenedReason }, now, this.periods);
    return {
      draftVersion: context.text.version,
      basis: request.basis,
      background: request.background,
      explanation: request.explanation,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      minimumEndsAt: minimum.endsAt.toISOString(),
      // A reason given for a period that is not short is not a shortening: keep the record clean.
      shortenedReason: endsAt < minimum.endsAt ? shortenedReason : null,
    };
  }

  checkExtension(context: FilingContext, endsAt: string): void {
    const round = latestRound(context);
    if (new Date(endsAt) <= new Date(round.endsAt)) {
      throw new AppError('EXTENSION_NOT_LATER', { field: 'endsAt', currentEndsAt: round.endsAt });
    }
  }

  /** Builds and stores the report; its id names the filing version, so a retry is harmless. */
  async finalizeReport(filingId: ObjectId, filingVersion: number, context: FilingContext, now: Date): Promise<AdoptionReportSummary> {
    const round = latestRound(context);
    const report = await this.build(filingId, context, round, `${String(filingId)}.${round.round}.${filingVersion}`, now);
    await this.reports.save(report);
    return summaryOf(report, now.toISOString());
  }

  /** The report of a round as it would read now, stored nowhere: what the drafter checks first. */
  async previewReport(filingId: ObjectId, context: FilingContext, roundNumber: number, now: Date): Promise<ReportRecord> {
    const round = context.consultations.find((r) => r.round === roundNumber);
    if (!round) throw new AppError('CONSULTATION_NOT_FOUND');
    return this.build(filingId, context, round, `${String(filingId)}.${round.round}.preview`, now);
  }

  private async build(filingId: ObjectId, context: FilingContext, round: ConsultationRound, reportId: string, now: Date): Promise<ReportRecord> {
    const draft = await this.textOfVersion(filingId, round.draftVersion);
    const filed = await this.store.text(context.text.sha256);
    return buildReport(
      this.commentStore,
      filingId,
      round,
      { draft, filed: filed ?? '', filedVersion: context.text.version },
      await this.comments.clustering(filingId, round.round),
      reportId,
      now,
      this.concentratedMinComments,
    );
  }

  private async textOfVersion(filingId: ObjectId, version: number): Promise<string> {
    return draftText(this.store, (await this.store.head(filingId)) ?? { textVersions: [] }, version);
  }
}

export function latestRound(context: FilingContext): ConsultationRound {
  const round = context.consultations[context.consultations.length - 1];
  if (!round) throw new AppError('CONSULTATION_NOT_FOUND');
  return round;
}
