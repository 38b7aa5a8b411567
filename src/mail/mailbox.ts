import type { Types } from 'mongoose';
import { AppError } from '../errors';
import type { Models, OutboxRecord } from '../store/models';

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

/** What staff can see and do about the outbox (R19): failed messages, their answers, resends. */
export class Mailbox {
  constructor(private readonly models: Models) {}

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

  async forFiling(filingId: Types.ObjectId): Promise<MailSummary[]> {
    return this.models.Filing.aggregate<MailSummary>([
      { $match: { _id: filingId } },
      { $unwind: '$outbox' },
      { $sort: { 'outbox.createdAt': 1, 'outbox.messageId': 1 } },
      { $project: SUMMARY },
    ])
      .exec()
      .then((items) => items.map((m) => ({ ...m, filingId: String(m.filingId) })));
  }

  /** The whole message, bodies included, to look at what was (or will be) sent. */
  async message(messageId: string): Promise<{ filingId: string; message: OutboxRecord }> {
    const filing = await this.models.Filing.findOne({ 'outbox.messageId': messageId }, { outbox: 1 })
      .lean<{ _id: Types.ObjectId; outbox: OutboxRecord[] }>()
      .exec();
    const message = filing?.outbox.find((m) => m.messageId === messageId);
    if (!filing || !message) throw new AppError('MESSAGE_NOT_FOUND', { messageId });
    return { filingId: String(filing._id), message };
  }

  /**
   * Puts a failed message back in the queue with a fresh set of attempts, addressed to the
   * recipient's address as it is now: the usual fix for a refusal is correcting that address.
   */
  async resend(messageId: string, now: Date): Promise<void> {
    const { message } = await this.message(messageId);
    const staff = await this.models.Staff.findById(message.to.staffId).lean().exec();
    const to = staff ? { staffId: message.to.staffId, name: staff.name, email: staff.email } : message.to;
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
    if (result.modifiedCount === 1) return;
    throw new AppError('MESSAGE_NOT_FAILED', { messageId, status: message.status });
  }
}
