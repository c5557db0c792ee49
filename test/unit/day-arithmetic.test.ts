// The scoreboard counts days without Date objects (domain/scoreboard.ts dayNumber, dayOfNumber,
// plusDays): the same days Date.UTC and toISOString give, for every day they are used on.
import { describe, expect, it } from 'vitest';
import { dayDiff, dayNumber, dayOfNumber, plusDays } from '../../src/domain/scoreboard.js';

const byDate = (d: string) =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
const isoOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

describe('day arithmetic without Date', () => {
  it('when days from 1000-01-01 to 9999-12-31 are counted then each number and each day is what Date gives', () => {
    const first = byDate('1000-01-01');
    const last = byDate('9999-12-31');
    const from1900 = byDate('1900-01-01');
    const to2200 = byDate('2200-12-31');
    let mismatches = 0;
    // Every day of 1900-2200 (and the range's ends); every 7th day (each weekday in turn) outside.
    for (
      let n = first - 3;
      n <= last + 3;
      n += n >= from1900 - 1 && n <= to2200 ? 1 : n > last - 10 ? 1 : 7
    ) {
      const iso = isoOf(n);
      if (dayOfNumber(n) !== iso) mismatches++;
      if (iso.length === 10 && dayNumber(iso) !== byDate(iso)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('when a day is out of the ordinary then Date decides, as before (years 0-99 read as 19xx, overflowing days roll on)', () => {
    for (const day of [
      '0099-05-05',
      '0999-12-31',
      '2026-02-30',
      '2026-04-31',
      '2024-02-29',
      '2026-13-01',
      '2026-00-10',
    ]) {
      expect(dayNumber(day)).toBe(byDate(day));
      for (const n of [0, 1, -1, 30, 365]) expect(plusDays(day, n)).toBe(isoOf(byDate(day) + n));
    }
    expect(() => plusDays('not a day', 1)).toThrow(RangeError);
  });

  it('when days are added across month, year and leap-day ends then the day and the difference are the calendar ones', () => {
    expect(plusDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(plusDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(plusDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(plusDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(dayDiff('2026-11-16', '2027-01-15')).toBe(60);
  });
});
