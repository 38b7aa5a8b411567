import { stageOf, type FilingSnapshot } from './engine';
import { filedWithOffice } from './permissions';
import type { Stage } from './filing/stages';
import type { FilingContext } from './filing/types';
import { cstDay, nextValidityChange, startOfCstDay } from './validity';

/** A time limit a filing runs against in its current stage (R6, R9, the review limit). */
export type DeadlineKind = 'consultationEnd' | 'review' | 'publication';

export interface Deadline {
  kind: DeadlineKind;
  label: string;
  rule: 'R6' | 'R9' | null;
  due: Date;
}

/**
 * How the jurisdiction counts time (working days, R21): given by the caller, so this file needs no
 * calendar and stays pure.
 */
export interface Clocks {
  /** The time limit of a stage, if it has one; `stageEnteredAt` because reviews count from acceptance. */
  deadline(stage: Stage, context: FilingContext, stageEnteredAt: Date): Deadline | null;
  /** When the reminder before a limit and the alert after it are due. */
  notices(deadline: Deadline | null, now: Date): { reminderAt: Date | null; alertAt: Date | null };
}

/**
 * What is stored beside the snapshot so lists, inboxes, the scheduler and the public site can
 * query it: every field follows from the snapshot (and, for dates that count from an earlier
 * step, from the summary stored before).
 */
export interface FilingSummary {
  title: string;
  stage: Stage;
  /** When the filing reached its current stage. */
  stageEnteredAt: Date;
  /** The time limit of the current stage, for lists and filters. */
  deadlineAt: Date | null;
  /** When the reminder of that limit is due, until it is sent. */
  reminderAt: Date | null;
  /** When the alert of that limit is due, until it is sent. */
  alertAt: Date | null;
  /**
   * Filed with the general office (even if refused at intake): the city-level roles see it from now
   * on. A consultation request is not a filing: the draft stays the department's (see permissions.ts).
   */
  sharedWithOffice: boolean;
  returnCount: number;
  /** While a comment period runs: its start (the public sees it from then) and its end (R9). */
  consultationStartsAt: Date | null;
  consultationEndsAt: Date | null;
  /** First confidentiality clearance (R15): from then on the public may see its consultations. */
  consultedAt: Date | null;
  /** R17: the next day a dated validity mark takes effect, for the scheduler that records it. */
  validityChangesAt: Date | null;
}

/** The stored summary before this step; null for a filing just opened. */
export type PreviousSummary = Pick<FilingSummary, 'deadlineAt' | 'reminderAt' | 'alertAt' | 'consultedAt'> & {
  stage: string;
  stageEnteredAt: Date | null;
  updatedAt: Date;
};

export function summarize(snapshot: FilingSnapshot, previous: PreviousSummary | null, now: Date, clocks: Clocks): FilingSummary {
  const context = snapshot.context;
  const stage = stageOf(snapshot);
  // Filings stored before stages were dated count from their last change.
  const stageEnteredAt = previous && stage === previous.stage ? (previous.stageEnteredAt ?? previous.updatedAt) : now;
  const deadline = clocks.deadline(stage, context, stageEnteredAt);
  const deadlineAt = deadline?.due ?? null;
  const sameDeadline = previous !== null && (previous.deadlineAt?.getTime() ?? null) === (deadlineAt?.getTime() ?? null);
  const round = context.consultations[context.consultations.length - 1];
  const consulting = stage === 'consultation' && round !== undefined;
  const firstClearance = context.consultations.find((r) => r.clearance !== null)?.clearance;
  const validityDay = context.validity ? nextValidityChange(context.validity, cstDay(now)) : null;
  return {
    title: context.text.title,
    stage,
    stageEnteredAt,
    deadlineAt,
    // A deadline that stays (one of two reviews done) keeps its notices, sent or not.
    ...(sameDeadline ? { reminderAt: previous.reminderAt ?? null, alertAt: previous.alertAt ?? null } : clocks.notices(deadline, now)),
    sharedWithOffice: filedWithOffice(context),
    returnCount: context.returns.length,
    consultationStartsAt: consulting ? new Date(round.startsAt) : null,
    consultationEndsAt: consulting ? new Date(round.endsAt) : null,
    consultedAt: previous?.consultedAt ?? (firstClearance ? new Date(firstClearance.at) : null),
    validityChangesAt: validityDay ? startOfCstDay(validityDay) : null,
  };
}
