import type { Logger } from '../log';
import type { MailSink } from './transport';

/** A message waiting in some outbox, as the dispatcher sees it. */
export interface PendingMail {
  /** Where it lives in its source, opaque to the dispatcher. */
  key: string;
  messageId: string;
  to: { name: string; email: string };
  subject: string;
  html: string;
  text: string;
  attempts: number;
}

export type DeliveryOutcome =
  | { status: 'sent'; response: string; at: Date }
  | { status: 'failed'; error: string }
  | { status: 'retry'; error: string; nextAttemptAt: Date };

/**
 * A place messages wait in: the filings' outboxes (staff notices, R19) or the comments (answers
 * to commenters, R11). Each claims and records with single-document atomic updates.
 */
export interface OutboxSource {
  readonly name: string;
  due(now: Date, limit: number): Promise<PendingMail[]>;
  /** Takes the message for `owner` until `leaseUntil`; false when someone else has it. */
  claim(mail: PendingMail, now: Date, owner: string, leaseUntil: Date): Promise<boolean>;
  /** Writes the outcome, only while `owner` still holds the lease. */
  record(mail: PendingMail, owner: string, outcome: DeliveryOutcome): Promise<void>;
}

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

/** A refusal that retrying cannot fix: a 5xx answer from the server. */
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
 * Delivers the outboxes. Each message is claimed with a lease by one atomic update, so with
 * several instances on one database exactly one sends it; it is marked sent only after the
 * server accepted it. A crash between acceptance and marking means one more delivery of the
 * same Message-ID after the lease runs out, which receivers recognise as the same message.
 */
export class MailDispatcher {
  private readonly clock: () => Date;

  constructor(
    private readonly sources: readonly OutboxSource[],
    private readonly sink: MailSink,
    private readonly options: DispatcherOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** One pass over everything due now. */
  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0 };
    for (const source of this.sources) {
      const now = this.clock();
      for (const mail of await source.due(now, this.options.batchSize)) {
        const leaseUntil = new Date(now.getTime() + this.options.leaseMs);
        if (!(await source.claim(mail, now, this.options.instanceId, leaseUntil))) continue;
        const outcome = await this.deliver(mail, mail.attempts + 1);
        await source.record(mail, this.options.instanceId, outcome);
        report[outcome.status === 'retry' ? 'retrying' : outcome.status]++;
      }
    }
    return report;
  }

  private async deliver(mail: PendingMail, attempt: number): Promise<DeliveryOutcome> {
    if (!ADDRESS.test(mail.to.email)) return { status: 'failed', error: `收件地址无效：${mail.to.email}` };
    try {
      const response = await this.sink.send({ ...mail, from: this.options.from });
      return { status: 'sent', response, at: this.clock() };
    } catch (error) {
      const reason = describe(error);
      if (permanent(error) || attempt >= this.options.maxAttempts) {
        this.options.logger.warn({ messageId: mail.messageId, reason }, 'mail failed for good');
        return { status: 'failed', error: reason };
      }
      return { status: 'retry', error: reason, nextAttemptAt: new Date(this.clock().getTime() + this.options.backoffMs(attempt)) };
    }
  }
}
