/**
 * The records the store keeps, as the rest of the product sees them: plain data, no database
 * library. The repositories (src/store/*.ts) read and write them; code outside the store imports
 * these as types only.
 */
import type { ObjectId } from './ids';
import type { StoredSnapshot } from '../../machines/migrations';
import type { Actor, Role } from '../../machines/roles';

/** Who did it, copied into every record so the ledger outlives staff changes (R15). */
export interface ActorRecord {
  id: string;
  name: string;
  role: Role;
  department: string | null;
}

/** The actor as recorded: exactly these fields, whatever else the caller's object carries. */
export function actorRecord(actor: Actor): ActorRecord {
  return { id: actor.id, name: actor.name, role: actor.role, department: actor.department };
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
  _id: ObjectId;
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
  _id: ObjectId;
  name: string;
  email: string;
  role: Role;
  department: string | null;
  /** sha256 of the bearer token; the token itself is never stored. */
  tokenHash: string;
  active: boolean;
  createdAt: Date;
}

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
  _id: ObjectId;
  filingId: ObjectId;
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
  filingId: ObjectId;
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
  filingId: ObjectId;
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
  staffId: ObjectId;
  createdAt: Date;
  expiresAt: Date;
}

/** Named sequences, e.g. the filing references of one year. */
export interface CounterRecord {
  _id: string;
  seq: number;
}

/**
 * A jurisdiction (行政区域): the city, or a district sharing the installation (集约化), each with
 * its own general office and jurisdiction-level roles.
 */
export interface JurisdictionRecord {
  _id: ObjectId;
  name: string;
  /** 行政区划代码, six digits. */
  divisionCode: string;
  /** The city a district belongs to; null for the city itself. */
  parentId: ObjectId | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const DEPARTMENT_KINDS = ['government', 'generalOffice', 'department', 'agency', 'district'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** A department (机关单位) of a jurisdiction: what filings, staff and statistics refer to by id. */
export interface DepartmentRecord {
  _id: ObjectId;
  name: string;
  shortName: string;
  /** 统一社会信用代码 (GB 32100-2015); the index numbers begin with it. */
  code: string;
  /** The code is a placeholder the administrator has still to replace with the real one. */
  codePending: boolean;
  kind: DepartmentKind;
  parentId: ObjectId | null;
  jurisdictionId: ObjectId;
  /** An inactive department takes no new filings or staff assignments; it is never deleted. */
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
