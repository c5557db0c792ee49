import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  formatDay,
  isIsoDate,
  isoWeekday,
  localDate,
  weekStart,
  zonedInstant,
} from '../../src/domain/calendar.js';

describe('calendar', () => {
  it('when a string is not a real day then isIsoDate refuses it', () => {
    expect(isIsoDate('2026-12-15')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('15/12/2026')).toBe(false);
  });

  it('when days are added across a month, a year or a DST change then the calendar day is exact', () => {
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addDays('2026-11-23', 21)).toBe('2026-12-14');
    expect(daysBetween('2026-11-23', '2026-12-14')).toBe(21);
  });

  it('when an instant is late evening in New York then its local day is still the previous UTC day', () => {
    const at = new Date('2026-11-24T03:30:00Z');
    expect(localDate(at, 'America/New_York')).toBe('2026-11-23');
    expect(localDate(at, 'Europe/Berlin')).toBe('2026-11-24');
  });

  it('when a local time is asked on a DST day then the instant follows the zone offset', () => {
    // 2026-03-08: New York moves from UTC-5 to UTC-4 at 02:00.
    expect(zonedInstant('2026-03-07', '09:00', 'America/New_York').toISOString()).toBe(
      '2026-03-07T14:00:00.000Z',
    );
    expect(zonedInstant('2026-03-09', '09:00', 'America/New_York').toISOString()).toBe(
      '2026-03-09T13:00:00.000Z',
    );
  });

  it('when asked for a week then it starts on Monday', () => {
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(formatDay('2026-12-15')).toBe('Tue 15 Dec 2026');
  });
});
