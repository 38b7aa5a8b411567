import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import {
  isEffect,
  type Effect,
  FILING_MACHINE_VERSION,
  filingMachine,
  STAGES,
  type FilingContext,
  type FilingEvent,
  type FilingEventType,
  type FilingInput,
  type Stage,
} from './filing.machine';
import { migrateSnapshot, type StoredSnapshot } from './migrations';
import { FILING_EVENT_TYPES, refusalFor, type FilingDepartments } from './permissions';
import type { Actor } from './roles';

/**
 * The pure workflow engine the server drives: snapshots in, snapshots out. Nothing here reads
 * a clock or a database; the caller stamps events with `at` and `actor` and persists results.
 */
export type FilingSnapshot = SnapshotFrom<typeof filingMachine>;

export function openFiling(input: FilingInput, at: string, actor: Actor): FilingSnapshot {
  const [snapshot] = initialTransition(filingMachine, { ...input, at, actor });
  return snapshot;
}

export function persist(snapshot: FilingSnapshot): StoredSnapshot {
  const { value, context, status } = snapshot;
  // A JSON round trip drops undefined fields, which MongoDB would otherwise store as null.
  return JSON.parse(JSON.stringify({ machineVersion: FILING_MACHINE_VERSION, value, context, status }));
}

export function restore(stored: StoredSnapshot): FilingSnapshot {
  const current = migrateSnapshot(stored);
  return filingMachine.resolveState({ value: current.value as never, context: current.context as FilingContext });
}

/** One step: the next snapshot, and the effects the chart's actions name for the server to perform. */
export interface Advance {
  snapshot: FilingSnapshot;
  effects: Effect[];
}

export function advance(snapshot: FilingSnapshot, event: FilingEvent): Advance {
  const [next, actions] = transition(filingMachine, snapshot, event);
  return { snapshot: next, effects: actions.map((action) => action.type).filter(isEffect) };
}

export function step(snapshot: FilingSnapshot, event: FilingEvent): FilingSnapshot {
  return advance(snapshot, event).snapshot;
}

/** Events this actor may send now: permitted to them and accepted by the chart in this state. */
export function allowedEvents(
  snapshot: FilingSnapshot,
  actor: Actor,
  filing: FilingDepartments,
  at: string,
): FilingEventType[] {
  return FILING_EVENT_TYPES.filter(
    (type) => refusalFor(actor, type, filing) === null && snapshot.can({ type, actor, at } as FilingEvent),
  );
}

export function stageOf(snapshot: FilingSnapshot): Stage {
  // Every active leaf has exactly one ancestor-or-self carrying a stage; take the deepest.
  const nodes = [...snapshot._nodes].reverse();
  for (const node of nodes) {
    const stage = (node.meta as { stage?: Stage } | undefined)?.stage;
    if (stage !== undefined && STAGES.includes(stage)) return stage;
  }
  throw new Error(`no stage for state ${JSON.stringify(snapshot.value)}`);
}

/** Leaf state paths such as `open.drafting.text.finalized`, for the history (R15). */
export function statePaths(snapshot: FilingSnapshot): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value === 'string') {
      paths.push(prefix ? `${prefix}.${value}` : value);
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      walk(child, prefix ? `${prefix}.${key}` : key);
    }
  };
  walk(snapshot.value, '');
  return paths.sort();
}

export { FILING_MACHINE_VERSION };
