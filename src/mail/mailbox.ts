import { AppError } from '../errors';
import type { ObjectId } from '../store/ids';
import type { MailStatus, MailStore, MailSummary } from '../store/mail';
import type { OutboxRecord } from '../store/records';
import type { StaffStore } from '../store/staff';

export type { MailStatus, MailSummary } from '../store/mail';

/** What staff can see and do about the outbox (R19): failed messages, their answers, resends. */
export class Mailbox {
  constructor(
    private readonly mail: MailStore,
    private readonly staff: StaffStore,
  ) {}

  async list(status: MailStatus | undefined, page: number, pageSize: number): Promise<{ items: MailSummary[]; total: number }> {
    return this.mail.list(status, page, pageSize);
  }

  async forFiling(filingId: ObjectId): Promise<MailSummary[]> {
    return this.mail.forFiling(filingId);
  }

  /** The whole message, bodies included, to look at what was (or will be) sent. */
  async message(messageId: string): Promise<{ filingId: string; message: OutboxRecord }> {
    const found = await this.mail.message(messageId);
    if (!found) throw new AppError('MESSAGE_NOT_FOUND', { messageId });
    return found;
  }

  /**
   * Puts a failed message back in the queue with a fresh set of attempts, addressed to the
   * recipient's address as it is now: the usual fix for a refusal is correcting that address.
   */
  async resend(messageId: string, now: Date): Promise<void> {
    const { message } = await this.message(messageId);
    const staff = await this.staff.byId(message.to.staffId);
    const to = staff ? { staffId: message.to.staffId, name: staff.name, email: staff.email } : message.to;
    if (await this.mail.requeueFailed(messageId, to, now)) return;
    throw new AppError('MESSAGE_NOT_FAILED', { messageId, status: message.status });
  }
}
