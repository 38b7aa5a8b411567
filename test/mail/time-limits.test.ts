/**
 * R19, R21: every e-mail that asks someone to act states the time limit of what it asks — its date
 * and the working days left, as the filing's lists show them and the scheduler's reminders repeat
 * them — or, where the stage has no time limit, says so. Table-driven over the notification rules:
 * a new rule that asks someone to act is checked as soon as the lifecycle reaches it.
 */
import type { Stage } from '../../machines/filing.machine';
import { asksToAct, DEADLINE_NOTICES, NOTIFICATION_RULES, type MailTemplate } from '../../machines/notifications';
import { startHarness, type Harness } from '../support/harness';
import { fullLifecycle, staffMails, type Lifecycle } from '../support/lifecycle';

// Monday 28 September 2026, 10:00 CST: the review's five working days run across the National Day holiday.
const AT = new Date('2026-09-28T02:00:00.000Z');
let h: Harness;
let life: Lifecycle;
let mails: Awaited<ReturnType<typeof staffMails>>;

beforeAll(async () => {
  h = await startHarness({ clock: () => AT });
  // Only a meeting secretary reschedules, and nobody is mailed about their own step: a second one
  // hears of it.
  await h.services.staff.register({ name: '第二会议秘书', email: 'secretary2@example.gov.cn', role: 'meetingSecretary', department: null });
  life = await fullLifecycle(h, () => AT);
  mails = await staffMails(h, life.filings);
}, 240_000);
afterAll(() => h.close());

interface Case {
  rule: string;
  template: MailTemplate;
  stage: Stage;
  /** Transition mails come from this event; the scheduler's notices from no event of their own. */
  event: string | null;
}

const CASES: Case[] = [
  ...NOTIFICATION_RULES.flatMap((rule) =>
    rule.notify
      .filter((notice) => asksToAct(notice.template, rule.event))
      .map((notice) => ({ rule: `${rule.event} → ${rule.to}`, template: notice.template, stage: rule.to, event: rule.event as string | null })),
  ),
  ...Object.entries(DEADLINE_NOTICES).flatMap(([stage, notices]) =>
    (['reminder', 'overdue'] as const).flatMap((kind) =>
      notices![kind].filter((n) => asksToAct(n.template, notices!.startedBy)).map((n) => ({ rule: `${kind} in ${stage}`, template: n.template, stage: stage as Stage, event: null })),
    ),
  ),
].filter((c, i, all) => all.findIndex((o) => o.rule === c.rule && o.template === c.template) === i);

/** The e-mails of a case, each with the filing's own time limit right after the step that caused it. */
function mailsOf(c: Case) {
  return mails.flatMap((mail) => {
    const step = life.steps.find((s) => s.filingId === mail.filingId && s.seq === mail.seq);
    if (!step || mail.template !== c.template || step.stage !== c.stage || (c.event !== null && step.event !== c.event)) return [];
    return [{ mail, step }];
  });
}

const day = (date: string) => date.replace(/ \d{2}:\d{2}$/, '');

test('the table covers the mails that ask for something, and the stages with a time limit', () => {
  expect(CASES.length).toBeGreaterThan(15);
  expect(CASES.map((c) => c.template)).toEqual(expect.arrayContaining(['review-due', 'publication-due', 'clearance-due', 'decision-due', 'signing-due', 'filing-arrived']));
  expect(CASES.map((c) => c.template)).not.toContain('status-update');
});

test.each(CASES.map((c) => [`${c.template} (${c.rule})`, c]))('%s states its time limit, or that there is none', (_name, c) => {
  const found = mailsOf(c as Case);
  // The lifecycle reaches every rule that asks someone to act.
  expect({ rule: (c as Case).rule, reached: found.length > 0 }).toEqual({ rule: (c as Case).rule, reached: true });
  for (const { mail, step } of found) {
    if (step.deadline) {
      // The date and working days the lists show (R21), in the text and in the HTML.
      const left = (c as Case).event === null ? '(还剩 \\d+ 个工作日|今天到期|已逾期 \\d+ 个工作日|已逾期)' : `还剩 ${step.deadline.workingDaysLeft} 个工作日`;
      const limit = new RegExp(`${day(step.deadline.date)}前（${left}）`);
      expect({ template: mail.template, text: mail.text }).toEqual({ template: mail.template, text: expect.stringMatching(new RegExp(`办理时限：${limit.source}`)) });
      expect(mail.html).toMatch(limit);
    } else {
      expect({ template: mail.template, text: mail.text }).toEqual({ template: mail.template, text: expect.stringContaining('办理时限：本环节未规定办理时限') });
      expect(mail.html).toContain('本环节未规定办理时限');
    }
  }
});

test('the reviewers\' mail, the lists and the scheduler name the same review deadline', () => {
  const accepted = life.steps.filter((s) => s.event === 'ACCEPT');
  const deadline = accepted.at(-1)!.deadline!;
  expect(deadline).toMatchObject({ kind: 'review', overdue: false });
  const reviewDue = mails.filter((m) => m.template === 'review-due' && m.seq === accepted.at(-1)!.seq);
  expect(reviewDue.map((m) => m.to.email).sort()).toEqual(['fairCompetitionReviewer@example.gov.cn', 'legalReviewer@example.gov.cn']);
  const notices = mails.filter((m) => (m.template === 'deadline-reminder' || m.template === 'deadline-overdue') && m.text.includes('审查期限'));
  expect(notices.length).toBeGreaterThan(0);
  for (const mail of [...reviewDue, ...notices]) expect(mail.text).toContain(`办理时限：${day(deadline.date)}前（`);
  expect(reviewDue[0].text).toContain(`（还剩 ${deadline.workingDaysLeft} 个工作日）`);
  // Five working days from Monday 28 September: 29 and 30 September, then after the National Day
  // holiday up to Saturday 10 October, a working day in exchange (调休, R21).
  expect(day(deadline.date)).toBe('2026年10月10日');
});

test('mails that only inform carry no "no time limit" line', () => {
  const informing = mails.filter((m) => m.template === 'status-update' || (m.template === 'interpretation-decided' && m.subject.includes('【解读已审定】')));
  expect(informing.length).toBeGreaterThan(0);
  for (const mail of informing) expect(mail.text).not.toContain('本环节未规定办理时限');
});
