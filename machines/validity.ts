import type { Actor } from './roles';

/**
 * R17: a published document carries a validity mark (有效性标注) — in force, amended, repealed or
 * expired — with effective dates. The marks are facts with dates (a repeal decided today may take
 * effect next month), and the status on a given day follows from them, so it is never stale; the
 * scheduler records each change on its day (VALIDITY_CHANGED) for the ledger and the e-mails.
 *
 * Dates are calendar days in China Standard Time, `YYYY-MM-DD`.
 */
export type Day = string;

export interface OtherDocument {
  title: string;
  documentNumber: string | null;
  url: string | null;
}

interface Stamp {
  at: string;
  by: Actor;
}

export interface Validity {
  /** 施行日期: the day the document takes effect (by default, the day it is published). */
  effectiveFrom: Day;
  /** 有效期至: the last day it is in force, if it has a term. */
  expiresOn: Day | null;
  amendments: Array<Stamp & { document: OtherDocument; effectiveOn: Day }>;
  repeal: (Stamp & { effectiveOn: Day; document: OtherDocument | null; note: string }) | null;
  /** Each change of status, recorded on its day by the system. */
  changes: Array<Stamp & { status: ValidityStatus; on: Day }>;
}

export const VALIDITY_STATUSES = ['notYetInForce', 'inForce', 'amended', 'repealed', 'expired'] as const;
export type ValidityStatus = (typeof VALIDITY_STATUSES)[number];

export const VALIDITY_LABELS: Record<ValidityStatus, string> = {
  notYetInForce: '尚未施行',
  inForce: '现行有效',
  amended: '已修改',
  repealed: '已废止',
  expired: '已失效',
};

const CST_OFFSET_MS = 8 * 3_600_000;

/** The China Standard Time day of an instant. */
export function cstDay(at: string | Date): Day {
  return new Date(new Date(at).getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a CST day begins. */
export function startOfCstDay(day: Day): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

function dayAfter(day: Day): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The status on a day, and since when. */
export function validityOn(validity: Validity, day: Day): { status: ValidityStatus; since: Day } {
  if (validity.repeal && validity.repeal.effectiveOn <= day) return { status: 'repealed', since: validity.repeal.effectiveOn };
  if (validity.expiresOn !== null && validity.expiresOn < day) return { status: 'expired', since: dayAfter(validity.expiresOn) };
  if (day < validity.effectiveFrom) return { status: 'notYetInForce', since: day };
  const amended = validity.amendments.filter((a) => a.effectiveOn <= day).map((a) => a.effectiveOn).sort();
  if (amended.length > 0) return { status: 'amended', since: amended[amended.length - 1] };
  return { status: 'inForce', since: validity.effectiveFrom };
}

/** Repealed and expired are for good: nothing more is added to such a document. */
export function hasLapsed(validity: Validity, day: Day): boolean {
  const { status } = validityOn(validity, day);
  return status === 'repealed' || status === 'expired';
}

/** The next day after `day` on which the status (or the amendment in force) changes: when to look again. */
export function nextValidityChange(validity: Validity, day: Day): Day | null {
  const today = validityOn(validity, day);
  const candidates = [
    validity.effectiveFrom,
    ...validity.amendments.map((a) => a.effectiveOn),
    ...(validity.repeal ? [validity.repeal.effectiveOn] : []),
    ...(validity.expiresOn !== null ? [dayAfter(validity.expiresOn)] : []),
  ]
    .filter((d) => d > day)
    .sort();
  for (const candidate of candidates) {
    const then = validityOn(validity, candidate);
    if (then.status !== today.status || then.since !== today.since) return candidate;
  }
  return null;
}

/** A change not recorded yet: the status on `day` differs from the last one recorded. */
export function validityChangeDue(validity: Validity | null, day: Day): boolean {
  if (validity === null) return false;
  const recorded = validity.changes[validity.changes.length - 1];
  const now = validityOn(validity, day);
  return recorded === undefined || recorded.status !== now.status || recorded.on !== now.since;
}

/** The validity with today's status recorded, if it changed. */
export function recordValidityChange(validity: Validity, stamp: Stamp): Validity {
  const day = cstDay(stamp.at);
  if (!validityChangeDue(validity, day)) return validity;
  const { status, since } = validityOn(validity, day);
  return { ...validity, changes: [...validity.changes, { ...stamp, status, on: since }] };
}

/** What a reader needs to know of a document's validity on a day: for the public page and the console. */
export function describeValidity(validity: Validity, day: Day) {
  const { status, since } = validityOn(validity, day);
  const next = nextValidityChange(validity, day);
  return {
    status,
    label: VALIDITY_LABELS[status],
    since,
    effectiveFrom: validity.effectiveFrom,
    expiresOn: validity.expiresOn,
    amendments: validity.amendments.map((a) => ({ ...a.document, effectiveOn: a.effectiveOn, inEffect: a.effectiveOn <= day })),
    repeal: validity.repeal ? { ...validity.repeal, inEffect: validity.repeal.effectiveOn <= day } : null,
    upcoming: next ? { on: next, label: VALIDITY_LABELS[validityOn(validity, next).status] } : null,
  };
}
