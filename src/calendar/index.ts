import fs from 'node:fs';
import { isWorkday as packagedIsWorkday } from 'chinese-days';

/**
 * R21: deadlines in working days follow the official calendar of public holidays and
 * adjusted working days (调休), from the maintained `chinese-days` data. Days are counted in
 * China Standard Time (UTC+8, no daylight saving), whatever the server's own time zone.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * A newer year's official schedule (国务院办公厅关于部分节假日安排的通知) can be loaded from a JSON
 * file — `{"holidays": ["2027-01-01", …], "workdays": ["2027-02-06", …]}` — named by
 * CALENDAR_FILE, without waiting for a new release of the data package.
 */
const overrides = { holidays: new Set<string>(), workdays: new Set<string>() };

export function loadCalendarOverrides(file: string): { holidays: number; workdays: number } {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { holidays?: unknown; workdays?: unknown };
  const days = (value: unknown, name: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))) {
      throw new Error(`${file}: "${name}" must be a list of YYYY-MM-DD dates`);
    }
    return value as string[];
  };
  const holidays = days(data.holidays, 'holidays');
  const workdays = days(data.workdays, 'workdays');
  for (const day of holidays) overrides.holidays.add(day);
  for (const day of workdays) overrides.workdays.add(day);
  return { holidays: holidays.length, workdays: workdays.length };
}

export function clearCalendarOverrides(): void {
  overrides.holidays.clear();
  overrides.workdays.clear();
}

/** R21: a working day per the official calendar, including 调休 Saturdays and Sundays. */
export function isWorkingDay(day: string): boolean {
  if (overrides.workdays.has(day)) return true;
  if (overrides.holidays.has(day)) return false;
  return packagedIsWorkday(day);
}
const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of the instant, in China Standard Time. */
export function cstDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The start (00:00 CST) of the n-th working day before the day of `deadline`: when to remind. */
export function workingDaysBefore(deadline: Date, n: number): Date {
  let day = cstDate(deadline);
  for (let counted = 0; counted < n; ) {
    day = new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    if (isWorkingDay(day)) counted++;
  }
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

/** The last instant (23:59:59.999 CST) of a `YYYY-MM-DD` day. */
export function endOfCstDay(day: string): Date {
  return new Date(Date.parse(`${day}T23:59:59.999+08:00`));
}

/** The instant n calendar days later: the statutory 30-day periods count calendar days (R9). */
export function addCalendarDays(from: Date, n: number): Date {
  return new Date(from.getTime() + n * DAY_MS);
}

/** End of the n-th working day after the day of `from` (that day itself does not count). */
export function addWorkingDays(from: Date, n: number): Date {
  let day = cstDate(from);
  for (let counted = 0; counted < n; ) {
    day = nextDay(day);
    if (isWorkingDay(day)) counted++;
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
  for (let day = nextDay(from); day <= to; day = nextDay(day)) if (isWorkingDay(day)) count++;
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
