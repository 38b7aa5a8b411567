import { isWorkday } from 'chinese-days';

/**
 * R21: deadlines in working days follow the official calendar of public holidays and
 * adjusted working days (调休), from the maintained `chinese-days` data. Days are counted in
 * China Standard Time (UTC+8, no daylight saving), whatever the server's own time zone.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of the instant, in China Standard Time. */
export function cstDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The last instant (23:59:59.999 CST) of a `YYYY-MM-DD` day. */
export function endOfCstDay(day: string): Date {
  return new Date(Date.parse(`${day}T23:59:59.999+08:00`));
}

/** End of the n-th working day after the day of `from` (that day itself does not count). */
export function addWorkingDays(from: Date, n: number): Date {
  let day = cstDate(from);
  for (let counted = 0; counted < n; ) {
    day = nextDay(day);
    if (isWorkday(day)) counted++;
  }
  return endOfCstDay(day);
}

/**
 * Working days from tomorrow up to and including the deadline's day: 0 means "due today",
 * a negative number counts the working days overdue.
 */
export function workingDaysLeft(now: Date, deadline: Date): number {
  const today = cstDate(now);
  const due = cstDate(deadline);
  if (due === today) return 0;
  const [from, to, sign] = due > today ? [today, due, 1] : [due, today, -1];
  let count = 0;
  for (let day = nextDay(from); day <= to; day = nextDay(day)) if (isWorkday(day)) count++;
  return sign * count;
}

/** `2026年11月21日 14:05`, in China Standard Time: how times read in e-mails. */
export function formatCst(instant: Date): string {
  const shifted = new Date(instant.getTime() + CST_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatCstDay(cstDate(instant))} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`;
}

/** `2026年11月21日` for a `YYYY-MM-DD` day. */
export function formatCstDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${year}年${month}月${date}日`;
}
