// Business-hours ages of many instants against one "now" (a queue of sign-offs): the working
// windows between the oldest instant and now are computed once, then each age is a binary search,
// instead of walking the calendar (and converting time zones) once per instant. Agrees with
// businessHoursBetween to the millisecond; see test/unit/home-view.test.ts.
import { type BusinessHours, HOUR_MS, WEEKDAYS } from './business-hours.js';
import { addDays, isoWeekday, localDate, zonedInstant } from './calendar.js';

/** Far enough for any real wait; a longer one is counted from this many days back. */
const MAX_DAYS = 3660;

/** Returns `age(from)`: working hours from `from` to `now`, for any `from` not before `oldest`. */
export function businessAges(
  oldest: Date,
  now: Date,
  hours: BusinessHours,
  timeZone: string,
): (from: Date) => number {
  const end = now.getTime();
  const starts: number[] = [];
  const ends: number[] = [];
  let day = localDate(oldest, timeZone);
  const last = localDate(now, timeZone);
  for (let i = 0; i <= MAX_DAYS && day <= last; i++, day = addDays(day, 1)) {
    const weekday = WEEKDAYS[isoWeekday(day) - 1];
    if (!weekday || !hours.days.includes(weekday)) continue;
    const s = zonedInstant(day, hours.start, timeZone).getTime();
    const e = Math.min(zonedInstant(day, hours.end, timeZone).getTime(), end);
    if (e > s) {
      starts.push(s);
      ends.push(e);
    }
  }
  // after[i]: working ms in windows i.. (to now).
  const after = new Array<number>(starts.length + 1).fill(0);
  for (let i = starts.length - 1; i >= 0; i--)
    after[i] = (after[i + 1] ?? 0) + (ends[i] ?? 0) - (starts[i] ?? 0);

  return (from) => {
    const t = from.getTime();
    if (t >= end) return 0;
    // The first window that ends after `from`.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ends[mid] ?? 0) <= t) lo = mid + 1;
      else hi = mid;
    }
    const inside = Math.max(0, t - (starts[lo] ?? t));
    return ((after[lo] ?? 0) - inside) / HOUR_MS;
  };
}
