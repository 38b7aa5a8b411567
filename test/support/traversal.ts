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
import { cstDay, hasLapsed, validityChangeDue } from '../../machines/validity';
import { AT, actor, completeInterpretation, input, LEAD, plainParticulars } from './fixtures';

type Payload<T extends FilingEventType> = Omit<Extract<FilingEvent, { type: T }>, 'at' | 'actor'>;

/** One or more payloads per event type; typed as a full Record so a new event must be added here. */
export const SAMPLES: { [T in FilingEventType]: Array<Payload<T> & { at?: string }> } = {
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
    // Flips the R1 guard: a document public on application only (with its reason) is issued, not published.
    { type: 'EDIT_PARTICULARS', patch: { disclosure: { attribute: 'onApplication', reason: '涉及第三方合法权益' } } },
    { type: 'EDIT_PARTICULARS', patch: { disclosure: { attribute: 'proactive', reason: null } } },
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
  ADD_FOLLOW_UP: [{ type: 'ADD_FOLLOW_UP', form: 'policyQa', title: '政策问答（二）', body: '答申报条件。', url: null, concern: '申报条件' }],
  AMEND: [{ type: 'AMEND', document: { title: '关于修改的决定', documentNumber: '某政发〔2026〕30号', url: null }, effectiveOn: '2026-12-01' }],
  // Effective on the day itself: repealed at once, after which nothing more is accepted.
  REPEAL: [{ type: 'REPEAL', effectiveOn: '2026-11-20', document: null, note: '已被新规定替代' }],
  SET_EXPIRY: [{ type: 'SET_EXPIRY', expiresOn: '2026-11-25' }],
  // Later than every date above, so a change is due once an amendment or a term was marked.
  VALIDITY_CHANGED: [{ type: 'VALIDITY_CHANGED', at: '2026-12-02T02:00:00.000Z' }],
};

export const EVENTS: FilingEvent[] = FILING_EVENT_TYPES.flatMap((type) =>
  (SAMPLES[type] as Array<Payload<FilingEventType>>).map((payload) => {
    const role = EVENT_PERMISSIONS[type].roles[0];
    const department = role === 'drafter' || role === 'departmentHead' ? LEAD : null;
    // A sample may carry its own instant, for guards that read the date (R17).
    return { at: AT, ...payload, actor: actor(role, department) } as FilingEvent;
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
    proactive: c.particulars.disclosure.attribute === 'proactive',
    validity: c.validity && {
      lapsed: hasLapsed(c.validity, cstDay(AT)),
      due: validityChangeDue(c.validity, '2026-12-02'),
      // The last recorded status, not how many: samples at two instants could otherwise alternate forever.
      last: c.validity.changes.at(-1)?.status ?? null,
    },
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
