import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { Types } from 'mongoose';
import { restore } from '../../machines/engine';
import { PROJECT_ROOT } from '../config';
import type { CommentRecord, DispositionOutcome, FilingRecord, Models, OutboxRecord } from '../store/models';
import type { DeliveryOutcome, OutboxSource, PendingMail } from './dispatcher';

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

/** R19: staff notices, committed into the filing with each transition. */
export class FilingOutboxSource implements OutboxSource {
  readonly name = 'filing-outbox';

  constructor(private readonly models: Models) {}

  async due(now: Date, limit: number): Promise<PendingMail[]> {
    const due = { status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } };
    const filings = await this.models.Filing.find({ outbox: { $elemMatch: due } }, { outbox: 1 })
      .limit(limit)
      .lean<Array<Pick<FilingRecord, '_id' | 'outbox'>>>()
      .exec();
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
    const result = await this.models.Filing.updateOne(
      {
        _id: new Types.ObjectId(filingId),
        outbox: { $elemMatch: { messageId, status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } } },
      },
      { $set: { 'outbox.$.leaseOwner': owner, 'outbox.$.leaseUntil': leaseUntil }, $inc: { 'outbox.$.attempts': 1 } },
    ).exec();
    return result.modifiedCount === 1;
  }

  async record(mail: PendingMail, owner: string, outcome: DeliveryOutcome): Promise<void> {
    const [filingId, messageId] = mail.key.split(' ');
    await this.models.Filing.updateOne(
      { _id: new Types.ObjectId(filingId), outbox: { $elemMatch: { messageId, leaseOwner: owner, status: 'pending' } } },
      { $set: outcomeFields('outbox.$.', outcome) },
    ).exec();
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
    private readonly models: Models,
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
    const comments = await this.models.Comment.find({
      'notice.status': 'pending',
      'notice.nextAttemptAt': { $lte: now },
      'notice.leaseUntil': { $lte: now },
    })
      .limit(limit)
      .lean<CommentRecord[]>()
      .exec();
    const titles = new Map<string, { title: string; reference: string }>();
    const mails: PendingMail[] = [];
    for (const comment of comments) {
      const filingKey = String(comment.filingId);
      if (!titles.has(filingKey)) {
        const head = await this.models.Filing.findById(comment.filingId, { title: 1, reference: 1 }).lean().exec();
        titles.set(filingKey, { title: head?.title ?? '', reference: head?.reference ?? '' });
      }
      mails.push(this.compose(comment, titles.get(filingKey) as { title: string; reference: string }));
    }
    return mails;
  }

  async claim(mail: PendingMail, now: Date, owner: string, leaseUntil: Date): Promise<boolean> {
    const result = await this.models.Comment.updateOne(
      { _id: new Types.ObjectId(mail.key), 'notice.status': 'pending', 'notice.leaseUntil': { $lte: now } },
      { $set: { 'notice.leaseOwner': owner, 'notice.leaseUntil': leaseUntil }, $inc: { 'notice.attempts': 1 } },
    ).exec();
    return result.modifiedCount === 1;
  }

  async record(mail: PendingMail, owner: string, outcome: DeliveryOutcome): Promise<void> {
    await this.models.Comment.updateOne(
      { _id: new Types.ObjectId(mail.key), 'notice.status': 'pending', 'notice.leaseOwner': owner },
      { $set: outcomeFields('notice.', outcome) },
    ).exec();
  }

  /** Releases the answers of every round whose adoption report has been published. */
  private async release(now: Date): Promise<void> {
    const waiting = await this.models.Comment.aggregate<{ _id: { filingId: Types.ObjectId; round: number } }>([
      { $match: { 'notice.status': 'awaitingReport' } },
      { $group: { _id: { filingId: '$filingId', round: '$round' } } },
    ]).exec();
    for (const { _id } of waiting) {
      const head = await this.models.Filing.findById(_id.filingId, { snapshot: 1 }).lean<Pick<FilingRecord, 'snapshot'>>().exec();
      const round = head ? restore(head.snapshot).context.consultations.find((r) => r.round === _id.round) : undefined;
      if (round?.report?.publishedAt == null) continue;
      await this.models.Comment.updateMany(
        { filingId: _id.filingId, round: _id.round, 'notice.status': 'awaitingReport' },
        { $set: { 'notice.status': 'pending', 'notice.nextAttemptAt': now } },
      ).exec();
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
