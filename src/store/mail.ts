import type { DeliveryOutcome } from '../mail/dispatcher';
import { toObjectId, type ObjectId } from './ids';
import type { Models } from './models';
import type { CommentRecord, FilingRecord, OutboxRecord } from './records';

export type MailStatus = OutboxRecord['status'];

/** A message as staff see it in lists: everything but the bodies. */
export interface MailSummary {
  filingId: string;
  reference: string;
  title: string;
  messageId: string;
  template: string;
  to: OutboxRecord['to'];
  subject: string;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  response: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

const SUMMARY = {
  _id: 0,
  filingId: '$_id',
  reference: 1,
  title: 1,
  messageId: '$outbox.messageId',
  template: '$outbox.template',
  to: '$outbox.to',
  subject: '$outbox.subject',
  status: '$outbox.status',
  attempts: '$outbox.attempts',
  nextAttemptAt: '$outbox.nextAttemptAt',
  lastError: '$outbox.lastError',
  response: '$outbox.response',
  createdAt: '$outbox.createdAt',
  sentAt: '$outbox.sentAt',
} as const;

/** The fields of a message's delivery state (at `prefix`) after an attempt, lease released. */
function outcomeFields(prefix: string, outcome: DeliveryOutcome): Record<string, unknown> {
  const set: Record<string, unknown> = { [`${prefix}leaseOwner`]: null, [`${prefix}leaseUntil`]: new Date(0) };
  switch (outcome.status) {
    case 'sent':
      Object.assign(set, { [`${prefix}status`]: 'sent', [`${prefix}sentAt`]: outcome.at, [`${prefix}response`]: outcome.response, [`${prefix}lastError`]: null });
      break;
    case 'failed':
      Object.assign(set, { [`${prefix}status`]: 'failed', [`${prefix}lastError`]: outcome.error });
      break;
    case 'retry':
      Object.assign(set, { [`${prefix}nextAttemptAt`]: outcome.nextAttemptAt, [`${prefix}lastError`]: outcome.error });
      break;
  }
  return set;
}

/**
 * Where e-mail waits and how its delivery is recorded: the filings' outboxes (staff notices,
 * R19, written with each transition) and the comments' notices (answers to commenters, R11).
 * Every claim is a lease guarded by the message's state, so several dispatchers never send one
 * message twice.
 */
export class MailStore {
  constructor(private readonly models: Models) {}

  /** Filings with outbox messages due now (pending, their time come, no lease held), with their outboxes. */
  async filingsWithDueMail(now: Date, limit: number): Promise<Array<Pick<FilingRecord, '_id' | 'outbox'>>> {
    const due = { status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } };
    return this.models.Filing.find({ outbox: { $elemMatch: due } }, { outbox: 1 })
      .limit(limit)
      .lean<Array<Pick<FilingRecord, '_id' | 'outbox'>>>()
      .exec();
  }

  /** Takes the lease on an outbox message that is still due; false: another dispatcher has it. */
  async claimOutboxMessage(filingId: string, messageId: string, now: Date, owner: string, leaseUntil: Date): Promise<boolean> {
    const result = await this.models.Filing.updateOne(
      {
        _id: toObjectId(filingId),
        outbox: { $elemMatch: { messageId, status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } } },
      },
      { $set: { 'outbox.$.leaseOwner': owner, 'outbox.$.leaseUntil': leaseUntil }, $inc: { 'outbox.$.attempts': 1 } },
    ).exec();
    return result.modifiedCount === 1;
  }

  /** Records the attempt of the lease holder; a lease since lost records nothing. */
  async recordOutboxMessage(filingId: string, messageId: string, owner: string, outcome: DeliveryOutcome): Promise<void> {
    await this.models.Filing.updateOne(
      { _id: toObjectId(filingId), outbox: { $elemMatch: { messageId, leaseOwner: owner, status: 'pending' } } },
      { $set: outcomeFields('outbox.$.', outcome) },
    ).exec();
  }

  /** Staff's list of outbox messages, newest first, optionally of one status. */
  async list(status: MailStatus | undefined, page: number, pageSize: number): Promise<{ items: MailSummary[]; total: number }> {
    const match = status ? { 'outbox.status': status } : {};
    const [items, counted] = await Promise.all([
      this.models.Filing.aggregate<MailSummary>([
        ...(status ? [{ $match: { outbox: { $elemMatch: { status } } } }] : []),
        { $unwind: '$outbox' },
        { $match: match },
        { $sort: { 'outbox.createdAt': -1, 'outbox.messageId': 1 } },
        { $skip: (page - 1) * pageSize },
        { $limit: pageSize },
        { $project: SUMMARY },
      ]).exec(),
      this.models.Filing.aggregate<{ total: number }>([
        { $unwind: '$outbox' },
        { $match: match },
        { $group: { _id: null, total: { $sum: 1 } } },
      ]).exec(),
    ]);
    return { items: items.map((m) => ({ ...m, filingId: String(m.filingId) })), total: counted[0]?.total ?? 0 };
  }

  /** A filing's outbox messages, oldest first. */
  async forFiling(filingId: ObjectId): Promise<MailSummary[]> {
    const items = await this.models.Filing.aggregate<MailSummary>([
      { $match: { _id: filingId } },
      { $unwind: '$outbox' },
      { $sort: { 'outbox.createdAt': 1, 'outbox.messageId': 1 } },
      { $project: SUMMARY },
    ]).exec();
    return items.map((m) => ({ ...m, filingId: String(m.filingId) }));
  }

  /** The whole message, bodies included, and its filing; null when there is none of that id. */
  async message(messageId: string): Promise<{ filingId: string; message: OutboxRecord } | null> {
    const filing = await this.models.Filing.findOne({ 'outbox.messageId': messageId }, { outbox: 1 })
      .lean<{ _id: ObjectId; outbox: OutboxRecord[] }>()
      .exec();
    const message = filing?.outbox.find((m) => m.messageId === messageId);
    return filing && message ? { filingId: String(filing._id), message } : null;
  }

  /**
   * Puts a failed message back in the queue, to `to`, with a fresh set of attempts. false: the
   * message is not (or no longer) failed.
   */
  async requeueFailed(messageId: string, to: OutboxRecord['to'], now: Date): Promise<boolean> {
    const result = await this.models.Filing.updateOne(
      { outbox: { $elemMatch: { messageId, status: 'failed' } } },
      {
        $set: {
          'outbox.$.to': to,
          'outbox.$.status': 'pending',
          'outbox.$.attempts': 0,
          'outbox.$.nextAttemptAt': now,
          'outbox.$.leaseOwner': null,
          'outbox.$.leaseUntil': new Date(0),
        },
      },
    ).exec();
    return result.modifiedCount === 1;
  }

  /** Comments whose answer is due to be sent now (pending, its time come, no lease held). */
  async dueCommentNotices(now: Date, limit: number): Promise<CommentRecord[]> {
    return this.models.Comment.find({
      'notice.status': 'pending',
      'notice.nextAttemptAt': { $lte: now },
      'notice.leaseUntil': { $lte: now },
    })
      .limit(limit)
      .lean<CommentRecord[]>()
      .exec();
  }

  async claimCommentNotice(commentId: string, now: Date, owner: string, leaseUntil: Date): Promise<boolean> {
    const result = await this.models.Comment.updateOne(
      { _id: toObjectId(commentId), 'notice.status': 'pending', 'notice.leaseUntil': { $lte: now } },
      { $set: { 'notice.leaseOwner': owner, 'notice.leaseUntil': leaseUntil }, $inc: { 'notice.attempts': 1 } },
    ).exec();
    return result.modifiedCount === 1;
  }

  async recordCommentNotice(commentId: string, owner: string, outcome: DeliveryOutcome): Promise<void> {
    await this.models.Comment.updateOne(
      { _id: toObjectId(commentId), 'notice.status': 'pending', 'notice.leaseOwner': owner },
      { $set: outcomeFields('notice.', outcome) },
    ).exec();
  }

  /** The rounds with answers held back until their adoption report is published. */
  async roundsAwaitingReport(): Promise<Array<{ filingId: ObjectId; round: number }>> {
    const waiting = await this.models.Comment.aggregate<{ _id: { filingId: ObjectId; round: number } }>([
      { $match: { 'notice.status': 'awaitingReport' } },
      { $group: { _id: { filingId: '$filingId', round: '$round' } } },
    ]).exec();
    return waiting.map(({ _id }) => _id);
  }

  /** R11: lets the held-back answers of a round go out, from now. */
  async releaseCommentNotices(filingId: ObjectId, round: number, now: Date): Promise<void> {
    await this.models.Comment.updateMany(
      { filingId, round, 'notice.status': 'awaitingReport' },
      { $set: { 'notice.status': 'pending', 'notice.nextAttemptAt': now } },
    ).exec();
  }
}
