import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { restore } from '../../machines/engine';
import { PROJECT_ROOT } from '../config';
import type { FilingStore } from '../store/filings';
import type { MailStore } from '../store/mail';
import type { CommentRecord, DispositionOutcome, OutboxRecord } from '../store/records';
import type { DeliveryOutcome, OutboxSource, PendingMail } from './dispatcher';

/** R19: staff notices, committed into the filing with each transition. */
export class FilingOutboxSource implements OutboxSource {
  readonly name = 'filing-outbox';

  constructor(private readonly mail: MailStore) {}

  async due(now: Date, limit: number): Promise<PendingMail[]> {
    const filings = await this.mail.filingsWithDueMail(now, limit);
    return filings.flatMap((filing) =>
      filing.outbox
        .filter((m) => m.status === 'pending' && m.nextAttemptAt <= now && m.leaseUntil <= now)
        .map((m: OutboxRecord) => ({
          key: `${String(filing._id)} ${m.messageId}`,
          messageId: m.messageId,
          to: { name: m.to.name, email: m.to.email },
          subject: m.subject,
          html: m.html,
          text: m.text,
          attempts: m.attempts,
        })),
    );
  }

  async claim(mail: PendingMail, now: Date, owner: string, leaseUntil: Date): Promise<boolean> {
    const [filingId, messageId] = mail.key.split(' ');
    return this.mail.claimOutboxMessage(filingId, messageId, now, owner, leaseUntil);
  }

  async record(mail: PendingMail, owner: string, outcome: DeliveryOutcome): Promise<void> {
    const [filingId, messageId] = mail.key.split(' ');
    await this.mail.recordOutboxMessage(filingId, messageId, owner, outcome);
  }
}

const OUTCOME_LABELS: Record<DispositionOutcome, string> = {
  adopted: '采纳',
  partlyAdopted: '部分采纳',
  notAdopted: '未采纳',
  notApplicable: '不适用',
};

/**
 * R11: every commenter who left an address learns what became of their comment. The comment is
 * its own outbox: it waits as `awaitingReport` until the round's report is published — a fact
 * committed in the filing — and is then released, so a crash at any point loses nothing.
 */
export class CommentNoticeSource implements OutboxSource {
  readonly name = 'comment-notices';
  private readonly templates: Record<'subject' | 'html' | 'text', HandlebarsTemplateDelegate>;

  constructor(
    private readonly mail: MailStore,
    private readonly filings: FilingStore,
    private readonly settings: { baseUrl: string; messageIdDomain: string; productName: string },
    dir = path.join(PROJECT_ROOT, 'templates', 'mail', 'public'),
  ) {
    const hb = Handlebars.create();
    const read = (name: string) => fs.readFileSync(path.join(dir, `comment-answered.${name}.hbs`), 'utf8');
    this.templates = {
      subject: hb.compile(read('subject'), { strict: true, noEscape: true }),
      html: hb.compile(read('html'), { strict: true }),
      text: hb.compile(read('text'), { strict: true, noEscape: true }),
    };
  }

  async due(now: Date, limit: number): Promise<PendingMail[]> {
    await this.release(now);
    const comments = await this.mail.dueCommentNotices(now, limit);
    const titles = new Map<string, { title: string; reference: string }>();
    const mails: PendingMail[] = [];
    for (const comment of comments) {
      const filingKey = String(comment.filingId);
      if (!titles.has(filingKey)) {
        const head = await this.filings.titleAndReference(comment.filingId);
        titles.set(filingKey, { title: head?.title ?? '', reference: head?.reference ?? '' });
      }
      mails.push(this.compose(comment, titles.get(filingKey) as { title: string; reference: string }));
    }
    return mails;
  }

  async claim(mail: PendingMail, now: Date, owner: string, leaseUntil: Date): Promise<boolean> {
    return this.mail.claimCommentNotice(mail.key, now, owner, leaseUntil);
  }

  async record(mail: PendingMail, owner: string, outcome: DeliveryOutcome): Promise<void> {
    await this.mail.recordCommentNotice(mail.key, owner, outcome);
  }

  /** Releases the answers of every round whose adoption report has been published. */
  private async release(now: Date): Promise<void> {
    for (const waiting of await this.mail.roundsAwaitingReport()) {
      const snapshot = await this.filings.snapshot(waiting.filingId);
      const round = snapshot ? restore(snapshot).context.consultations.find((r) => r.round === waiting.round) : undefined;
      if (round?.report?.publishedAt == null) continue;
      await this.mail.releaseCommentNotices(waiting.filingId, waiting.round, now);
    }
  }

  private compose(comment: CommentRecord, filing: { title: string; reference: string }): PendingMail {
    const base = this.settings.baseUrl.replace(/\/+$/, '');
    const data = {
      productName: this.settings.productName,
      name: comment.author.name ?? '您',
      receipt: comment.receipt,
      title: filing.title,
      reference: filing.reference,
      article: comment.article,
      // The author's own words, but masked as published: the e-mail may be forwarded (R16).
      body: comment.publicBody,
      outcome: comment.disposition ? OUTCOME_LABELS[comment.disposition.outcome] : '',
      reason: comment.disposition?.reason ?? null,
      // Pages of the public site, not the JSON API: a person opens these in a browser.
      reportLink: `${base}/reports/${String(comment.filingId)}/${comment.round}`,
      lookupLink: `${base}/receipts?code=${comment.receipt}`,
    };
    return {
      key: String(comment._id),
      messageId: `<comment.${String(comment._id)}@${this.settings.messageIdDomain}>`,
      to: { name: comment.author.name ?? '', email: comment.author.email ?? '' },
      subject: this.templates.subject(data).replace(/[\r\n]+/g, ' ').trim(),
      html: this.templates.html(data),
      text: this.templates.text(data),
      attempts: comment.notice.attempts,
    };
  }
}
