/**
 * Filing documents as the service writes them, at chosen instants: the real chart computes each
 * snapshot, and each step leaves the history entry the service would have written.
 */
import { Types } from 'mongoose';
import { openFiling, persist, stageOf, statePaths, step, type FilingSnapshot } from '../../machines/engine';
import type { FilingEvent, FilingInput } from '../../machines/filing.machine';
import type { Actor } from '../../machines/roles';
import type { StoredSnapshot } from '../../machines/migrations';
import { chain, contentDigest, genesisHash, type UnchainedEntry } from '../../src/ledger/chain';
import type { DispositionOutcome, HistoryEntry, Models } from '../../src/store/models';
import { actor } from '../support/fixtures';

export type EventBody = FilingEvent extends infer E ? (E extends unknown ? Omit<E, 'at' | 'actor'> : never) : never;

/** Who sends each event, so the history names plausible people. */
function senderOf(type: EventBody['type'], department: string): Actor {
  switch (type) {
    case 'APPROVE_INTERPRETATION':
    case 'REJECT_INTERPRETATION':
    case 'SUBMIT':
      return actor('departmentHead', department);
    case 'ACCEPT':
    case 'RETURN':
      return actor('clerk');
    case 'CLEAR_FOR_PUBLICATION':
    case 'REFUSE_CLEARANCE':
      return actor('confidentialityReviewer');
    case 'PASS_LEGALITY_REVIEW':
    case 'FAIL_LEGALITY_REVIEW':
      return actor('legalReviewer');
    case 'ADOPT':
    case 'DEFER':
    case 'REJECT':
    case 'SEND_BACK_FOR_AMENDMENT':
      return actor('meetingSecretary');
    case 'SIGN':
      return actor('signer');
    case 'PUBLISH':
      return actor('publisher');
    case 'CLOSE_CONSULTATION':
      return { id: 'system', name: '系统', role: 'system', department: null };
    default:
      return actor('drafter', department);
  }
}

export type Steps = Array<[string, EventBody]>;

export interface FollowUp {
  at: string;
  by: Actor;
  form: string;
  title: string;
  body: string | null;
  url: string | null;
}

export class FilingBuilder {
  private snapshot: FilingSnapshot;
  private readonly history: HistoryEntry[] = [];
  private updatedAt: Date;
  private stageEnteredAt: Date;
  private followUps: FollowUp[] | undefined;
  private stored: StoredSnapshot | null = null;
  private storedStage: string | null = null;
  readonly id = new Types.ObjectId();

  constructor(
    readonly department: string,
    private readonly createdAt: string,
    filingInput: FilingInput,
  ) {
    const by = actor('drafter', department);
    this.snapshot = openFiling(filingInput, createdAt, by);
    this.updatedAt = new Date(createdAt);
    this.stageEnteredAt = this.updatedAt;
    this.append({
      seq: 1,
      at: new Date(createdAt),
      actor: by,
      event: 'CREATE',
      from: null,
      to: { stage: stageOf(this.snapshot), states: statePaths(this.snapshot) },
      return: null,
      note: null,
      digest: contentDigest(filingInput),
    });
  }

  /** R15: each entry chained to the one before, as the service writes the ledger. */
  private append(entry: UnchainedEntry): void {
    this.history.push(chain(entry, this.history.at(-1)?.hash ?? genesisHash(String(this.id))));
  }

  /** Sends one event at `at`; throws when the chart would not take it, as the service refuses. */
  send(at: string, body: EventBody): this {
    const by = senderOf(body.type, this.department);
    const event = { ...body, at, actor: by } as FilingEvent;
    if (!this.snapshot.can(event)) throw new Error(`${body.type} not accepted in ${stageOf(this.snapshot)}`);
    const before = this.snapshot;
    const next = step(before, event);
    const returned = next.context.returns.length > before.context.returns.length ? next.context.returns[next.context.returns.length - 1] : null;
    this.append({
      seq: this.history.length + 1,
      at: new Date(at),
      actor: by,
      event: body.type,
      from: { stage: stageOf(before), states: statePaths(before) },
      to: { stage: stageOf(next), states: statePaths(next) },
      return: returned ? { kind: returned.kind, reasons: returned.reasons.map((r) => ({ code: r.code, rule: r.rule, ...(r.field ? { field: r.field } : {}) })) } : null,
      note: 'note' in body && typeof body.note === 'string' ? body.note : null,
      digest: contentDigest(body),
    });
    if (stageOf(next) !== stageOf(before)) this.stageEnteredAt = new Date(at);
    this.snapshot = next;
    this.updatedAt = new Date(at);
    return this;
  }

  sendAll(steps: Steps): this {
    for (const [at, body] of steps) this.send(at, body);
    return this;
  }

  /** R7: follow-up interpretations, stored the way the chart will keep them in its context. */
  addFollowUps(followUps: FollowUp[]): this {
    this.followUps = followUps;
    for (const followUp of followUps) this.record(followUp.at, 'ADD_FOLLOW_UP_INTERPRETATION', followUp.by);
    return this;
  }

  /** A history entry for a step outside today's chart (an older or a newer one). */
  record(at: string, event: string, by: Actor): this {
    const when = new Date(at);
    const here = { stage: this.stage, states: statePaths(this.snapshot) };
    this.append({ seq: this.history.length + 1, at: when, actor: by, event, from: here, to: here, return: null, note: null, digest: contentDigest({ event }) });
    if (when > this.updatedAt) this.updatedAt = when;
    return this;
  }

  /** Replaces the stored snapshot, e.g. with one an older chart version wrote. */
  storeAs(snapshot: StoredSnapshot, stage: string): this {
    this.stored = snapshot;
    this.storedStage = stage;
    return this;
  }

  private get stage(): string {
    return this.storedStage ?? stageOf(this.snapshot);
  }

  get context() {
    return this.snapshot.context;
  }

  document(reference: string): Record<string, unknown> {
    const persisted = this.stored ?? persist(this.snapshot);
    const snapshot = this.followUps === undefined ? persisted : { ...persisted, context: { ...(persisted.context as object), followUps: this.followUps } };
    const round = this.snapshot.context.consultations.at(-1);
    return {
      _id: this.id,
      reference,
      title: this.snapshot.context.text.title,
      leadDepartment: this.department,
      coDepartments: [],
      stage: this.stage,
      stageEnteredAt: this.stageEnteredAt,
      deadlineAt: null,
      version: this.history.length,
      sharedWithOffice: this.history.some((h) => h.event === 'SUBMIT' || h.event === 'START_CONSULTATION'),
      returnCount: this.snapshot.context.returns.length,
      consultationStartsAt: stageOf(this.snapshot) === 'consultation' && round ? new Date(round.startsAt) : null,
      consultationEndsAt: stageOf(this.snapshot) === 'consultation' && round ? new Date(round.endsAt) : null,
      consultedAt: this.snapshot.context.consultations.find((r) => r.clearance)?.clearance?.at ?? null,
      snapshot,
      textVersions: [],
      history: this.history,
      ledgerHead: this.history.at(-1)!.hash,
      outbox: [],
      createdAt: new Date(this.createdAt),
      updatedAt: this.updatedAt,
    };
  }
}

export interface CommentSeed {
  at: string;
  outcome: DispositionOutcome | null;
}

let receipts = 0;

/** Public comments on a round, disposed of (R11) or not yet. */
export function commentDocuments(filing: FilingBuilder, round: number, seeds: CommentSeed[]): Array<Record<string, unknown>> {
  return seeds.map(({ at, outcome }) => {
    receipts += 1;
    const body = `第${receipts}条意见：建议进一步明确适用范围。`;
    return {
      filingId: filing.id,
      round,
      draftVersion: 1,
      receipt: `R${String(receipts).padStart(6, '0')}`,
      article: null,
      paragraph: null,
      body,
      publicBody: body,
      maskings: [],
      author: { name: null, email: null, phone: null },
      clientHash: 'c'.repeat(64),
      createdAt: new Date(at),
      disposition: outcome
        ? { outcome, reason: outcome === 'adopted' ? null : '已研究', at: new Date(Date.parse(at) + 86_400_000), by: actor('drafter', filing.department) }
        : null,
      notice: {
        status: 'none',
        attempts: 0,
        nextAttemptAt: new Date(at),
        leaseOwner: null,
        leaseUntil: new Date(0),
        lastError: null,
        response: null,
        sentAt: null,
      },
    };
  });
}

let references = 0;

export async function insertAll(models: Models, filings: FilingBuilder[], comments: Array<Record<string, unknown>>): Promise<void> {
  // References are unique, so every insert continues the numbering.
  await models.Filing.insertMany(filings.map((f) => f.document(`2026-${String(++references).padStart(4, '0')}`)) as never[]);
  if (comments.length > 0) await models.Comment.insertMany(comments as never[]);
}
