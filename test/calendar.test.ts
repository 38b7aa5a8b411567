import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addWorkingDays, clearCalendarOverrides, cstDate, isWorkingDay, loadCalendarOverrides, workingDaysLeft } from '../src/calendar';

describe('working days (R21)', () => {
  test('days are counted in China Standard Time', () => {
    expect(cstDate(new Date('2026-11-20T17:00:00Z'))).toBe('2026-11-21');
    expect(cstDate(new Date('2026-11-20T15:59:59Z'))).toBe('2026-11-20');
  });

  test('weekends are skipped', () => {
    // Friday 20 November 2026 + 3 working days = Wednesday 25 November, end of day.
    expect(addWorkingDays(new Date('2026-11-20T02:00:00Z'), 3).toISOString()).toBe('2026-11-25T15:59:59.999Z');
  });

  test('the National Day holiday is skipped and its adjusted working Saturday counts (调休)', () => {
    // 2026: 1–7 October off; Saturday 10 October is a working day.
    const deadline = addWorkingDays(new Date('2026-09-30T02:00:00Z'), 2);
    expect(cstDate(deadline)).toBe('2026-10-09');
    const afterThree = addWorkingDays(new Date('2026-09-30T02:00:00Z'), 3);
    expect(cstDate(afterThree)).toBe('2026-10-10');
  });

  test('working days left: due today is 0, overdue is negative', () => {
    const now = new Date('2026-11-20T02:00:00Z');
    expect(workingDaysLeft(now, addWorkingDays(now, 3))).toBe(3);
    expect(workingDaysLeft(now, new Date('2026-11-20T15:00:00Z'))).toBe(0);
    expect(workingDaysLeft(now, new Date('2026-11-18T02:00:00Z'))).toBe(-2);
  });
});

describe('a newer year\'s official schedule loads from a file, without a code change', () => {
  afterEach(() => clearCalendarOverrides());

  test('holidays and adjusted working days from the file win over the packaged data', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-')), '2031.json');
    fs.writeFileSync(file, JSON.stringify({ holidays: ['2031-01-02'], workdays: ['2031-01-04'] }));
    expect(isWorkingDay('2031-01-02')).toBe(true); // a Thursday
    expect(isWorkingDay('2031-01-04')).toBe(false); // a Saturday
    expect(loadCalendarOverrides(file)).toEqual({ holidays: 1, workdays: 1 });
    expect(isWorkingDay('2031-01-02')).toBe(false);
    expect(isWorkingDay('2031-01-04')).toBe(true);
    // Wednesday 1 January + 2 working days: the 2nd is off, the 3rd (Fri) and the 4th (调休 Sat) count.
    expect(cstDate(addWorkingDays(new Date('2031-01-01T02:00:00Z'), 2))).toBe('2031-01-04');
  });

  test('a malformed file is refused with the reason', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-')), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ holidays: ['1 January'] }));
    expect(() => loadCalendarOverrides(file)).toThrow(/YYYY-MM-DD/);
  });
});
