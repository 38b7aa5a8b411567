import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { StoredSnapshot } from '../../machines/migrations';
import type { Role } from '../../machines/roles';
import { securityAuditHeadSchema, securityAuditSchema, type SecurityAuditHeadRecord, type SecurityAuditRecord } from './security-audit';

/** Who did it, copied into every record so the ledger outlives staff changes (R15). */
export interface ActorRecord {
  id: string;
  name: string;
  role: Role;
  department: string | null;
}

export interface HistoryEntry {
  seq: number;
  at: Date;
  actor: ActorRecord;
  /** `CREATE` or a chart event type. */
  event: string;
  from: { stage: string; states: string[] } | null;
  to: { stage: string; states: string[] };
  /** R18: set when this step returned the filing. */
  return: { kind: 'intake' | 'clerk'; reasons: Array<{ code: string; rule: string; field?: string }> } | null;
  note: string | null;
  /** R15: sha256 of the content the action carried (see src/ledger/chain.ts). */
  digest: string;
  /** The hash of the entry before (the filing's genesis hash for the first). */
  prevHash: string;
  hash: string;
}

export interface TextVersionRecord {
  version: number;
  title: string;
  sha256: string;
  length: number;
  at: Date;
  by: ActorRecord;
}

/**
 * R19: an e-mail a transition causes, written in the same atomic update as the transition
 * (transactional outbox) and delivered later by the dispatcher.
 */
/** Where a message stands in its delivery, wherever it waits (filing outbox, comment). */
export interface DeliveryState {
  attempts: number;
  nextAttemptAt: Date;
  /** The dispatcher instance holding the message, until `leaseUntil`. */
  leaseOwner: string | null;
  leaseUntil: Date;
  /** The last error or the mail server's refusal, shown to staff. */
  lastError: string | null;
  /** The mail server's answer on acceptance. */
  response: string | null;
  sentAt: Date | null;
}

export interface OutboxRecord extends DeliveryState {
  /** Stable, so a resend after a crash is recognisably the same message. */
  messageId: string;
  /** The history entry that caused it. */
  seq: number;
  template: string;
  to: { staffId: string; name: string; email: string };
  subject: string;
  html: string;
  text: string;
  status: 'pending' | 'sent' | 'failed';
  createdAt: Date;
}

export interface FilingRecord {
  _id: Types.ObjectId;
  /** 办件编号, e.g. `2026-0042`: what people quote on the phone and in e-mails. */
  reference: string;
  title: string;
  leadDepartment: string;
  coDepartments: string[];
  stage: string;
  /** When the filing reached its current stage: reviews count their time limit from it. */
  stageEnteredAt: Date;
  /** The time limit of the current stage (see src/workflow/deadlines.ts), for lists and filters. */
  deadlineAt: Date | null;
  /** When the reminder of that time limit is due, until it is sent (see src/schedule/deadlines.ts). */
  reminderAt: Date | null;
  /** When the time limit has passed and the alert is due, until it is sent. */
  alertAt: Date | null;
  /** Optimistic concurrency: every applied event increments it exactly once. */
  version: number;
  /**
   * True once the department head has filed it with the general office (submitted at least once),
   * after which the city-level roles see it (machines/permissions.ts canView). A query copy of the
   * snapshot's `submissions > 0`; see src/store/reconcile.ts for values written by older rules.
   */
  sharedWithOffice: boolean;
  returnCount: number;
  /** While a comment period runs: its start, before which the public does not see it. */
  consultationStartsAt: Date | null;
  /** While a comment period runs: its end instant, for the scheduler that closes it (R9). */
  consultationEndsAt: Date | null;
  /** First confidentiality clearance (R15): from then on the public may see its consultations. */
  consultedAt: Date | null;
  /** R17: the next day a dated validity mark takes effect, for the scheduler that records it. */
  validityChangesAt: Date | null;
  snapshot: StoredSnapshot;
  textVersions: TextVersionRecord[];
  /** Append-only (R15): only ever `$push`ed, in the same atomic update as the snapshot. */
  history: HistoryEntry[];
  /** The hash of the newest history entry: the end of the chain, guarded with the version. */
  ledgerHead: string;
  outbox: OutboxRecord[];
  createdAt: Date;
  updatedAt: Date;
}

export interface TextRecord {
  /** sha256 of the body: content-addressed, so a retried or abandoned write is harmless. */
  _id: string;
  body: string;
  length: number;
  createdAt: Date;
}

export interface StaffRecord {
  _id: Types.ObjectId;
  name: string;
  email: string;
  role: Role;
  department: string | null;
  /** sha256 of the bearer token; the token itself is never stored. */
  tokenHash: string;
  active: boolean;
  createdAt: Date;
}

const actorSchema = new Schema<ActorRecord>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    department: { type: String, default: null },
  },
  { _id: false },
);

const historySchema = new Schema<HistoryEntry>(
  {
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { type: actorSchema, required: true },
    event: { type: String, required: true },
    from: { type: Schema.Types.Mixed, default: null },
    to: { type: Schema.Types.Mixed, required: true },
    return: { type: Schema.Types.Mixed, default: null },
    note: { type: String, default: null },
    digest: { type: String, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { _id: false, minimize: false },
);

const textVersionSchema = new Schema<TextVersionRecord>(
  {
    version: { type: Number, required: true },
    title: { type: String, required: true },
    sha256: { type: String, required: true },
    length: { type: Number, required: true },
    at: { type: Date, required: true },
    by: { type: actorSchema, required: true },
  },
  { _id: false },
);

const filingSchema = new Schema<FilingRecord>(
  {
    reference: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    leadDepartment: { type: String, required: true },
    coDepartments: { type: [String], default: [] },
    stage: { type: String, required: true },
    stageEnteredAt: { type: Date, required: true },
    deadlineAt: { type: Date, default: null },
    reminderAt: { type: Date, default: null },
    alertAt: { type: Date, default: null },
    version: { type: Number, required: true },
    sharedWithOffice: { type: Boolean, required: true },
    returnCount: { type: Number, required: true },
    consultationStartsAt: { type: Date, default: null },
    consultationEndsAt: { type: Date, default: null },
    consultedAt: { type: Date, default: null },
    validityChangesAt: { type: Date, default: null },
    snapshot: { type: Schema.Types.Mixed, required: true },
    textVersions: { type: [textVersionSchema], default: [] },
    history: { type: [historySchema], default: [] },
    ledgerHead: { type: String, required: true },
    // Written and read with positional updates by the dispatcher, so no sub-schema casting.
    outbox: { type: Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  // The snapshot keeps empty objects (an empty `materials` is meaningful); version is ours.
  { minimize: false, versionKey: false, collection: 'filings' },
);
filingSchema.index({ leadDepartment: 1, updatedAt: -1 });
filingSchema.index({ coDepartments: 1, updatedAt: -1 });
filingSchema.index({ stage: 1, updatedAt: -1 });
// The city-level roles' lists: filed filings, or (by the stage index) those they act on now.
filingSchema.index({ sharedWithOffice: 1, updatedAt: -1 });
filingSchema.index({ 'outbox.status': 1, 'outbox.nextAttemptAt': 1 });
filingSchema.index({ stage: 1, consultationEndsAt: 1 });
filingSchema.index({ deadlineAt: 1 });
filingSchema.index({ reminderAt: 1 });
filingSchema.index({ alertAt: 1 });
filingSchema.index({ validityChangesAt: 1 });

const textSchema = new Schema<TextRecord>(
  {
    _id: { type: String, required: true },
    body: { type: String, required: true },
    length: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'texts' },
);

const staffSchema = new Schema<StaffRecord>(
  {
    name: { type: String, required: true },
    email: { type: String, required: true },
    role: { type: String, required: true },
    department: { type: String, default: null },
    tokenHash: { type: String, required: true, unique: true },
    active: { type: Boolean, default: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'staff' },
);

export const DISPOSITION_OUTCOMES = ['adopted', 'partlyAdopted', 'notAdopted', 'notApplicable'] as const;
export type DispositionOutcome = (typeof DISPOSITION_OUTCOMES)[number];

/** Delivery of the answer to a commenter who left an e-mail address (R11). */
export interface CommentNotice extends DeliveryState {
  /** `awaitingReport` until the round's adoption report is published. */
  status: 'none' | 'awaitingReport' | 'pending' | 'sent' | 'failed';
}

/**
 * R16: a span of a comment's text masked in what the public sees — found by a pattern (kind
 * idCard, mobile… — see src/privacy/mask.ts), or marked by a reviewer (kind manual, with who,
 * when and why). Offsets in `body`, UTF-16 code units, end exclusive.
 */
export interface MaskingRecord {
  kind: string;
  start: number;
  end: number;
  by?: ActorRecord;
  at?: Date;
  reason?: string;
}

/** A public comment on a draft (R8–R11, R16). */
export interface CommentRecord {
  _id: Types.ObjectId;
  filingId: Types.ObjectId;
  round: number;
  draftVersion: number;
  /** 回执编号: how the author finds the answer later. */
  receipt: string;
  /** On the whole draft when null. */
  article: number | null;
  paragraph: number | null;
  /** As written: only the lead department sees it. */
  body: string;
  /** R16: what the public sees, personal information masked and reviewers' redactions applied. */
  publicBody: string;
  /** R16: every masking is recorded, reviewers' redactions with who, when and why. */
  maskings: MaskingRecord[];
  author: { name: string | null; email: string | null; phone: string | null };
  /** sha256 of the client address: enough to rate-limit and spot floods, without keeping it. */
  clientHash: string;
  createdAt: Date;
  disposition: { outcome: DispositionOutcome; reason: string | null; at: Date; by: ActorRecord } | null;
  notice: CommentNotice;
  /**
   * sha256 of the submission's key (the form it was posted from, or an Idempotency-Key), only on
   * comments sent with one: a repeat of the submission returns this comment's receipt.
   */
  submissionKey?: string;
  /** sha256 of what was submitted: the same key with a different comment is refused. */
  submissionDigest?: string;
}

/**
 * The campaigns of one round: groups of identical or near-identical comments, computed once the
 * comments are in. One document per round, so storing 100,000 memberships is one write.
 */
export interface ClusteringRecord {
  _id: string;
  filingId: Types.ObjectId;
  round: number;
  /** The clustering that computed it (CLUSTERING_ALGORITHM); absent: the first. Another: stale. */
  algorithm?: number;
  /** Comments in the round when computed: a different count means it is stale. */
  commentCount: number;
  computedAt: Date;
  /** Only groups of two or more; the id is that of the earliest member. */
  clusters: Array<{ id: string; memberIds: string[] }>;
}

/** R11: a generated adoption report; the filing's snapshot holds its figures and id. */
export interface ReportRecord {
  _id: string;
  filingId: Types.ObjectId;
  round: number;
  generatedAt: Date;
  draftVersion: number;
  filedVersion: number;
  totals: { commentCount: number } & Record<DispositionOutcome, number>;
  byArticle: Array<{ article: number | null; count: number } & Record<DispositionOutcome, number>>;
  /** The campaign size from which a campaign was a concentrated opinion; absent in older reports. */
  concentratedMinComments?: number;
  /**
   * 相对集中的意见 (R11): per campaign of at least the threshold size, one entry per answer it got
   * (outcome and reason) — `size` comments of its `campaignSize` got this one — with the public
   * text of the earliest of them (`sampleId`) as sample. Older reports have one entry per
   * campaign, its representative's answer, and neither `campaignSize` nor `sampleId`.
   */
  concentrated: Array<{
    clusterId: string;
    campaignSize?: number;
    size: number;
    sampleId?: string;
    sample: string;
    outcome: DispositionOutcome;
    reason: string | null;
  }>;
  /** What changed between the consulted draft and the text as filed. */
  textChanges: Array<{ change: 'added' | 'removed' | 'kept'; text: string }>;
}

/** A signed-in staff console session; the cookie holds the token, the database its hash. */
export interface SessionRecord {
  _id: string;
  staffId: Types.ObjectId;
  createdAt: Date;
  expiresAt: Date;
}

/** Named sequences, e.g. the filing references of one year. */
export interface CounterRecord {
  _id: string;
  seq: number;
}

const sessionSchema = new Schema<SessionRecord>(
  {
    _id: { type: String, required: true },
    staffId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    // Expired sessions are refused on read and removed by MongoDB's TTL monitor.
    expiresAt: { type: Date, required: true, expires: 0 },
  },
  { versionKey: false, collection: 'sessions' },
);

const counterSchema = new Schema<CounterRecord>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false, collection: 'counters' },
);

const commentSchema = new Schema<CommentRecord>(
  {
    filingId: { type: Schema.Types.ObjectId, required: true },
    round: { type: Number, required: true },
    draftVersion: { type: Number, required: true },
    receipt: { type: String, required: true, unique: true },
    article: { type: Number, default: null },
    paragraph: { type: Number, default: null },
    body: { type: String, required: true },
    publicBody: { type: String, required: true },
    maskings: { type: Schema.Types.Mixed, default: [] },
    author: { type: Schema.Types.Mixed, required: true },
    clientHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    disposition: { type: Schema.Types.Mixed, default: null },
    notice: { type: Schema.Types.Mixed, required: true },
    submissionKey: { type: String },
    submissionDigest: { type: String },
  },
  { versionKey: false, collection: 'comments', minimize: false },
);
// With _id last, the lists' order {createdAt, _id} (public comment pages, staff lists) is a
// walk of this index, not a sort of the round's comments on every page view.
commentSchema.index({ filingId: 1, round: 1, createdAt: 1, _id: 1 });
commentSchema.index({ filingId: 1, round: 1, article: 1 });
commentSchema.index({ filingId: 1, round: 1, disposition: 1 });
commentSchema.index({ 'notice.status': 1, 'notice.nextAttemptAt': 1 });
// Two racing posts of one submission store one comment. Sparse: comments sent without a key
// (most, and all older ones) have no such field — never null — so they are not in the index and
// cost intake no index write. (Sparse rather than partial: the offline test server checks
// existing documents against a partial filter's keys as if they were all indexed, so a second
// instance starting on a database with comments could not build it.)
commentSchema.index({ submissionKey: 1 }, { unique: true, sparse: true });

const clusteringSchema = new Schema<ClusteringRecord>(
  {
    _id: { type: String, required: true },
    filingId: { type: Schema.Types.ObjectId, required: true },
    round: { type: Number, required: true },
    algorithm: { type: Number },
    commentCount: { type: Number, required: true },
    computedAt: { type: Date, required: true },
    clusters: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: 'clusterings' },
);

const reportSchema = new Schema<ReportRecord>(
  {
    _id: { type: String, required: true },
    filingId: { type: Schema.Types.ObjectId, required: true },
    round: { type: Number, required: true },
    generatedAt: { type: Date, required: true },
    draftVersion: { type: Number, required: true },
    filedVersion: { type: Number, required: true },
    totals: { type: Schema.Types.Mixed, required: true },
    byArticle: { type: Schema.Types.Mixed, required: true },
    concentratedMinComments: { type: Number },
    concentrated: { type: Schema.Types.Mixed, required: true },
    textChanges: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: 'adoption_reports', minimize: false },
);
// A redaction refreshes the samples of the filing's stored reports that quote the comment.
reportSchema.index({ filingId: 1 });

export interface Models {
  Session: Model<SessionRecord>;
  Comment: Model<CommentRecord>;
  Clustering: Model<ClusteringRecord>;
  Report: Model<ReportRecord>;
  Counter: Model<CounterRecord>;
  Filing: Model<FilingRecord>;
  Text: Model<TextRecord>;
  Staff: Model<StaffRecord>;
  /** The security audit trail and its head (src/store/security-audit.ts). */
  SecurityAudit: Model<SecurityAuditRecord>;
  SecurityAuditHead: Model<SecurityAuditHeadRecord>;
}

/** Models bound to one connection, so tests can run each file against its own database. */
export function createModels(connection: Connection): Models {
  return {
    Session: connection.model<SessionRecord>('Session', sessionSchema),
    Comment: connection.model<CommentRecord>('Comment', commentSchema),
    Clustering: connection.model<ClusteringRecord>('Clustering', clusteringSchema),
    Report: connection.model<ReportRecord>('Report', reportSchema),
    Counter: connection.model<CounterRecord>('Counter', counterSchema),
    Filing: connection.model<FilingRecord>('Filing', filingSchema),
    Text: connection.model<TextRecord>('Text', textSchema),
    Staff: connection.model<StaffRecord>('Staff', staffSchema),
    SecurityAudit: connection.model<SecurityAuditRecord>('SecurityAudit', securityAuditSchema),
    SecurityAuditHead: connection.model<SecurityAuditHeadRecord>('SecurityAuditHead', securityAuditHeadSchema),
  };
}

export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(
    [models.Filing, models.Text, models.Staff, models.Session, models.Comment, models.Clustering, models.Report, models.Counter, models.SecurityAudit, models.SecurityAuditHead].map((m) =>
      m.init(),
    ),
  );
}
