import type { Types } from 'mongoose';
import type { Logger } from '../log';
import type { Models, OutboxRecord } from '../store/models';
import type { MailSink } from './transport';

export interface DispatcherOptions {
  /** Distinguishes service instances sharing one database. */
  instanceId: string;
  from: string;
  /** How long a claimed message is ours; after that another instance may retry it. */
  leaseMs: number;
  /** Attempts before a message that keeps failing is marked failed. */
  maxAttempts: number;
  /** Delay before the retry after `attempt` failed attempts. */
  backoffMs: (attempt: number) => number;
  batchSize: number;
  logger: Logger;
  clock?: () => Date;
}

export interface DispatchReport {
  sent: number;
  retrying: number;
  failed: number;
}

/** Exponential backoff from `baseMs`, capped at `maxMs`. */
export function exponentialBackoff(baseMs: number, maxMs: number): (attempt: number) => number {
  return (attempt) => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

// Deliberately simple: it only needs to catch what no mail server would accept.
const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** A refusal that retrying cannot fix: a 5xx answer or an address that cannot be valid. */
function permanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const e = error as { response?: unknown; message?: unknown; code?: unknown };
  const text = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  return (typeof e.code === 'string' ? `${e.code}: ${text}` : text).slice(0, 1000);
}

/**
 * Delivers the outbox (R19). Each message is claimed with a lease by a single positional update,
 * so with several instances on one database exactly one sends it; it is marked sent only after
 * the server accepted it. A crash between acceptance and marking means one more delivery of the
 * same Message-ID after the lease runs out, which receivers recognise as the same message.
 */
export class MailDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DispatchReport> | null = null;
  private readonly clock: () => Date;

  constructor(
    private readonly models: Models,
    private readonly sink: MailSink,
    private readonly options: DispatcherOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** One pass over everything due now. */
  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0 };
    const now = this.clock();
    const due = { status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } };
    const filings = await this.models.Filing.find({ outbox: { $elemMatch: due } }, { outbox: 1 })
      .limit(this.options.batchSize)
      .lean<Array<{ _id: Types.ObjectId; outbox: OutboxRecord[] }>>()
      .exec();
    for (const filing of filings) {
      for (const message of filing.outbox) {
        if (message.status !== 'pending' || message.nextAttemptAt > now || message.leaseUntil > now) continue;
        if (!(await this.claim(filing._id, message.messageId, now))) continue;
        report[await this.deliver(filing._id, message, message.attempts + 1)]++;
      }
    }
    return report;
  }

  /** Polls every `intervalMs` until stopped; passes never overlap. */
  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) => {
          this.options.logger.warn({ err: error }, 'mail dispatch pass failed; will retry');
          return { sent: 0, retrying: 0, failed: 0 };
        })
        .finally(() => {
          this.running = null;
          if (this.timer !== null) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async claim(filingId: Types.ObjectId, messageId: string, now: Date): Promise<boolean> {
    const result = await this.models.Filing.updateOne(
      {
        _id: filingId,
        outbox: { $elemMatch: { messageId, status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } } },
      },
      {
        $set: {
          'outbox.$.leaseOwner': this.options.instanceId,
          'outbox.$.leaseUntil': new Date(now.getTime() + this.options.leaseMs),
        },
        $inc: { 'outbox.$.attempts': 1 },
      },
    ).exec();
    return result.modifiedCount === 1;
  }

  private async deliver(filingId: Types.ObjectId, message: OutboxRecord, attempt: number): Promise<keyof DispatchReport> {
    if (!ADDRESS.test(message.to.email)) {
      await this.record(filingId, message.messageId, { status: 'failed', lastError: `收件地址无效：${message.to.email}` });
      return 'failed';
    }
    try {
      const response = await this.sink.send({
        messageId: message.messageId,
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
      });
      await this.record(filingId, message.messageId, { status: 'sent', sentAt: this.clock(), response, lastError: null });
      return 'sent';
    } catch (error) {
      const reason = describe(error);
      if (permanent(error) || attempt >= this.options.maxAttempts) {
        this.options.logger.warn({ messageId: message.messageId, reason }, 'mail failed for good');
        await this.record(filingId, message.messageId, { status: 'failed', lastError: reason });
        return 'failed';
      }
      const retryAt = new Date(this.clock().getTime() + this.options.backoffMs(attempt));
      await this.record(filingId, message.messageId, { nextAttemptAt: retryAt, lastError: reason });
      return 'retrying';
    }
  }

  /** Writes the outcome, but only while we still hold the lease. */
  private async record(filingId: Types.ObjectId, messageId: string, changes: Partial<OutboxRecord>): Promise<void> {
    const set: Record<string, unknown> = { 'outbox.$.leaseOwner': null, 'outbox.$.leaseUntil': new Date(0) };
    for (const [key, value] of Object.entries(changes)) set[`outbox.$.${key}`] = value;
    await this.models.Filing.updateOne(
      { _id: filingId, outbox: { $elemMatch: { messageId, leaseOwner: this.options.instanceId, status: 'pending' } } },
      { $set: set },
    ).exec();
  }
}
