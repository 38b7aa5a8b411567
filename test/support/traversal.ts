/**
 * A traversal of the filing chart generated from its own definition (xstate/graph): every event
 * the chart knows, with payload variants that flip each guard. Shared by the coverage test and
 * the e-mail routing test.
 */
import { adjacencyMapToArray, getAdjacencyMap } from 'xstate/graph';
import { checkCompleteness } from '../../machines/completeness';
import { openFiling, persist, restore, step, type FilingSnapshot } from '../../machines/engine';
import { completenessInputOf, filingMachine, type FilingEvent, type FilingEventType } from '../../machines/filing.machine';
import { EVENT_PERMISSIONS, FILING_EVENT_TYPES } from '../../machines/permissions';
import { AT, actor, completeInterpretation, input, LEAD, plainParticulars } from './fixtures';

type Payload<T extends FilingEventType> = Omit<Extract<FilingEvent, { type: T }>, 'at' | 'actor'>;

/** One or more payloads per event type; typed as a full Record so a new event must be added here. */
export const SAMPLES: { [T in FilingEventType]: Array<Payload<T>> } = {
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
  START_CONSULTATION: [
    {
      type: 'START_CONSULTATION',
      plan: {
        draftVersion: 1,
        basis: '《重大行政决策程序暂行条例》',
        background: '背景',
        explanation: '起草说明',
        startsAt: '2026-11-21T00:00:00.000Z',
        endsAt: '2026-12-21T00:00:00.000Z',
        minimumEndsAt: '2026-12-21T00:00:00.000Z',
        shortenedReason: null,
      },
    },
  ],
  CLEAR_FOR_PUBLICATION: [{ type: 'CLEAR_FOR_PUBLICATION', note: null }],
  REFUSE_CLEARANCE: [{ type: 'REFUSE_CLEARANCE', note: '含涉密内容' }],
  EXTEND_CONSULTATION: [{ type: 'EXTEND_CONSULTATION', endsAt: '2026-12-31T00:00:00.000Z', reason: '意见较多' }],
  CLOSE_CONSULTATION: [{ type: 'CLOSE_CONSULTATION' }],
  FINALIZE_ADOPTION_REPORT: [
    {
      type: 'FINALIZE_ADOPTION_REPORT',
      report: {
        reportId: 'r1',
        commentCount: 3,
        adopted: 1,
        partlyAdopted: 1,
        notAdopted: 1,
        notApplicable: 0,
        finalizedAt: '2026-12-22T00:00:00.000Z',
        publishedAt: null,
      },
    },
  ],
  RETURN_ADOPTION_REPORT: [{ type: 'RETURN_ADOPTION_REPORT', note: '请补充未采纳理由' }],
  PUBLISH_ADOPTION_REPORT: [{ type: 'PUBLISH_ADOPTION_REPORT' }],
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

export const EVENTS: FilingEvent[] = FILING_EVENT_TYPES.flatMap((type) =>
  (SAMPLES[type] as Array<Payload<FilingEventType>>).map((payload) => {
    const role = EVENT_PERMISSIONS[type].roles[0];
    const department = role === 'drafter' || role === 'departmentHead' ? LEAD : null;
    return { ...payload, at: AT, actor: actor(role, department) } as FilingEvent;
  }),
);

/** State identity for the traversal: the configuration plus what the guards read. */
export function serialize(snapshot: FilingSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify({
    value: snapshot.value,
    deficiencies: checkCompleteness(completenessInputOf(c)).map((d) => d.field),
    approved: c.interpretationApproval !== null,
    market: c.particulars.touchesMarket,
  });
}


export interface Edge {
  state: FilingSnapshot;
  event: FilingEvent;
  nextState: FilingSnapshot;
}

/** Starts with an empty interpretation so both outcomes of the completeness check are reachable. */
export const START = openFiling(input(plainParticulars(), { plan: null, materials: {}, forms: [], items: [] }), AT, actor('drafter', LEAD));

/** The chart as the server drives it: each step stored and reloaded. */
export const TRAVERSAL = {
  ...filingMachine,
  getInitialSnapshot: () => START,
  transition: (snapshot: FilingSnapshot, event: FilingEvent) => restore(persist(step(snapshot, event))),
};

export function traverse(): Edge[] {
  const adjacency = getAdjacencyMap(TRAVERSAL as never, {
    events: EVENTS as never,
    serializeState: (s) => serialize(s as FilingSnapshot),
    limit: 100_000,
  });
  return adjacencyMapToArray(adjacency) as Edge[];
}
