import type { Redaction } from '../../privacy/mask';
import type { ObjectId } from '../../store/ids';
import type { DispositionOutcome } from '../../store/records';

/** The comment desk's shared vocabulary: what comes in, what goes out, what staff ask of it. */

export interface Article {
  number: number;
  heading: string;
  text: string;
}

export interface NewComment {
  article: number | null;
  paragraph: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** What the public may see of a comment: masked (R16), no contact details, no staff fields. */
export interface PublicComment {
  receipt: string;
  article: number | null;
  body: string;
  author: string;
  submittedAt: string;
  disposition: { outcome: DispositionOutcome; reason: string | null } | null;
}

/** What a submission comes back with: the receipt, and whether it repeated an earlier one. */
export interface Submitted {
  receipt: string;
  round: number;
  replayed: boolean;
}

/** The staff list of a round's comments, a page at a time and narrowed down. */
export interface StaffListQuery {
  round: number;
  page: number;
  pageSize: number;
  article?: number;
  undisposed?: boolean;
  clusterId?: string;
}

/** A campaign of a round as the workbench shows it (R11). */
export interface CampaignView {
  clusterId: string;
  size: number;
  concentrated: boolean;
  sample: string;
  outcomes: Partial<Record<DispositionOutcome | 'undisposed', number>>;
}

/** How far the answers of a round have got. */
export type Progress = Record<DispositionOutcome | 'undisposed', number> & { total: number };

/**
 * R16: a reviewer's redaction of a comment's public text: a span in code points (what a reader
 * counts as characters), or the exact words — every occurrence of them is redacted.
 */
export type RedactionRequest = { reason: string } & ({ start: number; end: number; text?: undefined } | { text: string; start?: undefined; end?: undefined });

/** A redaction checked against the comment: the spans of its original text it masks. */
export interface RedactionPlan {
  commentId: ObjectId;
  filingId: ObjectId;
  receipt: string;
  round: number;
  /** In the comment's `body`, UTF-16 units: the original never changes, so these stay true. */
  spans: Redaction[];
}

/** R11: answers to give, to comments one by one or to a whole campaign. */
export interface Disposal {
  commentIds?: string[];
  clusterId?: string;
  outcome: DispositionOutcome;
  reason: string | null;
}
