import { AppError } from '../../errors';
import { maskPersonalInformation, originalSpan, type Redaction } from '../../privacy/mask';
import type { CommentStore } from '../../store/comments';
import type { FilingHead } from '../../store/filings';
import { parseObjectId } from '../../store/ids';
import type { ActorRecord, MaskingRecord } from '../../store/records';
import type { ReportStore } from '../../store/reports';
import type { RedactionPlan, RedactionRequest } from './types';

const isManual = (m: MaskingRecord) => m.kind === 'manual';

/**
 * R16 after intake: reviewers' redactions of what no pattern caught, and masking every stored
 * comment again when the patterns change. The original text never changes; the public text is
 * always the original with the current patterns and the redactions applied.
 */
export class Redactions {
  constructor(
    private readonly comments: CommentStore,
    private readonly reports: ReportStore,
  ) {}

  /**
   * Checks a redaction against the comment's public text and finds the spans of its original
   * that it masks; nothing is written. The public text is recomputed from the original with the
   * current rules and the earlier redactions — the text the offsets of a request refer to; when
   * the stored one was masked by older rules it differs, and offsets given against it are
   * refused (409, with the text they should refer to), while words are looked up afresh.
   */
  async plan(head: Pick<FilingHead, '_id'>, commentId: string, request: RedactionRequest): Promise<RedactionPlan> {
    const id = parseObjectId(commentId);
    const comment = id ? await this.comments.forRedaction(head._id, id) : null;
    if (!comment) throw new AppError('COMMENT_NOT_FOUND', { commentId }, '该文件没有这条意见');
    const current = maskPersonalInformation(comment.body, comment.maskings.filter(isManual));
    const spans: Redaction[] = [];
    if (request.text !== undefined) {
      for (let at = current.text.indexOf(request.text); at !== -1; at = current.text.indexOf(request.text, at + request.text.length)) {
        spans.push(originalSpan(current.regions, at, at + request.text.length));
      }
      if (spans.length === 0) throw new AppError('REDACTION_TEXT_NOT_FOUND', { field: 'text' });
    } else {
      if (current.text !== comment.publicBody) throw new AppError('COMMENT_TEXT_CHANGED', { publicBody: current.text });
      const characters = Array.from(current.text);
      if (request.end > characters.length) {
        throw new AppError('VALIDATION_FAILED', { field: 'end' }, `超出公开文本范围：该意见的公开文本共${characters.length}个字符`);
      }
      const from = characters.slice(0, request.start).join('').length;
      const to = from + characters.slice(request.start, request.end).join('').length;
      spans.push(originalSpan(current.regions, from, to));
    }
    return { commentId: comment._id, filingId: head._id, receipt: comment.receipt, round: comment.round, spans };
  }

  /**
   * Applies a planned redaction, with who, when and why, to the comment's public text, and to
   * the samples of stored adoption reports that quote it. The write is guarded by the public
   * text it replaces; when another redaction came first, the plan's spans — of the unchanging
   * original — are applied on top of it.
   */
  async apply(plan: RedactionPlan, by: ActorRecord, reason: string, now: Date): Promise<{ publicBody: string; maskings: MaskingRecord[] }> {
    const added: MaskingRecord[] = plan.spans.map((s) => ({ kind: 'manual', start: s.start, end: s.end, by, at: now, reason }));
    for (let attempt = 0; attempt < 5; attempt++) {
      const comment = await this.comments.texts(plan.commentId);
      if (!comment) throw new AppError('COMMENT_NOT_FOUND', { commentId: String(plan.commentId) }, '该文件没有这条意见');
      const manual = [...comment.maskings.filter(isManual), ...added];
      const masked = maskPersonalInformation(comment.body, manual);
      const maskings: MaskingRecord[] = [...masked.maskings, ...manual];
      if (!(await this.comments.replacePublicText(plan.commentId, comment.publicBody, masked.text, maskings))) continue;
      // Reading a report refreshes its samples anyway (withCurrentSamples); this keeps the
      // stored copy from holding the old text.
      await this.reports.refreshSamples(plan.filingId, plan.commentId, masked.text);
      return { publicBody: masked.text, maskings };
    }
    throw new AppError('VERSION_CONFLICT', { commentId: String(plan.commentId) });
  }

  /**
   * Masks every stored comment again with the current rules, keeping reviewers' redactions —
   * for comments stored before a rule was added (a mistyped ID number, a birth date), whose
   * public text still shows what the rules now mask. Each write is guarded by the public text
   * it replaces, so a redaction made meanwhile is never undone (that comment is skipped and
   * counted); running it again changes nothing more.
   */
  async remaskAll(): Promise<{ scanned: number; updated: number; skipped: number }> {
    const counts = { scanned: 0, updated: 0, skipped: 0 };
    for await (const comment of this.comments.everyCommentTexts()) {
      counts.scanned++;
      const manual = comment.maskings.filter(isManual);
      const masked = maskPersonalInformation(comment.body, manual);
      if (masked.text === comment.publicBody) continue;
      if (!(await this.comments.replacePublicText(comment._id, comment.publicBody, masked.text, [...masked.maskings, ...manual]))) {
        counts.skipped++;
        continue;
      }
      counts.updated++;
      await this.reports.refreshSamples(comment.filingId, comment._id, masked.text);
    }
    return counts;
  }
}
