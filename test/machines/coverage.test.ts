/**
 * Tests generated from the chart itself: a graph traversal (xstate/graph) over every event the
 * chart knows, with payload variants that flip each guard. It must reach every state node and
 * fire every transition the chart defines; adding a state or transition that this traversal
 * cannot reach makes the test fail until the traversal (and so the test) covers it.
 */
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { persist, restore, stageOf, step, type FilingSnapshot } from '../../machines/engine';
import { filingMachine, STAGES, type FilingEvent } from '../../machines/filing.machine';
import { EVENTS, serialize, START, TRAVERSAL, traverse } from '../support/traversal';

function allStateNodes(node: AnyStateNode = filingMachine.root): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => allStateNodes(child as AnyStateNode))];
}

function allTransitions(): AnyTransitionDefinition[] {
  return allStateNodes().flatMap((node) => [...node.transitions.values()].flat());
}

/** Readable name for a transition in failure output; coverage itself is by object identity. */
function describeTransition(t: AnyTransitionDefinition): string {
  const targets = (t.target ?? []).map((n) => n.id).join(',');
  const guard = typeof t.guard === 'string' ? t.guard : t.guard ? JSON.stringify(t.guard) ?? 'and/or' : '';
  return `${t.source.id} --${t.eventType}${guard ? `[${guard}]` : ''}--> ${targets || '(self)'}`;
}

describe('filing statechart, traversed from its own definition', () => {
  const edges = traverse();

  test('reaches every state node', () => {
    const reached = new Set<string>();
    for (const e of edges) for (const n of [...e.state._nodes, ...e.nextState._nodes]) reached.add(n.id);
    const missing = allStateNodes().map((n) => n.id).filter((id) => !reached.has(id));
    expect(missing).toEqual([]);
  });

  test('fires every transition the chart defines', () => {
    const fired = new Set<AnyTransitionDefinition>();
    for (const e of edges) {
      for (const t of filingMachine.getTransitionData(e.state, e.event)) fired.add(t);
      // Done transitions fire inside the macrostep: the source was active before, its targets after.
      for (const t of allTransitions().filter((d) => d.eventType.startsWith('xstate.done.state.'))) {
        const before = new Set(e.state._nodes.map((n) => n.id));
        const after = new Set(e.nextState._nodes.map((n) => n.id));
        if (before.has(t.source.id) && (t.target ?? []).every((n) => after.has(n.id) && !before.has(n.id))) {
          fired.add(t);
        }
      }
    }
    const missing = allTransitions().filter((t) => !fired.has(t)).map(describeTransition);
    expect(missing).toEqual([]);
  });

  test('every stage is reachable and each shortest path replays through persistence', () => {
    const paths = getShortestPaths(TRAVERSAL as never, {
      events: EVENTS as never,
      serializeState: (s) => serialize(s as FilingSnapshot),
      limit: 100_000,
    });
    const stages = new Set<string>();
    for (const path of paths) {
      let snapshot = START;
      for (const { event } of path.steps) {
        // Stored and reloaded at every step, as the server does between requests.
        snapshot = restore(persist(step(snapshot, event as FilingEvent)));
      }
      expect(serialize(snapshot)).toEqual(serialize(path.state as FilingSnapshot));
      stages.add(stageOf(snapshot));
    }
    expect([...stages].sort()).toEqual([...STAGES].sort());
  });
});
