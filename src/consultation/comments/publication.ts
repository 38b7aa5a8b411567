import type { ConsultationRound, FilingContext } from '../../../machines/filing.machine';
import type { CommentRecord } from '../../store/records';
import type { PublicComment } from './types';

/** The rounds the public may see: cleared (R15) and started. */
export function publishedRounds(context: FilingContext, now: Date): ConsultationRound[] {
  return context.consultations.filter((r) => r.clearance !== null && new Date(r.startsAt) <= now);
}

export function publicName(name: string | null): string {
  if (!name) return '匿名';
  // R16: a full name is personal information; the surname is enough to tell voices apart.
  return `${[...name][0]}**`;
}

/** A comment as the public sees it; its answer only once the round's report is published (R11). */
export function toPublic(
  comment: Pick<CommentRecord, 'receipt' | 'article' | 'publicBody' | 'createdAt' | 'disposition'> & { author: Pick<CommentRecord['author'], 'name'> },
  withDisposition: boolean,
): PublicComment {
  return {
    receipt: comment.receipt,
    article: comment.article,
    body: comment.publicBody,
    author: publicName(comment.author.name),
    submittedAt: comment.createdAt.toISOString(),
    disposition: withDisposition && comment.disposition ? { outcome: comment.disposition.outcome, reason: comment.disposition.reason } : null,
  };
}
