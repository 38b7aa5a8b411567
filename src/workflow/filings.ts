import { checkCompleteness } from '../../machines/completeness';
import { emptyInterpretation, emptyParticulars, type Particulars } from '../../machines/dossier';
import {
  advance,
  allowedEvents,
  openFiling,
  persist,
  restore,
  stageOf,
  statePaths,
  type FilingSnapshot,
} from '../../machines/engine';
import {
  applyInterpretationPatch,
  completenessInputOf,
  EVENT_LABELS,
  STAGE_LABELS,
  type FilingEvent,
  type FilingEventType,
  type ConsultationRound,
  type InterpretationPatch,
  type ReturnRecord,
  type Stage,
} from '../../machines/filing.machine';
import { UnsupportedMachineVersionError } from '../../machines/migrations';
import { cstDay, VALIDITY_LABELS, validityOn } from '../../machines/validity';
import { summarize } from '../../machines/summary';
import { canCreateFiling, canView, mayReadPublicConsultation, refusalFor, visibilityOf, type FilingVisibilityFacts } from '../../machines/permissions';
import type { Deficiency } from '../../machines/reasons';
import { SYSTEM_ACTOR, type Actor } from '../../machines/roles';
import { addWorkingDays, cstDate, formatCstDay } from '../calendar';
import type { ConsultationDesk } from '../consultation/desk';
import type { FilingCommand } from '../../machines/events';
import { AppError } from '../errors';
import { parseFilingId, type FilingHead, type FilingListQuery, type FilingStore } from '../store/filings';
import { newObjectId, type ObjectId } from '../store/ids';
import type { Occurrence } from '../mail/compose';
import { ledgerExport } from '../ledger';
import { chain, contentDigest, genesisHash } from '../ledger/chain';
import { clocksOf, currentDeadline, deadlineStatus, type DeadlineSettings, type DeadlineStatus } from './deadlines';
import { isTask, taskStagesOf } from '../../machines/tasks';
import type { FilingRecord, HistoryEntry, OutboxRecord, TextVersionRecord } from '../store/records';
import { actorRecord } from '../store/records';

/** What a caller sends: a chart event without its stamp, plus the version it was read at (see the registry). */
export type { FilingCommand } from '../../machines/events';

export interface NewFiling {
  title: string;
  body: string;
  coDepartments: string[];
  particulars: Partial<Particulars>;
  interpretation: InterpretationPatch;
}

export interface FilingView {
  id: string;
  reference: string;
  title: string;
  leadDepartment: string;
  coDepartments: string[];
  stage: Stage;
  stageLabel: string;
  states: string[];
  version: number;
  machineVersion: number;
  sharedWithOffice: boolean;
  returnCount: number;
  context: FilingSnapshot['context'];
  /** The completeness check as it stands now (R1…R14), so drafters can fix before filing. */
  deficiencies: Deficiency[];
  /** What the caller may send now. */
  allowedEvents: FilingEventType[];
  /** The time limit of the current stage, as a date and working days left (R6, R9, R21). */
  deadline: DeadlineStatus | null;
  createdAt: string;
  updatedAt: string;
}

export type FilingSummary = Pick<
  FilingView,
  | 'id'
  | 'reference'
  | 'title'
  | 'leadDepartment'
  | 'coDepartments'
  | 'stage'
  | 'stageLabel'
  | 'version'
  | 'returnCount'
  | 'allowedEvents'
  | 'deadline'
  | 'createdAt'
  | 'updatedAt'
>;

/** Ledger entries that are no chart event (R15). */
export const LEDGER_ONLY_EVENTS = { CREATE: '创建文件', DISPOSE_COMMENTS: '答复公众意见', REDACT_COMMENT: '人工隐去意见中的个人信息' } as const;
export type LedgerOnlyEvent = Exclude<keyof typeof LEDGER_ONLY_EVENTS, 'CREATE'>;

/** What a history entry's event is called, in words. */
export function ledgerEventLabel(event: string): string {
  return (LEDGER_ONLY_EVENTS as Record<string, string>)[event] ?? EVENT_LABELS[event as FilingEventType] ?? event;
}

export interface ListQuery {
  stage?: Stage;
  /** Filings of this department, lead or co-department. */
  department?: string;
  /** overdue: past the time limit; soon: due within three working days (or overdue); any: has one. */
  deadline?: 'overdue' | 'soon' | 'any';
  /** Only filings that await an action of the caller. */
  tasks?: boolean;
  page: number;
  pageSize: number;
}

/** Enough for anyone's open tasks; beyond it the list says so by its total. */
const TASK_LIMIT = 500;

export interface SendResult {
  view: FilingView;
  /** Set when the completeness check refused the filing at intake (R18: recorded as a return). */
  intakeRefusal: Deficiency[] | null;
}

function departmentsOf(head: FilingHead): FilingVisibilityFacts {
  return { leadDepartment: head.leadDepartment, coDepartments: head.coDepartments, sharedWithOffice: head.sharedWithOffice, stage: head.stage as Stage };
}

/** Turns a step into the e-mails it causes (R19); see src/mail/compose.ts. */
export interface Notifier {
  compose(occurrence: Occurrence): Promise<OutboxRecord[]>;
}

export class FilingService {
  constructor(
    private readonly store: FilingStore,
    private readonly notifier: Notifier,
    private readonly desk: ConsultationDesk,
    private readonly deadlines: DeadlineSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The jurisdiction's working-day clocks, for the stored summary (R6, R21). */
  private get clocks() {
    return clocksOf(this.deadlines);
  }

  async create(actor: Actor, input: NewFiling): Promise<FilingView> {
    if (!canCreateFiling(actor)) throw new AppError('FORBIDDEN_ROLE');
    const lead = actor.department as string;
    const coDepartments = [...new Set(input.coDepartments)];
    if (coDepartments.includes(lead)) {
      throw new AppError('VALIDATION_FAILED', { field: 'coDepartments' }, '配合部门不能包含牵头部门');
    }
    const now = this.clock();
    const at = now.toISOString();
    const sha = await this.store.saveText(input.body);
    const particulars = { ...emptyParticulars(), ...input.particulars };
    // The interpretation package may arrive together with the draft (三同步, R2).
    const interpretation = applyInterpretationPatch(emptyInterpretation(), input.interpretation);
    const snapshot = openFiling(
      { title: input.title, textSha256: sha, textLength: input.body.length, particulars, interpretation },
      at,
      actor,
    );
    const _id = newObjectId();
    // R15: the first link of the ledger, with the draft's hash and the package it came with.
    const created = chain(
      {
        seq: 1,
        at: now,
        actor: actorRecord(actor),
        event: 'CREATE',
        from: null,
        to: { stage: stageOf(snapshot), states: statePaths(snapshot) },
        return: null,
        note: null,
        digest: contentDigest({ title: input.title, textSha256: sha, coDepartments, particulars, interpretation }),
      },
      genesisHash(String(_id)),
    );
    const head = await this.store.insert({
      _id,
      reference: await this.store.nextReference(Number(cstDate(now).slice(0, 4))),
      ...summarize(snapshot, null, now, this.clocks),
      leadDepartment: lead,
      coDepartments,
      version: 1,
      snapshot: persist(snapshot),
      textVersions: [this.textVersion(snapshot, now, actor)],
      // Opening a draft concerns nobody outside the drafter's desk yet.
      outbox: [],
      history: [created],
      ledgerHead: created.hash,
      createdAt: now,
      updatedAt: now,
    });
    return this.view(head, snapshot, actor);
  }

  async get(actor: Actor, id: string): Promise<FilingView> {
    const head = await this.visible(actor, id);
    return this.view(head, this.restore(head), actor);
  }

  async completeness(actor: Actor, id: string): Promise<Deficiency[]> {
    const head = await this.visible(actor, id);
    return checkCompleteness(completenessInputOf(this.restore(head).context));
  }

  async history(actor: Actor, id: string): Promise<HistoryEntry[]> {
    const head = await this.visible(actor, id);
    return (await this.store.history(head._id)) ?? [];
  }

  /** R15: the filing's ledger with its hashes and whether its chain holds, for export. */
  async ledger(actor: Actor, id: string): Promise<ReturnType<typeof ledgerExport>> {
    const head = await this.visible(actor, id);
    const history = (await this.store.history(head._id)) ?? [];
    return ledgerExport({ id: String(head._id), reference: head.reference, title: head.title, ledgerHead: head.ledgerHead }, history);
  }

  async textVersions(actor: Actor, id: string): Promise<TextVersionRecord[]> {
    const head = await this.visible(actor, id);
    return head.textVersions;
  }

  async text(actor: Actor, id: string, version: number): Promise<TextVersionRecord & { body: string }> {
    const head = await this.visible(actor, id);
    const meta = head.textVersions.find((v) => v.version === version);
    const body = meta ? await this.store.text(meta.sha256) : null;
    if (!meta || body === null) throw new AppError('TEXT_VERSION_NOT_FOUND', { version });
    return { ...meta, body };
  }

  async list(actor: Actor, query: ListQuery): Promise<{ items: FilingSummary[]; total: number; page: number; pageSize: number }> {
    await this.closeEnded();
    const now = this.clock();
    const deadline: FilingListQuery['deadline'] =
      query.deadline === 'overdue'
        ? { before: now }
        : // "Soon": due within the next three working days, overdue ones included.
          query.deadline === 'soon'
          ? { by: addWorkingDays(now, 3) }
          : query.deadline === 'any'
            ? { any: true }
            : undefined;
    const filter: FilingListQuery = { visibility: visibilityOf(actor), department: query.department, stage: query.stage, deadline };
    const summary = (head: FilingHead) => this.summary(head, actor);

    if (!query.tasks) {
      const { items, total } = await this.store.list({ ...filter, order: query.deadline ? 'deadline' : 'recent' }, query.page, query.pageSize);
      return { items: items.map(summary), total, page: query.page, pageSize: query.pageSize };
    }
    // Tasks: filings in a stage where the caller's role acts, then only those that await them
    // now (department and state decide); a person's open tasks are few, so this is paged here.
    const stage = query.stage ? (taskStagesOf(actor.role).includes(query.stage) ? query.stage : []) : taskStagesOf(actor.role);
    const { items } = await this.store.list({ ...filter, stage, order: 'waiting' }, 1, TASK_LIMIT);
    const due = (head: FilingHead) => head.deadlineAt?.getTime() ?? Number.POSITIVE_INFINITY;
    // Nearest deadline first, then those without one, longest waiting first.
    const tasks = items
      .sort((a, b) => due(a) - due(b) || a.updatedAt.getTime() - b.updatedAt.getTime())
      .map(summary)
      .filter((f) => f.allowedEvents.some(isTask));
    const start = (query.page - 1) * query.pageSize;
    return { items: tasks.slice(start, start + query.pageSize), total: tasks.length, page: query.page, pageSize: query.pageSize };
  }

  /** Departments with filings the caller may see, for the list filter. */
  async departments(actor: Actor): Promise<string[]> {
    const visibility = visibilityOf(actor);
    if (visibility.kind === 'department') return [visibility.department];
    return this.store.departments(visibility);
  }

  private summary(head: FilingHead, actor: Actor): FilingSummary {
    const snapshot = this.restore(head);
    return {
      id: String(head._id),
      reference: head.reference,
      title: head.title,
      leadDepartment: head.leadDepartment,
      coDepartments: head.coDepartments,
      stage: head.stage as Stage,
      stageLabel: STAGE_LABELS[head.stage as Stage],
      version: head.version,
      returnCount: head.returnCount,
      // So an inbox can show what the caller has to do without opening every filing.
      allowedEvents: allowedEvents(snapshot, actor, departmentsOf(head), this.clock().toISOString()),
      deadline: this.deadlineOf(head, snapshot),
      createdAt: head.createdAt.toISOString(),
      updatedAt: head.updatedAt.toISOString(),
    };
  }

  /**
   * A command: load the snapshot, let the pure chart compute the next one and name its effects,
   * and persist both under the version guard — snapshot, summary, history, text version and
   * outbox in one single-document update.
   */
  async send(actor: Actor, id: string, command: FilingCommand): Promise<SendResult> {
    // The scheduler's own close is the close: it must not be taken first on its behalf.
    const settle = command.type !== 'CLOSE_CONSULTATION';
    return this.apply(actor, await this.visible(actor, id, settle), command);
  }

  private async apply(actor: Actor, head: FilingHead, command: FilingCommand): Promise<SendResult> {
    const refusal = refusalFor(actor, command.type, departmentsOf(head));
    if (refusal === 'role') throw new AppError('FORBIDDEN_ROLE', { event: command.type });
    if (refusal === 'department') throw new AppError('FORBIDDEN_DEPARTMENT', { event: command.type });
    if (command.version !== head.version) {
      throw new AppError('VERSION_CONFLICT', { expectedVersion: command.version, currentVersion: head.version });
    }

    const now = this.clock();
    const at = now.toISOString();
    const snapshot = this.restore(head);
    // Guards never read payloads, so the bare event tells whether the chart takes it now;
    // only then is the command completed, which may store a text body or build a report.
    if (!snapshot.can({ type: command.type, at, actor } as FilingEvent)) {
      throw new AppError('EVENT_NOT_ALLOWED', {
        event: command.type,
        stage: stageOf(snapshot),
        allowedEvents: allowedEvents(snapshot, actor, departmentsOf(head), at),
      });
    }
    const event = await this.prepare(command, head, snapshot, now, actor);
    const { snapshot: next, effects } = advance(snapshot, event);
    const summary = summarize(next, head, now, this.clocks);
    const seq = head.version + 1;
    const entry = this.ledgerEntry(head, snapshot, next, event, seq, now, actor);
    const updated = await this.store.applyIfVersion(head._id, head.version, {
      set: { ...summary, ledgerHead: entry.hash, snapshot: persist(next), updatedAt: now },
      history: entry,
      textVersion: effects.includes('keepTextVersion') ? this.textVersion(next, now, actor) : null,
      outbox: effects.includes('announce') ? await this.announce(head, snapshot, next, event, seq, summary.stageEnteredAt, now, actor) : [],
    });
    if (!updated) {
      const current = await this.store.head(head._id);
      throw new AppError('VERSION_CONFLICT', { expectedVersion: command.version, currentVersion: current?.version ?? null });
    }
    return {
      view: this.view(updated, next, actor),
      // R18: refused at intake with every deficiency found, as the return recorded them.
      intakeRefusal: effects.includes('refuseAtIntake') ? checkCompleteness(completenessInputOf(snapshot.context)) : null,
    };
  }

  /** R19: the e-mails of a step, for whoever the event's registry entry names in the stage reached. */
  private announce(head: FilingHead, before: FilingSnapshot, next: FilingSnapshot, event: FilingEvent, seq: number, stageEnteredAt: Date, now: Date, actor: Actor): Promise<OutboxRecord[]> {
    const stage = stageOf(next);
    return this.notifier.compose({
      filing: { id: String(head._id), reference: head.reference, title: next.context.text.title, leadDepartment: head.leadDepartment, coDepartments: head.coDepartments },
      seq,
      event: event.type,
      note: noteOf(event),
      stage,
      states: statePaths(next),
      context: next.context,
      returned: latestReturn(before, next),
      actor,
      at: now,
      // R19, R21: a mail that asks someone to act states the limit the filing now runs against.
      deadline: this.clocks.deadline(stage, next.context, stageEnteredAt),
    });
  }

  /** R15: the step's link in the filing's hash chain: who, as what, when, from where to where, and a digest of what it carried. */
  private ledgerEntry(head: FilingHead, before: FilingSnapshot, next: FilingSnapshot, event: FilingEvent, seq: number, now: Date, actor: Actor): HistoryEntry {
    const returned = latestReturn(before, next);
    const { at: _at, actor: _actor, ...content } = event;
    return chain(
      {
        seq,
        at: now,
        actor: actorRecord(actor),
        event: event.type,
        from: { stage: stageOf(before), states: statePaths(before) },
        to: { stage: stageOf(next), states: statePaths(next) },
        return: returned ? { kind: returned.kind, reasons: returned.reasons } : null,
        note: noteOf(event),
        digest: contentDigest(content),
      },
      head.ledgerHead,
    );
  }

  /**
   * R15: puts an action that does not move the filing on its ledger (who, role, when, a digest of
   * what it carried), retrying on a concurrent step, so the chain stays one line.
   */
  async record(
    actor: Actor,
    id: string,
    action: { event: LedgerOnlyEvent; note: string | null; content: unknown },
    /** `consultation`: an act on a public consultation by staff who may not see the whole filing. */
    access: 'filing' | 'consultation' = 'filing',
  ): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const head = access === 'consultation' ? (await this.consultation(actor, id)).head : await this.visible(actor, id);
      const now = this.clock();
      const where = { stage: head.stage, states: statePaths(this.restore(head)) };
      const entry = chain(
        {
          seq: head.version + 1,
          at: now,
          actor: actorRecord(actor),
          event: action.event,
          from: where,
          to: where,
          return: null,
          note: action.note,
          digest: contentDigest(action.content),
        },
        head.ledgerHead,
      );
      if (await this.store.appendIfVersion(head._id, head.version, entry, now)) return;
    }
    throw new AppError('VERSION_CONFLICT', { id });
  }

  /** The chart event for a command, completed by the server where the command is not enough. */
  private async prepare(command: FilingCommand, head: FilingHead, snapshot: FilingSnapshot, now: Date, actor: Actor): Promise<FilingEvent> {
    const at = now.toISOString();
    const { version: _version, ...payload } = command;
    switch (payload.type) {
      case 'EDIT_TEXT': {
        const { body, title } = payload;
        // Content-addressed and idempotent: if the guarded update loses a race, this body is
        // simply unreferenced, never a half-written filing.
        const sha = await this.store.saveText(body);
        return { type: 'EDIT_TEXT', title: title ?? snapshot.context.text.title, textSha256: sha, textLength: body.length, at, actor };
      }
      case 'START_CONSULTATION': {
        const { type, ...request } = payload;
        return { type, plan: this.desk.plan(snapshot.context, request, now), at, actor };
      }
      case 'EXTEND_CONSULTATION':
        this.desk.checkExtension(snapshot.context, payload.endsAt);
        return { ...payload, at, actor };
      case 'PUBLISH': {
        const effectiveFrom = payload.effectiveFrom ?? cstDay(at);
        if (payload.expiresOn && payload.expiresOn < effectiveFrom) {
          throw new AppError('VALIDATION_FAILED', { field: 'expiresOn' }, '有效期截止日不能早于施行日期');
        }
        return { ...payload, at, actor };
      }
      case 'SET_EXPIRY': {
        const validity = snapshot.context.validity;
        if (payload.expiresOn && validity && payload.expiresOn < validity.effectiveFrom) {
          throw new AppError('VALIDATION_FAILED', { field: 'expiresOn' }, '有效期截止日不能早于施行日期');
        }
        return { ...payload, at, actor };
      }
      case 'VALIDITY_CHANGED': {
        // The note says what changed, for the ledger and the e-mail (R17).
        const validity = snapshot.context.validity;
        const now = validity ? validityOn(validity, cstDay(at)) : null;
        const note = now ? `自${formatCstDay(now.since)}起${VALIDITY_LABELS[now.status]}` : null;
        return { type: 'VALIDITY_CHANGED', note, at, actor };
      }
      case 'FINALIZE_ADOPTION_REPORT':
        return { type: payload.type, report: await this.desk.finalizeReport(head._id, head.version, snapshot.context, now), at, actor };
      default:
        return { ...payload, at, actor } as FilingEvent;
    }
  }

  private textVersion(snapshot: FilingSnapshot, at: Date, actor: Actor): TextVersionRecord {
    const { version, title, sha256, length } = snapshot.context.text;
    return { version, title, sha256, length, at, by: actorRecord(actor) };
  }

  /**
   * The filing if the actor may see it: 404 unknown, 403 another department's. Every staff read
   * and command of a filing passes here, so a comment period found ended is closed here first.
   */
  async visible(actor: Actor, id: string, settle = true): Promise<FilingHead> {
    const objectId: ObjectId | null = parseFilingId(id);
    const found = objectId ? await this.store.head(objectId) : null;
    if (!found) throw new AppError('FILING_NOT_FOUND', { id });
    const head = settle ? await this.closeIfEnded(found) : found;
    if (!canView(actor, departmentsOf(head))) throw new AppError('FORBIDDEN_DEPARTMENT');
    return head;
  }

  /**
   * The consultation side of a filing, for the workbench: the filing as `visible` gives it, or —
   * to staff who may not see an unfiled draft but may read a public consultation (R15/R16, see
   * mayReadPublicConsultation) — its head and only the rounds cleared for publication.
   */
  async consultation(actor: Actor, id: string): Promise<{ head: FilingHead; title: string; reference: string; stage: Stage; rounds: ConsultationRound[]; whole: boolean }> {
    let head: FilingHead;
    let whole = true;
    try {
      head = await this.visible(actor, id);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'FORBIDDEN_DEPARTMENT')) throw error;
      const found = await this.store.head(parseFilingId(id) as ObjectId);
      if (!found || !mayReadPublicConsultation(actor, found)) throw error;
      head = found;
      whole = false;
    }
    const rounds = this.restore(head).context.consultations.filter((round) => whole || round.clearance !== null);
    return { head, title: head.title, reference: head.reference, stage: head.stage as Stage, rounds, whole };
  }

  /**
   * R9: a comment period ends at its end instant, not at the scheduler's next pass. The first
   * request that finds it ended sends the scheduler's own CLOSE_CONSULTATION as the system
   * actor — the same version-guarded step with the same e-mails — so staff never wait, and of
   * any number of requests and scheduler passes exactly one closes it: the others lose the
   * version race, read the filing again and find it closed.
   */
  private async closeIfEnded(head: FilingHead): Promise<FilingHead> {
    let current = head;
    for (let attempt = 0; attempt < 5 && periodEnded(current, this.clock()); attempt++) {
      try {
        await this.apply(SYSTEM_ACTOR, current, { type: 'CLOSE_CONSULTATION', version: current.version });
      } catch (error) {
        if (!(error instanceof AppError && (error.code === 'VERSION_CONFLICT' || error.code === 'EVENT_NOT_ALLOWED'))) throw error;
      }
      const fresh = await this.store.head(current._id);
      if (!fresh) throw new AppError('FILING_NOT_FOUND', { id: String(current._id) });
      current = fresh;
    }
    return current;
  }

  /** Ended periods among all filings, closed before a list is read, so it shows them closed. */
  private async closeEnded(): Promise<void> {
    for (const head of await this.store.endedConsultations(this.clock(), 20)) await this.closeIfEnded(head);
  }

  private restore(head: FilingHead): FilingSnapshot {
    try {
      return restore(head.snapshot);
    } catch (error) {
      if (error instanceof UnsupportedMachineVersionError) {
        throw new AppError('MACHINE_VERSION_UNSUPPORTED', { machineVersion: error.found });
      }
      throw error;
    }
  }

  private deadlineOf(head: FilingHead, snapshot: FilingSnapshot): DeadlineStatus | null {
    const deadline = currentDeadline(stageOf(snapshot), snapshot.context, head.stageEnteredAt ?? head.updatedAt, this.deadlines);
    return deadline ? deadlineStatus(deadline, this.clock()) : null;
  }

  private view(head: FilingHead | FilingRecord, snapshot: FilingSnapshot, actor: Actor): FilingView {
    const at = this.clock().toISOString();
    const stage = stageOf(snapshot);
    return {
      id: String(head._id),
      reference: head.reference,
      title: head.title,
      leadDepartment: head.leadDepartment,
      coDepartments: head.coDepartments,
      stage,
      stageLabel: STAGE_LABELS[stage],
      states: statePaths(snapshot),
      version: head.version,
      machineVersion: head.snapshot.machineVersion,
      sharedWithOffice: head.sharedWithOffice,
      returnCount: head.returnCount,
      context: snapshot.context,
      deficiencies: checkCompleteness(completenessInputOf(snapshot.context)),
      allowedEvents: allowedEvents(snapshot, actor, departmentsOf(head as FilingHead), at),
      deadline: this.deadlineOf(head, snapshot),
      createdAt: head.createdAt.toISOString(),
      updatedAt: head.updatedAt.toISOString(),
    };
  }
}

/** R9: the comment period under way has passed its end instant and awaits its close. */
function periodEnded(head: FilingHead, now: Date): boolean {
  return head.stage === 'consultation' && head.consultationEndsAt != null && head.consultationEndsAt.getTime() <= now.getTime();
}

/** The return this step recorded (R18), if it returned the filing. */
function latestReturn(before: FilingSnapshot, next: FilingSnapshot): ReturnRecord | null {
  const returns = next.context.returns;
  return returns.length > before.context.returns.length ? returns[returns.length - 1] : null;
}

/** The free text a step carries into the history: a note, or a reviewer's opinion. */
function noteOf(event: FilingEvent): string | null {
  if ('note' in event && typeof event.note === 'string') return event.note;
  if ('opinion' in event) return event.opinion;
  return null;
}
