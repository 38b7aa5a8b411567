import { createHash, randomBytes } from 'node:crypto';
import { restore } from '../../../machines/engine';
import type { ConsultationRound, FilingContext } from '../../../machines/filing.machine';
import { AppError } from '../../errors';
import { maskPersonalInformation } from '../../privacy/mask';
import type { CommentStore } from '../../store/comments';
import { parseFilingId, type FilingHead, type FilingStore } from '../../store/filings';
import type { ObjectId } from '../../store/ids';
import { draftText, splitArticles } from './articles';
import { publishedRounds } from './publication';
import type { NewComment, Submitted } from './types';

function receiptNumber(): string {
  // Crockford base32 without I, L, O, U: readable aloud over the phone.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(10);
  return `YJ${[...bytes].map((b) => alphabet[b % 32]).join('')}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What tells a repeated submission from a different one: everything the sender chose, and where. */
function submissionDigest(filingId: ObjectId, input: NewComment): string {
  return sha256(JSON.stringify([String(filingId), input.article, input.paragraph, input.body, input.name, input.email, input.phone]));
}

function openRound(context: FilingContext, now: Date): ConsultationRound | null {
  const round = context.consultations[context.consultations.length - 1];
  if (!round || round.clearance === null || round.closedAt !== null) return null;
  return new Date(round.startsAt) <= now && now < new Date(round.endsAt) ? round : null;
}

/** A filing as intake last read it, valid while its version is unchanged. */
interface IntakeState {
  version: number;
  head: FilingHead;
  context: FilingContext;
}

/** Filings whose intake state is kept: those with comment periods open at once, and more. */
const INTAKE_STATES = 1_000;

/**
 * Comment intake (R8–R10, R16): the public endpoint that campaigns hit thousands of times.
 * Masks personal information before anything is published, hands out receipts, answers a
 * repeated submission with its first receipt, and keeps the per-article counters.
 */
export class CommentIntake {
  private readonly intakeStates = new Map<string, IntakeState>();

  constructor(
    private readonly comments: CommentStore,
    private readonly filings: FilingStore,
  ) {}

  /**
   * The filing as intake needs it: its head and restored context. A filing's snapshot, text
   * versions and title change only in the version-guarded update that increments `version`
   * (FilingStore.applyIfVersion), so what an earlier comment read is exact for as long as the
   * version has not moved: intake then reads the version alone — a few bytes instead of the
   * whole filing (about 14 kB of BSON with its snapshot) — and the filing again once it moves.
   */
  private async intakeState(filingId: string): Promise<IntakeState> {
    const id = parseFilingId(filingId);
    if (!id) throw new AppError('CONSULTATION_NOT_FOUND');
    const key = String(id);
    const kept = this.intakeStates.get(key);
    if (kept) {
      const version = await this.filings.version(id);
      if (version === null) {
        this.intakeStates.delete(key);
        throw new AppError('CONSULTATION_NOT_FOUND');
      }
      if (version === kept.version) return kept;
    }
    const head = await this.filings.head(id);
    if (!head) throw new AppError('CONSULTATION_NOT_FOUND');
    const state: IntakeState = { version: head.version, head, context: restore(head.snapshot).context };
    this.intakeStates.delete(key);
    this.intakeStates.set(key, state);
    // The filings least recently commented on go first (a Map iterates in insertion order).
    if (this.intakeStates.size > INTAKE_STATES) this.intakeStates.delete(this.intakeStates.keys().next().value as string);
    return state;
  }

  /**
   * Stores a public comment and returns its receipt. `submissionKey` names the submission when
   * the sender can say which it is — the rendered form it came from, an `Idempotency-Key` — so
   * that sending it again (a reload, a retry after a lost answer, two racing posts) returns the
   * first receipt instead of storing the comment twice, which would count it twice in the
   * adoption report (R11) and the statistics (R20). Only its hash is stored, under a unique
   * index: the first insert wins and the others read the winner back, so a keyed submission costs
   * a read only when it is a repeat, and an unkeyed one costs nothing more than before.
   */
  async submit(filingId: string, input: NewComment, client: string, now: Date, submissionKey?: string): Promise<Submitted> {
    const { head, context } = await this.intakeState(filingId);
    // As published(): nothing of a filing is public before a round is cleared and started (R15).
    if (publishedRounds(context, now).length === 0) throw new AppError('CONSULTATION_NOT_FOUND');
    const keyed = submissionKey === undefined ? null : { key: sha256(submissionKey), digest: submissionDigest(head._id, input) };
    const round = openRound(context, now);
    if (!round) {
      // A repeat of a comment accepted just before the period ended still gets its receipt.
      const earlier = keyed ? await this.earlierSubmission(keyed) : null;
      if (earlier) return earlier;
      throw new AppError('CONSULTATION_NOT_OPEN', { filingId });
    }
    if (input.article !== null) {
      const articles = splitArticles(await draftText(this.filings, head, round.draftVersion));
      if (input.article > articles.length) {
        throw new AppError('VALIDATION_FAILED', { field: 'article' }, `该草案共${articles.length}条，没有第${input.article}条`);
      }
    }
    const masked = maskPersonalInformation(input.body);
    let receipt = '';
    for (let attempt = 0; ; attempt++) {
      receipt = receiptNumber();
      const stored = await this.comments.insert({
        filingId: head._id,
        round: round.round,
        draftVersion: round.draftVersion,
        receipt,
        article: input.article,
        paragraph: input.paragraph,
        body: input.body,
        publicBody: masked.text,
        maskings: masked.maskings,
        author: { name: input.name, email: input.email, phone: input.phone },
        clientHash: createHash('sha256').update(client).digest('hex'),
        createdAt: now,
        disposition: null,
        notice: {
          status: input.email ? 'awaitingReport' : 'none',
          attempts: 0,
          nextAttemptAt: now,
          leaseOwner: null,
          leaseUntil: new Date(0),
          lastError: null,
          response: null,
          sentAt: null,
        },
        ...(keyed ? { submissionKey: keyed.key, submissionDigest: keyed.digest } : {}),
      });
      if (stored === 'inserted') break;
      // The same submission stored by an earlier or a racing request: its receipt, once.
      const earlier = keyed ? await this.earlierSubmission(keyed) : null;
      if (earlier) return earlier;
      // Else the receipt clashed: 80 random bits make that all but impossible; retry rather than fail.
      if (attempt >= 3) throw new Error(`comment receipts clashed ${attempt + 1} times in a row`);
    }
    // After the insert, and outside the retry: a crash in between leaves the count one short,
    // never a comment lost, and a failed counter write never stores the comment twice.
    await this.comments.count(head._id, round.round, input.article);
    return { receipt, round: round.round, replayed: false };
  }

  /**
   * The comment stored under a submission key, if any. A key sent again with a different comment
   * is refused rather than answered: returning the first receipt would tell the sender their new
   * text was filed when it was not (and hand whoever reuses a key another person's receipt), and
   * storing it as new would make the key mean nothing for a client that retries with an altered
   * body. The sender has to take a new form or key; nothing is stored meanwhile.
   */
  private async earlierSubmission(keyed: { key: string; digest: string }): Promise<{ receipt: string; round: number; replayed: true } | null> {
    const earlier = await this.comments.bySubmissionKey(keyed.key);
    if (!earlier) return null;
    if (earlier.submissionDigest !== keyed.digest) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return { receipt: earlier.receipt, round: earlier.round, replayed: true };
  }
}
