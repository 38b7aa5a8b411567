import type { ConsultationRound } from '../../machines/filing.machine';
import type { Actor } from '../../machines/roles';
import { AppError } from '../errors';
import type { FilingHead } from '../store/filings';
import type { ReportRecord } from '../store/records';
import { actorRecord } from '../store/records';
import type { FilingService } from '../workflow/filings';
import type { CommentDesk, Disposal, RedactionRequest } from './comments';
import type { ConsultationDesk } from './desk';

/**
 * The staff side of a consultation, shared by the API and the console so both apply the same
 * rules: who sees comments as written (R16), who answers them and when (R11).
 */
export class ConsultationWorkbench {
  constructor(
    private readonly filings: FilingService,
    private readonly comments: CommentDesk,
    private readonly desk: ConsultationDesk,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** R16: the lead department answers the comments, so it reads them as written; others, masked. */
  revealsOriginal(actor: Actor, head: Pick<FilingHead, 'leadDepartment'>): boolean {
    return (actor.role === 'drafter' || actor.role === 'departmentHead') && actor.department === head.leadDepartment;
  }

  /** R11: only the lead department's drafters answer, and only while dispositions are open. */
  mayDispose(actor: Actor, head: Pick<FilingHead, 'leadDepartment' | 'stage'>): boolean {
    return actor.role === 'drafter' && actor.department === head.leadDepartment && head.stage === 'disposition';
  }

  /**
   * R16/R15: who may redact a comment's public text by hand — the lead department, which
   * answers the comments, and the reviewers of what goes public: the confidentiality reviewer
   * and the publisher.
   */
  mayRedact(actor: Actor, head: Pick<FilingHead, 'leadDepartment'>): boolean {
    if (actor.role === 'drafter' || actor.role === 'departmentHead') return actor.department === head.leadDepartment;
    return actor.role === 'confidentialityReviewer' || actor.role === 'publisher';
  }

  /**
   * The consultation of a filing as the workbench shows it: the whole filing to those who may see
   * it, the rounds cleared for publication to the general office and city-level staff (R15/R16).
   */
  consultation(actor: Actor, filingId: string) {
    return this.filings.consultation(actor, filingId);
  }

  /**
   * R16: masks a span of a comment's public text that no pattern caught, with the reason; on
   * the filing's ledger first (R15), like answers, then on the comment and the reports that
   * quote it. Everything is checked before anything is written.
   */
  async redact(actor: Actor, filingId: string, commentId: string, request: RedactionRequest) {
    const { head } = await this.filings.consultation(actor, filingId);
    if (!this.mayRedact(actor, head)) {
      const departmental = actor.role === 'drafter' || actor.role === 'departmentHead';
      throw new AppError(departmental ? 'FORBIDDEN_DEPARTMENT' : 'FORBIDDEN_ROLE', { rule: 'R16', action: 'REDACT_COMMENT' });
    }
    const plan = await this.comments.planRedaction(head, commentId, request);
    await this.filings.record(actor, filingId, {
      event: 'REDACT_COMMENT',
      note: `第${plan.round}轮意见（回执编号${plan.receipt}）：人工隐去${plan.spans.length}处个人信息。理由：${request.reason}`,
      content: { commentId: String(plan.commentId), receipt: plan.receipt, round: plan.round, spans: plan.spans, reason: request.reason },
    }, 'consultation');
    const by = actorRecord(actor);
    return this.comments.applyRedaction(plan, by, request.reason, this.clock());
  }

  async commentsOf(
    actor: Actor,
    filingId: string,
    query: Parameters<CommentDesk['list']>[1],
    masked = false,
  ): Promise<{ head: FilingHead; items: Array<Record<string, unknown>>; total: number }> {
    const { head, rounds } = await this.filings.consultation(actor, filingId);
    // Campaigns are cached per round: one the filing never had must not leave a cache behind.
    if (query.clusterId !== undefined) this.round({ context: { consultations: rounds } }, query.round);
    const { items, total } = await this.comments.list(head, query, !masked && this.revealsOriginal(actor, head));
    return { head, items, total };
  }

  async progress(actor: Actor, filingId: string, round: number) {
    const { head } = await this.filings.consultation(actor, filingId);
    return this.comments.progress(head, round);
  }

  async clusters(actor: Actor, filingId: string, round: number) {
    const { head, rounds } = await this.filings.consultation(actor, filingId);
    // Campaigns are cached per round: one the filing never had must not leave a cache behind.
    this.round({ context: { consultations: rounds } }, round);
    return this.comments.clusters(head, round, this.concentratedMinComments);
  }

  /** R11: the campaign size from which the report lists a campaign as a concentrated opinion. */
  get concentratedMinComments(): number {
    return this.desk.concentratedMinComments;
  }

  async dispose(actor: Actor, filingId: string, round: number, disposal: Disposal): Promise<number> {
    const head = await this.filings.visible(actor, filingId);
    if (actor.role !== 'drafter') throw new AppError('FORBIDDEN_ROLE');
    if (!this.revealsOriginal(actor, head)) throw new AppError('FORBIDDEN_DEPARTMENT');
    const view = await this.filings.get(actor, filingId);
    if (view.stage !== 'disposition' || view.context.consultations.at(-1)?.round !== round) {
      throw new AppError('DISPOSITION_NOT_OPEN', { stage: view.stage });
    }
    // On the ledger first (R15): a crash in between leaves an entry for answers not yet written,
    // which the drafter sees and repeats, rather than answers that no ledger shows.
    const outcome = { adopted: '采纳', partlyAdopted: '部分采纳', notAdopted: '未采纳', notApplicable: '不适用' }[disposal.outcome];
    const what = disposal.clusterId ? `成批意见（意见组${disposal.clusterId}）` : `${disposal.commentIds?.length ?? 0}条意见`;
    await this.filings.record(actor, filingId, {
      event: 'DISPOSE_COMMENTS',
      note: `第${round}轮：${what}，${outcome}${disposal.reason ? `。${disposal.reason}` : ''}`,
      content: { round, ...disposal },
    });
    return this.comments.dispose(head, round, disposal, actor, this.clock());
  }

  /** The adoption report as it would read if finalised now; refused while comments lack answers. */
  async preview(actor: Actor, filingId: string, round: number): Promise<{ head: FilingHead; report: ReportRecord }> {
    const head = await this.filings.visible(actor, filingId);
    const view = await this.filings.get(actor, filingId);
    this.round(view, round);
    return { head, report: await this.desk.previewReport(head._id, view.context, round, this.clock()) };
  }

  private round(view: { context: { consultations: ConsultationRound[] } }, round: number): ConsultationRound {
    const found = view.context.consultations.find((r) => r.round === round);
    if (!found) throw new AppError('CONSULTATION_NOT_FOUND');
    return found;
  }
}
