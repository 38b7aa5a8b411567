/**
 * Tests generated from the chart itself: a graph traversal (xstate/graph) over every event the
 * chart knows, with payload variants that flip each guard. It must reach every state node and
 * fire every transition the chart defines; adding a state or transition that this traversal
 * cannot reach makes the test fail until the traversal (and so the test) covers it.
 */
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { checkCompleteness } from '../../machines/completeness';
import { openFiling, persist, restore, stageOf, step, type FilingSnapshot } from '../../machines/engine';
import { completenessInputOf, filingMachine, STAGES, type FilingEvent, type FilingEventType } from '../../machines/filing.machine';
import { EVENT_PERMISSIONS, FILING_EVENT_TYPES } from '../../machines/permissions';
import { AT, actor, completeInterpretation, input, LEAD, plainParticulars } from '../support/fixtures';

type Payload<T extends FilingEventType> = Omit<Extract<FilingEvent, { type: T }>, 'at' | 'actor'>;

/** One or more payloads per event type; typed as a full Record so a new event must be added here. */
const SAMPLES: { [T in FilingEventType]: Array<Payload<T>> } = {
  EDIT_TEXT: [{ type: 'EDIT_TEXT', title: '修改稿', textSha256: 'b'.repeat(64), textLength: 120 }],
  FINALIZE_TEXT: [{ type: 'FINALIZE_TEXT' }],
  REOPEN_TEXT: [{ type: 'REOPEN_TEXT' }],
  EDIT_INTERPRETATION: [
    { type: 'EDIT_INTERPRETATION', patch: completeInterpretation() },
  ],
  REQUEST_INTERPRETATION_APPROVAL: [{ type: 'REQUEST_INTERPRETATION_APPROVAL' }],
  APPROVE_INTERPRETATION: [{ type: 'APPROVE_INTERPRETATION', note: '同意' }],
  REJECT_INTERPRETATION: [{ type: 'REJECT_INTERPRETATION', note: '请补充执行口径' }],
  REOPEN_INTERPRETATION: [{ type: 'REOPEN_INTERPRETATION' }],
  EDIT_PARTICULARS: [
    // Flips the R12 guard on (with the conclusion, so the filing stays complete) and off.
    {
      type: 'EDIT_PARTICULARS',
      patch: { touchesMarket: true, fairCompetition: { conclusion: 'compliant', summary: '未发现排除限制竞争情形' } },
    },
    { type: 'EDIT_PARTICULARS', patch: { touchesMarket: false, fairCompetition: null } },
  ],
  START_CONSULTATION: [{ type: 'START_CONSULTATION' }],
  CLOSE_CONSULTATION: [{ type: 'CLOSE_CONSULTATION' }],
  SUBMIT: [{ type: 'SUBMIT' }],
  ACCEPT: [{ type: 'ACCEPT' }],
  RETURN: [{ type: 'RETURN', reasons: [{ code: 'R18_FORMAT_NONCONFORMING' }], note: '请按公文格式修改' }],
  REVISE: [{ type: 'REVISE' }],
  PASS_LEGALITY_REVIEW: [{ type: 'PASS_LEGALITY_REVIEW', opinion: '合法' }],
  FAIL_LEGALITY_REVIEW: [{ type: 'FAIL_LEGALITY_REVIEW', opinion: '第三条缺乏上位法依据' }],
  PASS_FAIR_COMPETITION_REVIEW: [{ type: 'PASS_FAIR_COMPETITION_REVIEW', opinion: '符合' }],
  FAIL_FAIR_COMPETITION_REVIEW: [{ type: 'FAIL_FAIR_COMPETITION_REVIEW', opinion: '含地方保护条款' }],
  ADOPT: [{ type: 'ADOPT', meeting: '市政府第12次常务会议' }],
  SEND_BACK_FOR_AMENDMENT: [{ type: 'SEND_BACK_FOR_AMENDMENT', meeting: '第12次常务会议', note: '修改后再议' }],
  REJECT: [{ type: 'REJECT', meeting: '第12次常务会议', note: '不予通过' }],
  DEFER: [{ type: 'DEFER', meeting: '第12次常务会议', note: '暂缓审议' }],
  RESCHEDULE: [{ type: 'RESCHEDULE' }],
  SIGN: [{ type: 'SIGN', documentNumber: '某政发〔2026〕12号' }],
  PUBLISH: [{ type: 'PUBLISH', url: 'https://www.example.gov.cn/zwgk/12.html' }],
  WITHDRAW: [{ type: 'WITHDRAW', note: '政策调整，撤回' }],
};

const EVENTS: FilingEvent[] = FILING_EVENT_TYPES.flatMap((type) =>
  (SAMPLES[type] as Array<Payload<FilingEventType>>).map((payload) => {
    const role = EVENT_PERMISSIONS[type].roles[0];
    const department = role === 'drafter' || role === 'departmentHead' ? LEAD : null;
    return { ...payload, at: AT, actor: actor(role, department) } as FilingEvent;
  }),
);

/** State identity for the traversal: the configuration plus what the guards read. */
function serialize(snapshot: FilingSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify({
    value: snapshot.value,
    deficiencies: checkCompleteness(completenessInputOf(c)).map((d) => d.field),
    approved: c.interpretationApproval !== null,
    market: c.particulars.touchesMarket,
  });
}

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
  const start = openFiling(input(plainParticulars(), { plan: null, materials: {}, forms: [] }), AT, actor('drafter', LEAD));
  const traversal = {
    ...filingMachine,
    getInitialSnapshot: () => start,
    transition: (snapshot: FilingSnapshot, event: FilingEvent) => restore(persist(step(snapshot, event))),
  };
  const adjacency = getAdjacencyMap(traversal as never, {
    events: EVENTS,
    serializeState: (s) => serialize(s as FilingSnapshot),
    limit: 100_000,
  });
  const edges = adjacencyMapToArray(adjacency) as Array<{
    state: FilingSnapshot;
    event: FilingEvent;
    nextState: FilingSnapshot;
  }>;

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
    const paths = getShortestPaths(traversal as never, {
      events: EVENTS as never,
      serializeState: (s) => serialize(s as FilingSnapshot),
      limit: 100_000,
    });
    const stages = new Set<string>();
    for (const path of paths) {
      let snapshot = start;
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
