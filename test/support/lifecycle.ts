/**
 * A full lifecycle through the services, meant to make every kind of staff e-mail at least once:
 * a consultation with a commenter who left an address, a report sent back and published, an
 * interpretation sent back, a refusal at intake, a 退文, both reviews failing and passing in both
 * orders, the review's and the publication's reminders and alerts, a deferral, an amendment asked
 * by the meeting, signing and publication. Each step is logged with what the filing's own view
 * (the lists' source) says of its time limit at that moment.
 */
import type { Stage } from '../../machines/filing.machine';
import { DeadlineNotices } from '../../src/schedule/deadlines';
import type { FilingHead } from '../../src/store/filings';
import type { OutboxRecord } from '../../src/store/models';
import type { DeadlineStatus } from '../../src/workflow/deadlines';
import type { FilingCommand } from '../../src/workflow/filings';
import { plainParticulars } from './fixtures';
import { completeFiling, consultationRequest, type Harness, type Step, type Who } from './harness';

export interface LoggedStep {
  filingId: string;
  /** The history entry's seq; the e-mails of the step carry it too. */
  seq: number;
  event: string;
  stage: Stage;
  /** The time limit as the filing's view shows it right after the step. */
  deadline: DeadlineStatus | null;
}

export interface Lifecycle {
  filings: string[];
  steps: LoggedStep[];
  /** The commenter's receipt, whose answer is mailed once the report is published. */
  receipt: string;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

export async function fullLifecycle(h: Harness, clock: () => Date): Promise<Lifecycle> {
  const steps: LoggedStep[] = [];
  const act = async (id: string, [who, command]: Step) => {
    const current = await h.service.get(h.actors[who as Who], id);
    const { view } = await h.service.send(h.actors[who as Who], id, { ...command, version: current.version } as FilingCommand);
    steps.push({ filingId: id, seq: view.version, event: command.type, stage: view.stage, deadline: view.deadline });
  };
  const run = async (id: string, list: Step[]) => {
    for (const s of list) await act(id, s);
  };
  /** The scheduler's reminder and alert for whatever limit the filing now runs against. */
  const notices = async (id: string) => {
    const head = (await h.models.Filing.findById(id).lean<FilingHead>().exec())!;
    const reminderAt = head.reminderAt as Date;
    const alertAt = head.alertAt as Date;
    await new DeadlineNotices(h.services, () => new Date(reminderAt.getTime() + MINUTE)).runOnce();
    await new DeadlineNotices(h.services, () => new Date(alertAt.getTime() + DAY)).runOnce();
  };
  const refile: Step[] = [
    ['drafter', { type: 'REVISE' }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
    ['clerk', { type: 'ACCEPT' }],
  ];

  // A normative document touching market entities: consulted (R8, R9), then both reviews (R12, R13).
  // Not public (R1): issued at signing, never published. First, so the steps the tests look up last are the main filing's.
  const issued = (
    await h.service.create(h.actors.drafter, completeFiling({ particulars: { ...plainParticulars(), disclosure: { attribute: 'notPublic', reason: '涉及内部管理事项' } } }))
  ).id;
  await run(issued, [
    ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['head', { type: 'APPROVE_INTERPRETATION', note: '同意' }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
    ['clerk', { type: 'ACCEPT' }],
    ['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '合法' }],
    ['meetingSecretary', { type: 'ADOPT', meeting: '第15次常务会议' }],
    ['signer', { type: 'SIGN', documentNumber: '某政办发〔2026〕3号' }],
  ]);

  const market = {
    ...plainParticulars(),
    touchesMarket: true,
    fairCompetition: { conclusion: 'compliant' as const, summary: '未发现排除、限制竞争情形。' },
  };
  const id = (await h.service.create(h.actors.drafter, completeFiling({ particulars: market }))).id;
  await run(id, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
  ]);
  const { receipt } = await h.services.comments.submit(
    id,
    { article: 1, paragraph: null, body: '建议明确奖励的申报时限。', name: '王女士', email: 'commenter@example.com', phone: null },
    '127.0.0.1',
    clock(),
  );
  await run(id, [['system', { type: 'CLOSE_CONSULTATION' }]]);
  const comments = await h.as('drafter').get(`/filings/${id}/comments?round=1`).expect(200);
  await h
    .as('drafter')
    .post(`/filings/${id}/consultations/1/dispositions`, { commentIds: comments.body.items.map((c: { id: string }) => c.id), outcome: 'adopted', reason: null })
    .expect(200);
  await run(id, [
    ['drafter', { type: 'FINALIZE_ADOPTION_REPORT' }],
    ['publisher', { type: 'RETURN_ADOPTION_REPORT', note: '请核对统计数字' }],
    ['drafter', { type: 'FINALIZE_ADOPTION_REPORT' }],
    ['publisher', { type: 'PUBLISH_ADOPTION_REPORT' }],
    ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['head', { type: 'REJECT_INTERPRETATION', note: '请补充执行口径' }],
    ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['head', { type: 'APPROVE_INTERPRETATION', note: '同意' }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
    ['clerk', { type: 'RETURN', reasons: [{ code: 'R18_FORMAT_NONCONFORMING' }], note: '请按公文格式修改' }],
    ...refile,
    ['fairCompetitionReviewer', { type: 'FAIL_FAIR_COMPETITION_REVIEW', opinion: '含地方保护条款' }],
    ...refile,
  ]);
  await notices(id);
  await run(id, [
    ['fairCompetitionReviewer', { type: 'PASS_FAIR_COMPETITION_REVIEW', opinion: '符合' }],
    ['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '合法' }],
    ['meetingSecretary', { type: 'DEFER', meeting: '第12次常务会议', note: '待补充调研' }],
    ['meetingSecretary', { type: 'RESCHEDULE' }],
    ['meetingSecretary', { type: 'SEND_BACK_FOR_AMENDMENT', meeting: '第13次常务会议', note: '修改后再议' }],
    ...refile,
    ['legalReviewer', { type: 'FAIL_LEGALITY_REVIEW', opinion: '第三条缺乏上位法依据' }],
    ...refile,
    ['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '合法' }],
    ['fairCompetitionReviewer', { type: 'PASS_FAIR_COMPETITION_REVIEW', opinion: '符合' }],
    ['meetingSecretary', { type: 'ADOPT', meeting: '第14次常务会议' }],
    ['signer', { type: 'SIGN', documentNumber: '某政发〔2026〕18号' }],
  ]);
  await notices(id);
  await run(id, [['publisher', { type: 'PUBLISH' }]]);

  // Refused at intake: no disclosure attribute (R1); the department withdraws it.
  const refused = (
    await h.service.create(h.actors.drafter, completeFiling({ particulars: { ...plainParticulars(), disclosure: { attribute: null, reason: null } } }))
  ).id;
  await run(refused, [
    ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['head', { type: 'APPROVE_INTERPRETATION', note: '同意' }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
    ['drafter', { type: 'WITHDRAW', note: '政策调整' }],
  ]);
  return { filings: [id, refused, issued], steps, receipt };
}

/** Every staff e-mail the filings caused. */
export async function staffMails(h: Harness, filings: string[]): Promise<Array<OutboxRecord & { filingId: string }>> {
  const mails: Array<OutboxRecord & { filingId: string }> = [];
  for (const id of filings) {
    const filing = await h.models.Filing.findById(id, { outbox: 1 }).lean<{ outbox: OutboxRecord[] }>().exec();
    mails.push(...filing!.outbox.map((m) => ({ ...m, filingId: id })));
  }
  return mails;
}
