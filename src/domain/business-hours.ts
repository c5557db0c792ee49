// Business-hours arithmetic: how long something has waited in working time, and when a wait of
// N working hours ends. Used for reminders, escalations, digest decision times and App Home ages.
// Windows are local wall-clock times in the configured zone, so a DST change moves them with the
// zone (a 09:00–17:00 day is 8 hours on both sides of the change).
import { addDays, type IsoDate, isoWeekday, localDate, zonedInstant } from './calendar.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessHours {
  /** "HH:MM", local. */
  readonly start: string;
  /** "HH:MM", local; after start. */
  readonly end: string;
  readonly days: readonly Weekday[];
}

export const HOUR_MS = 3_600_000;
/** Far enough for any real wait; keeps a misconfiguration from looping for ever. */
const MAX_DAYS = 3660;

function windowOf(day: IsoDate, hours: BusinessHours, timeZone: string): readonly [number, number] | null {
  const weekday = WEEKDAYS[isoWeekday(day) - 1];
  if (!weekday || !hours.days.includes(weekday)) return null;
  return [
    zonedInstant(day, hours.start, timeZone).getTime(),
    zonedInstant(day, hours.end, timeZone).getTime(),
  ];
}

/** Working milliseconds between two instants (0 when `to` is not after `from`). */
export function businessMsBetween(from: Date, to: Date, hours: BusinessHours, timeZone: string): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  let day = localDate(from, timeZone);
  const last = localDate(to, timeZone);
  for (let i = 0; i <= MAX_DAYS && day <= last; i++, day = addDays(day, 1)) {
    const w = windowOf(day, hours, timeZone);
    if (!w) continue;
    const start = Math.max(w[0], a);
    const end = Math.min(w[1], b);
    if (end > start) total += end - start;
  }
  return total;
}

export function businessHoursBetween(from: Date, to: Date, hours: BusinessHours, timeZone: string): number {
  return businessMsBetween(from, to, hours, timeZone) / HOUR_MS;
}

/** The instant at which `ms` working milliseconds have passed since `from`. */
export function addBusinessMs(from: Date, ms: number, hours: BusinessHours, timeZone: string): Date {
  if (ms <= 0) return new Date(from);
  let remaining = ms;
  let day = localDate(from, timeZone);
  for (let i = 0; i <= MAX_DAYS; i++, day = addDays(day, 1)) {
    const w = windowOf(day, hours, timeZone);
    if (!w) continue;
    const start = Math.max(w[0], from.getTime());
    if (start >= w[1]) continue;
    const available = w[1] - start;
    if (remaining <= available) return new Date(start + remaining);
    remaining -= available;
  }
  throw new RangeError('business hours never open: check reminders.business_hours.days');
}

export function addBusinessHours(
  from: Date,
  hoursToAdd: number,
  hours: BusinessHours,
  timeZone: string,
): Date {
  return addBusinessMs(from, hoursToAdd * HOUR_MS, hours, timeZone);
}

/**
 * Business time over a known stretch of days, answered without zone conversions per question:
 * each day's local midnight and working window are computed once, then every question is a
 * binary search and a subtraction. Gives exactly businessMsBetween's answers inside the stretch
 * (and asks businessMsBetween outside it). The digest asks thousands of questions per week.
 */
export interface BusinessTimeline {
  msBetween(from: Date, to: Date): number;
  /** The local calendar day of an instant (localDate, faster inside the stretch). */
  dayOf(at: Date): IsoDate;
  /**
   * Whether the millisecond that starts at `t` is working time: msBetween(t, t + 1) > 0, with one
   * search and no Date (the scoreboard asks it for every act of an owner in nine weeks).
   */
  isWorkingMs(t: number): boolean;
}

export function businessTimeline(
  hours: BusinessHours,
  timeZone: string,
  firstDay: IsoDate,
  lastDay: IsoDate,
): BusinessTimeline {
  const days: IsoDate[] = [];
  const starts: number[] = [];
  const windows: (readonly [number, number] | null)[] = [];
  const before: number[] = [];
  let total = 0;
  for (let day = firstDay, i = 0; day <= addDays(lastDay, 1) && i <= MAX_DAYS; day = addDays(day, 1), i++) {
    days.push(day);
    starts.push(zonedInstant(day, '00:00', timeZone).getTime());
    const w = windowOf(day, hours, timeZone);
    windows.push(w);
    before.push(total);
    if (w) total += w[1] - w[0];
  }
  const lastIndex = days.length - 2; // the extra day only closes the stretch
  const indexOf = (t: number): number => {
    if (t < (starts[0] ?? 0) || t >= (starts[lastIndex + 1] ?? 0)) return -1;
    let lo = 0;
    let hi = lastIndex;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const upTo = (t: number, i: number): number => {
    const w = windows[i];
    const within = w ? Math.min(Math.max(t, w[0]), w[1]) - w[0] : 0;
    return (before[i] ?? 0) + within;
  };
  return {
    msBetween(from: Date, to: Date): number {
      const a = from.getTime();
      const b = to.getTime();
      if (b <= a) return 0;
      const i = indexOf(a);
      const j = indexOf(b);
      if (i < 0 || j < 0) return businessMsBetween(from, to, hours, timeZone);
      return upTo(b, j) - upTo(a, i);
    },
    dayOf(at: Date): IsoDate {
      const i = indexOf(at.getTime());
      return i < 0 ? localDate(at, timeZone) : (days[i] as IsoDate);
    },
    isWorkingMs(t: number): boolean {
      const i = indexOf(t);
      // Outside the stretch (its last day only closes it), ask as msBetween would.
      if (i < 0 || indexOf(t + 1) < 0)
        return businessMsBetween(new Date(t), new Date(t + 1), hours, timeZone) > 0;
      const w = windows[i];
      return w !== null && w !== undefined && t >= w[0] && t < w[1];
    },
  };
}
