import type { DocumentKind } from '../../machines/dossier';
import type { FilingContext, Stage } from '../../machines/filing.machine';
import type { Clocks, Deadline, DeadlineKind } from '../../machines/summary';
import { addWorkingDays, cstDate, formatCst, workingDaysBefore, workingDaysLeft } from '../calendar';

/** Per-jurisdiction time limits in working days (R21), set in the configuration. */
export interface DeadlineSettings {
  /**
   * R6: a signed document is published, with its interpretation, within this many working days,
   * by kind of document (e.g. normative documents within 3 working days of signing, Neijiang #26).
   */
  publicationWorkingDays: Record<DocumentKind, number>;
  /** Legality and fair-competition reviews finish within this many working days of acceptance. */
  reviewWorkingDays: number;
  /** Those responsible are reminded this many working days before a deadline's day. */
  reminderWorkingDays: number;
}

export const DEFAULT_DEADLINES: DeadlineSettings = {
  publicationWorkingDays: { rule: 3, normative: 3, other: 3 },
  reviewWorkingDays: 5,
  reminderWorkingDays: 1,
};

export type { Deadline, DeadlineKind } from '../../machines/summary';

/** R6: end of the n-th working day after signing. */
export function publicationDue(signedAt: Date, kind: DocumentKind, settings: Pick<DeadlineSettings, 'publicationWorkingDays'>): Date {
  return addWorkingDays(signedAt, settings.publicationWorkingDays[kind]);
}

/**
 * The time limit the filing runs against in its current stage, if any. `stageEnteredAt` is when
 * the filing reached that stage (kept on the filing), since reviews count from acceptance.
 */
export function currentDeadline(stage: Stage, context: FilingContext, stageEnteredAt: Date, settings: DeadlineSettings): Deadline | null {
  switch (stage) {
    case 'consultation': {
      const round = context.consultations[context.consultations.length - 1];
      return round ? { kind: 'consultationEnd', label: '征求意见截止', rule: 'R9', due: new Date(round.endsAt) } : null;
    }
    case 'review':
      return { kind: 'review', label: '审查期限', rule: null, due: addWorkingDays(stageEnteredAt, settings.reviewWorkingDays) };
    case 'awaitingPublication':
      return context.signing
        ? { kind: 'publication', label: '公开发布期限', rule: 'R6', due: publicationDue(new Date(context.signing.at), context.particulars.documentKind, settings) }
        : null;
    default:
      return null;
  }
}

export interface DeadlineStatus {
  kind: DeadlineKind;
  label: string;
  rule: string | null;
  /** `2026年11月26日 23:59`, China Standard Time. */
  date: string;
  /** Working days from tomorrow to the deadline's day; negative when overdue (R21). */
  workingDaysLeft: number;
  dueToday: boolean;
  overdue: boolean;
  /** In words, e.g. `剩余3个工作日`, `今天到期`, `已逾期2个工作日`. */
  text: string;
}

/** A deadline as people read it: a date and the working days left, overdue flagged. */
export function deadlineStatus(deadline: Deadline, now: Date): DeadlineStatus {
  const overdue = now.getTime() > deadline.due.getTime();
  // Past the instant but still the same day (a period ending at noon) is overdue, not "today".
  const left = overdue ? Math.min(workingDaysLeft(now, deadline.due), 0) : workingDaysLeft(now, deadline.due);
  const sameDay = cstDate(now) === cstDate(deadline.due);
  const text = overdue
    ? left < 0
      ? `已逾期${-left}个工作日`
      : '已逾期'
    : sameDay
      ? '今天到期'
      : `剩余${left}个工作日`;
  return {
    kind: deadline.kind,
    label: deadline.label,
    rule: deadline.rule,
    date: formatCst(deadline.due),
    workingDaysLeft: left,
    dueToday: !overdue && sameDay,
    overdue,
    text,
  };
}

/** When those responsible hear about a deadline: a reminder before it, an alert once it passed. */
export interface NoticeTimes {
  reminderAt: Date | null;
  alertAt: Date | null;
}

/**
 * R6 (and the review limit): the reminder goes out `reminderWorkingDays` working days before the
 * deadline's day, unless that moment has already passed when the deadline is set (the e-mail of
 * the step itself announces it); the alert, the moment the deadline has passed. A comment
 * period's end needs neither: the product closes it by itself.
 */
export function noticeTimes(deadline: Deadline | null, now: Date, settings: Pick<DeadlineSettings, 'reminderWorkingDays'>): NoticeTimes {
  if (deadline === null || deadline.kind === 'consultationEnd') return { reminderAt: null, alertAt: null };
  const reminder = workingDaysBefore(deadline.due, settings.reminderWorkingDays);
  return { reminderAt: reminder > now ? reminder : null, alertAt: deadline.due };
}

/** The jurisdiction's clocks, as the pure summary of a filing asks for them (machines/summary.ts). */
export function clocksOf(settings: DeadlineSettings): Clocks {
  return {
    deadline: (stage, context, stageEnteredAt) => currentDeadline(stage, context, stageEnteredAt, settings),
    notices: (deadline, now) => noticeTimes(deadline, now, settings),
  };
}
