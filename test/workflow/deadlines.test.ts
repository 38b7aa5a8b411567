import { emptyParticulars } from '../../machines/dossier';
import { openFiling } from '../../machines/engine';
import type { ConsultationRound, FilingContext } from '../../machines/filing.machine';
import { taskStagesOf } from '../../machines/tasks';
import { changeCounts, textChanges } from '../../src/text/diff';
import { currentDeadline, deadlineStatus, DEFAULT_DEADLINES, noticeTimes, publicationDue } from '../../src/workflow/deadlines';
import { actor, AT, input, LEAD } from '../support/fixtures';

const signer = actor('signer');

/** A filing's context as the chart opens it, with the parts a test cares about changed. */
function context(change: Partial<FilingContext> = {}): FilingContext {
  return { ...openFiling(input(), AT, actor('drafter', LEAD)).context, ...change };
}

describe('deadlines shown as dates and working days left (R6, R9, R21)', () => {
  const settings = { ...DEFAULT_DEADLINES, publicationWorkingDays: { rule: 10, normative: 3, other: 5 }, reviewWorkingDays: 5 };

  test('R6: publication within three working days of signing, across the National Day holiday', () => {
    // Signed Wednesday 30 September 2026: 1–7 October are holidays, 9 and 10 October are working days.
    const signing = { at: '2026-09-30T02:00:00.000Z', by: signer, documentNumber: '某政发〔2026〕1号' };
    const particulars = { ...emptyParticulars(), documentKind: 'normative' as const };
    const deadline = currentDeadline('awaitingPublication', context({ signing, particulars }), new Date(signing.at), settings);
    expect(deadline).toMatchObject({ kind: 'publication', rule: 'R6' });
    expect(deadline?.due.toISOString()).toBe('2026-10-10T15:59:59.999Z');
    expect(publicationDue(new Date(signing.at), 'normative', settings)).toEqual(deadline?.due);
    // Per kind of document (a per-jurisdiction setting): rules get longer here.
    expect(publicationDue(new Date(signing.at), 'rule', settings).toISOString()).toBe('2026-10-20T15:59:59.999Z');

    const during = deadlineStatus(deadline!, new Date('2026-10-02T02:00:00Z'));
    expect(during).toMatchObject({ date: '2026年10月10日 23:59', workingDaysLeft: 3, overdue: false, dueToday: false, text: '剩余3个工作日' });
    expect(deadlineStatus(deadline!, new Date('2026-10-10T09:00:00Z'))).toMatchObject({ dueToday: true, text: '今天到期' });
    // Monday 12 October is one working day late, Wednesday 14 October three.
    expect(deadlineStatus(deadline!, new Date('2026-10-12T02:00:00Z'))).toMatchObject({ overdue: true, workingDaysLeft: -1, text: '已逾期1个工作日' });
    expect(deadlineStatus(deadline!, new Date('2026-10-14T02:00:00Z'))).toMatchObject({ overdue: true, text: '已逾期3个工作日' });
  });

  test('reviews count from the day the filing was accepted', () => {
    const accepted = new Date('2026-11-20T02:00:00Z'); // a Friday
    const deadline = currentDeadline('review', context(), accepted, settings);
    expect(deadline?.due.toISOString()).toBe('2026-11-27T15:59:59.999Z');
    expect(deadline?.label).toBe('审查期限');
  });

  test('R9: a comment period runs to its end instant; past it on the same day is overdue, not due today', () => {
    const round = { round: 1, endsAt: '2026-11-25T04:00:00.000Z' } as ConsultationRound;
    const deadline = currentDeadline('consultation', context({ consultations: [round] }), new Date(), settings)!;
    expect(deadline.due.toISOString()).toBe(round.endsAt);
    expect(deadlineStatus(deadline, new Date('2026-11-25T01:00:00Z'))).toMatchObject({ dueToday: true, overdue: false });
    expect(deadlineStatus(deadline, new Date('2026-11-25T05:00:00Z'))).toMatchObject({ dueToday: false, overdue: true, text: '已逾期' });
  });

  test('reminders one working day before the deadline\'s day, skipping the weekend and holidays; alerts at the deadline', () => {
    // Due Monday 23 November 2026: reminded from Friday 20 November, 00:00 CST.
    const due = new Date('2026-11-23T15:59:59.999Z');
    const publication = { kind: 'publication' as const, label: '公开发布期限', rule: 'R6' as const, due };
    expect(noticeTimes(publication, new Date('2026-11-19T02:00:00Z'), settings)).toEqual({
      reminderAt: new Date('2026-11-19T16:00:00.000Z'),
      alertAt: due,
    });
    // Due Friday 9 October 2026, after the National Day holiday: reminded on Thursday the 8th.
    expect(noticeTimes({ ...publication, due: new Date('2026-10-09T15:59:59.999Z') }, new Date('2026-09-30T02:00:00Z'), settings).reminderAt).toEqual(
      new Date('2026-10-07T16:00:00.000Z'),
    );
    // Set when the reminder's moment has passed: the step's own e-mail announced the deadline.
    expect(noticeTimes(publication, new Date('2026-11-20T09:00:00Z'), settings)).toEqual({ reminderAt: null, alertAt: due });
    // The product closes a comment period by itself: nobody needs reminding.
    expect(noticeTimes({ ...publication, kind: 'consultationEnd', rule: 'R9' }, new Date('2026-11-19T02:00:00Z'), settings)).toEqual({ reminderAt: null, alertAt: null });
  });

  test('stages without a time limit have none', () => {
    for (const stage of ['drafting', 'awaitingIntake', 'published', 'withdrawn'] as const) {
      expect(currentDeadline(stage, context(), new Date(), settings)).toBeNull();
    }
    expect(currentDeadline('awaitingPublication', context(), new Date(), settings)).toBeNull();
  });
});

describe('task lists are read from the chart and the permissions', () => {
  test('each role is sent the stages in which it acts', () => {
    expect(taskStagesOf('clerk')).toEqual(['awaitingIntake']);
    expect(taskStagesOf('legalReviewer')).toEqual(['review']);
    expect(taskStagesOf('fairCompetitionReviewer')).toEqual(['review']);
    expect(taskStagesOf('confidentialityReviewer')).toEqual(['awaitingClearance']);
    expect(taskStagesOf('meetingSecretary')).toEqual(['awaitingDecision', 'deferred']);
    expect(taskStagesOf('signer')).toEqual(['signing']);
    expect(taskStagesOf('publisher')).toEqual(['adoptionReportReview', 'awaitingPublication']);
    expect(taskStagesOf('departmentHead')).toEqual(['drafting']);
    // Withdrawal is possible everywhere before signing, but is no task.
    expect(taskStagesOf('drafter')).toEqual(['drafting', 'consultation', 'disposition', 'returned', 'amendmentRequested']);
    expect(taskStagesOf('assessor')).toEqual([]);
  });
});

describe('the changes between two text versions', () => {
  test('lines first, then characters within a changed line', () => {
    const changes = textChanges('第一条 为支持发展，制定本措施。\n第二条 给予奖励。\n', '第一条 为支持发展，根据规定，制定本措施。\n第二条 给予奖励。\n第三条 自印发之日起施行。\n');
    expect(changes).toEqual([
      { change: 'kept', text: '第一条 为支持发展，' },
      { change: 'added', text: '根据规定，' },
      { change: 'kept', text: '制定本措施。\n第二条 给予奖励。\n' },
      { change: 'added', text: '第三条 自印发之日起施行。\n' },
    ]);
    expect(changeCounts(changes)).toEqual({ added: 19, removed: 0 });
  });

  test('identical texts are one kept part; a removal is marked as such', () => {
    expect(textChanges('甲\n乙\n', '甲\n乙\n')).toEqual([{ change: 'kept', text: '甲\n乙\n' }]);
    expect(textChanges('甲\n乙\n', '甲\n')).toEqual([
      { change: 'kept', text: '甲\n' },
      { change: 'removed', text: '乙\n' },
    ]);
  });
});
