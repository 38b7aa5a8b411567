import { Schema, type Connection, type Model } from 'mongoose';
import type {
  ActorRecord,
  ClusteringRecord,
  CommentRecord,
  CounterRecord,
  FilingRecord,
  HistoryEntry,
  ReportRecord,
  SessionRecord,
  StaffRecord,
  JurisdictionRecord,
  DepartmentRecord,
  TextRecord,
  TextVersionRecord,
} from './records';
import { credentialSchema, linkSchema, type CredentialRecord, type OneTimeLinkRecord } from './credentials';
import { securityAuditHeadSchema, securityAuditSchema, type SecurityAuditHeadRecord, type SecurityAuditRecord } from './security-audit';

// The records are defined in ./records (what the rest of the product may import); this module
// holds their schemas and indexes, and is the store's alone.
export * from './records';

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

const jurisdictionSchema = new Schema<JurisdictionRecord>(
  {
    name: { type: String, required: true, unique: true },
    divisionCode: { type: String, required: true, unique: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    active: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'jurisdictions' },
);

const departmentSchema = new Schema<DepartmentRecord>(
  {
    name: { type: String, required: true },
    shortName: { type: String, required: true },
    // One department per code: the index numbers of its documents begin with it.
    code: { type: String, required: true, unique: true },
    codePending: { type: Boolean, required: true },
    kind: { type: String, required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    jurisdictionId: { type: Schema.Types.ObjectId, required: true },
    active: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'departments' },
);
// One name per jurisdiction (the list is sorted by it), so that a name read aloud names one department.
departmentSchema.index({ jurisdictionId: 1, name: 1 }, { unique: true });
departmentSchema.index({ name: 1, _id: 1 });
departmentSchema.index({ parentId: 1 });

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
  Jurisdiction: Model<JurisdictionRecord>;
  Department: Model<DepartmentRecord>;
  /** The security audit trail and its head (src/store/security-audit.ts). */
  SecurityAudit: Model<SecurityAuditRecord>;
  SecurityAuditHead: Model<SecurityAuditHeadRecord>;
  /** Sign-in credentials and one-time links (src/store/credentials.ts). */
  Credential: Model<CredentialRecord>;
  OneTimeLink: Model<OneTimeLinkRecord>;
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
    Jurisdiction: connection.model<JurisdictionRecord>('Jurisdiction', jurisdictionSchema),
    Department: connection.model<DepartmentRecord>('Department', departmentSchema),
    SecurityAudit: connection.model<SecurityAuditRecord>('SecurityAudit', securityAuditSchema),
    SecurityAuditHead: connection.model<SecurityAuditHeadRecord>('SecurityAuditHead', securityAuditHeadSchema),
    Credential: connection.model<CredentialRecord>('Credential', credentialSchema),
    OneTimeLink: connection.model<OneTimeLinkRecord>('OneTimeLink', linkSchema),
  };
}

export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(
    [models.Filing, models.Text, models.Staff, models.Session, models.Comment, models.Clustering, models.Report, models.Counter, models.SecurityAudit, models.SecurityAuditHead, models.Jurisdiction, models.Department, models.Credential, models.OneTimeLink].map((m) =>
      m.init(),
    ),
  );
}
