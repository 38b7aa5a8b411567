/** How a time limit reads in an e-mail (R21): the day, or day and time, and the working days left. */
import { mailDeadline } from '../../src/mail/compose';
import { MailTemplates, type MailData } from '../../src/mail/templates';
import type { Deadline } from '../../src/workflow/deadlines';

const publication: Deadline = { kind: 'publication', label: '公开发布期限', rule: 'R6', due: new Date('2026-10-10T15:59:59.999Z') };
const consultation: Deadline = { kind: 'consultationEnd', label: '征求意见截止', rule: 'R9', due: new Date('2026-11-25T04:00:00.000Z') };

test('a limit ending at midnight reads as its day; one ending earlier keeps its time', () => {
  expect(mailDeadline(publication, new Date('2026-10-02T02:00:00Z'))).toEqual({ date: '2026年10月10日', workingDaysLeft: 3, dueToday: false, overdue: false, overdueDays: 0 });
  expect(mailDeadline(consultation, new Date('2026-11-23T02:00:00Z'))).toMatchObject({ date: '2026年11月25日 12:00', workingDaysLeft: 2 });
});

test('due today, overdue the same day, and overdue by working days', () => {
  expect(mailDeadline(consultation, new Date('2026-11-25T01:00:00Z'))).toMatchObject({ dueToday: true, overdue: false, workingDaysLeft: 0 });
  expect(mailDeadline(consultation, new Date('2026-11-25T05:00:00Z'))).toMatchObject({ dueToday: false, overdue: true, overdueDays: 0 });
  expect(mailDeadline(publication, new Date('2026-10-14T02:00:00Z'))).toMatchObject({ overdue: true, overdueDays: 3, workingDaysLeft: 0 });
});

test('overdue the same day reads as overdue, without "0 working days"', () => {
  const templates = new MailTemplates();
  const data: MailData = {
    messageRef: '2026-0042-7',
    product: { name: '政策解读与重大决策预公开系统' },
    recipient: { name: '郑丽', roleLabel: '政务公开发布' },
    filing: { reference: '2026-0042', title: '关于优化营商环境的若干措施', leadDepartment: '市发展和改革委员会', stageLabel: '公开征求意见中', link: 'https://predisclosure.test/console/filings/abc' },
    action: { label: '征求意见截止（R9）', at: '2026年11月25日 13:00', actorName: '系统', actorRole: '系统', actorDepartment: null },
    reasons: [],
    note: null,
    deadline: mailDeadline(consultation, new Date('2026-11-25T05:00:00Z')),
    noTimeLimit: false,
    intake: false,
    approved: false,
    fairCompetitionReviewed: false,
    documentNumber: null,
    disclosure: { label: '主动公开', reason: null },
    fairCompetition: null,
  };
  const mail = templates.render('deadline-overdue', data);
  expect(mail.text).toContain('2026年11月25日 12:00前（已逾期）');
  expect(mail.text).not.toContain('0 个工作日');
  // The limit sits inside a sentence: no line break in the middle of it.
  expect(mail.text).toContain('应于2026年11月25日 12:00前（已逾期）办理完毕');
  const reminder = templates.render('deadline-reminder', { ...data, deadline: mailDeadline(publication, new Date('2026-10-09T02:00:00Z')) });
  expect(reminder.text).toContain('请于2026年10月10日前（还剩 1 个工作日）办理完毕');
});
