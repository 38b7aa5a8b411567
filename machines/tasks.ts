import { filingMachine, STAGES, type FilingEventType, type Stage } from './filing.machine';
import { eventSpec, EVENT_PERMISSIONS } from './events';
import type { Role } from './roles';

/**
 * Which events the chart can take in each stage, read from the chart itself so a task list never
 * drifts from it: a stage's events are those of its state node, of the nodes above it (e.g.
 * REVISE on `sentBack` for both of its stages) and of the nodes below it that carry no stage of
 * their own (e.g. the reviews inside `review`).
 */
function eventsByStage(): Record<Stage, Set<FilingEventType>> {
  type Node = { meta?: { stage?: Stage }; on: Record<string, unknown>; states: Record<string, Node> };
  const result = Object.fromEntries(STAGES.map((s) => [s, new Set<FilingEventType>()])) as Record<Stage, Set<FilingEventType>>;
  const own = (node: Node) => Object.keys(node.on).filter((e): e is FilingEventType => e in EVENT_PERMISSIONS);
  const below = (node: Node): FilingEventType[] =>
    Object.values(node.states).flatMap((child) => (child.meta?.stage ? [] : [...own(child), ...below(child)]));
  const walk = (node: Node, inherited: FilingEventType[]) => {
    const events = [...inherited, ...own(node)];
    const stage = node.meta?.stage;
    if (stage) for (const e of [...events, ...below(node)]) result[stage].add(e);
    for (const child of Object.values(node.states)) walk(child, events);
  };
  walk(filingMachine.root as unknown as Node, []);
  return result;
}

/** Read on first use, so loading this module (permissions.ts imports it) never depends on import order. */
let eventsByStageCache: Record<Stage, Set<FilingEventType>> | null = null;
function stageEvents(): Record<Stage, Set<FilingEventType>> {
  eventsByStageCache ??= eventsByStage();
  return eventsByStageCache;
}

/**
 * Whether an event is somebody's task when the chart allows it. Some are always possible
 * (withdrawal before signing; follow-ups and validity marks for as long as a published document is
 * in force, R7, R17) and so never a task by themselves: their registry entries say `task: false`.
 */
export function isTask(event: FilingEventType): boolean {
  return eventSpec(event).task;
}

/**
 * The stages in which a role may have something to do: the general office inbox is the clerk's
 * (awaitingIntake), review tasks are the reviewers' (review), and so on. A database filter;
 * whether a given filing really awaits the caller is then its allowedEvents.
 */
export function taskStagesOf(role: Role): Stage[] {
  return STAGES.filter((stage) =>
    [...stageEvents()[stage]].some((event) => isTask(event) && EVENT_PERMISSIONS[event].roles.includes(role)),
  );
}
