import { restore, stageOf, statePaths } from '../../machines/engine';
import { DEADLINE_NOTICES } from '../../machines/notifications';
import { SYSTEM_ACTOR } from '../../machines/roles';
import type { Services } from '../services';
import type { DeadlineNoticeKind, FilingHead } from '../store/filings';
import { currentDeadline, deadlineStatus } from '../workflow/deadlines';

type Kind = DeadlineNoticeKind;

/**
 * R6 (and the review limit): reminds those responsible before a time limit runs out and alerts
 * them, and the general office, once it has. Durable: when each notice is due is stored on the
 * filing, so notices that fell due while the service was down go out at the next pass. Once:
 * the e-mails join the filing's outbox in the same update that clears the due date, guarded by
 * that date and the filing's version, so of several instances exactly one wins, and a step
 * taken meanwhile makes the pass look again at the filing as it now is.
 */
export class DeadlineNotices {
  constructor(
    private readonly services: Services,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async runOnce(): Promise<{ sent: number; skipped: number; lost: number }> {
    const totals = { sent: 0, skipped: 0, lost: 0 };
    for (const kind of ['overdue', 'reminder'] as const) {
      const now = this.clock();
      const due = await this.services.store.dueDeadlineNotices(kind, now, 100);
      for (const head of due) {
        const outcome = await this.notify(kind, head, now);
        totals[outcome]++;
      }
    }
    return totals;
  }

  private async notify(kind: Kind, head: FilingHead, now: Date): Promise<'sent' | 'skipped' | 'lost'> {
    const snapshot = restore(head.snapshot);
    const stage = stageOf(snapshot);
    const deadline = currentDeadline(stage, snapshot.context, head.stageEnteredAt ?? head.updatedAt, this.services.deadlines);
    const rules = DEADLINE_NOTICES[stage];
    const status = deadline ? deadlineStatus(deadline, now) : null;
    // A reminder that comes after its deadline (the service was down) would only confuse: the alert says it all.
    const pointless = !rules || !deadline || !status || (kind === 'reminder' && status.overdue);
    const messages = pointless
      ? []
      : await this.services.composer.composeDeadlineNotice(
          kind,
          {
            filing: { id: String(head._id), reference: head.reference, title: head.title, leadDepartment: head.leadDepartment, coDepartments: head.coDepartments },
            seq: head.version,
            event: rules.startedBy,
            note: null,
            stage,
            states: statePaths(snapshot),
            context: snapshot.context,
            returned: null,
            actor: SYSTEM_ACTOR,
            at: now,
            deadline,
          },
        );
    if (!(await this.services.store.clearDeadlineNotice(head, kind, messages))) return 'lost';
    return messages.length > 0 ? 'sent' : 'skipped';
  }
}
