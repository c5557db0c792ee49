// When the schedule asks about a promise (INTERFACE.md "Promises", Slack): `ask_days_before`
// business days before the due date "on track?"; on the due date (or the first business day
// after it, when it falls on a day off) at business-hours start the due-date ask; one business
// day after that, if nobody answered, one reminder, and the promise is marked overdue. Pure:
// days in, which asks are due out.
import type { Weekday } from './business-hours.js';
import { WEEKDAYS } from './business-hours.js';
import { addDays, type IsoDate, isoWeekday } from './calendar.js';
import type { PromiseState } from './promise.js';

export function isBusinessDay(day: IsoDate, days: readonly Weekday[]): boolean {
  return days.includes(WEEKDAYS[isoWeekday(day) - 1] as Weekday);
}

/** The day itself when a business day, else the next business day. */
export function businessDayOnOrAfter(day: IsoDate, days: readonly Weekday[]): IsoDate {
  let d = day;
  // At most a week: `days` has at least one weekday (config).
  for (let i = 0; i < 7 && !isBusinessDay(d, days); i += 1) d = addDays(d, 1);
  return d;
}

/** `n` business days after (n > 0) or before (n < 0) a day. */
export function addBusinessDays(day: IsoDate, n: number, days: readonly Weekday[]): IsoDate {
  let d = day;
  let left = Math.abs(n);
  const step = n < 0 ? -1 : 1;
  while (left > 0) {
    d = addDays(d, step);
    if (isBusinessDay(d, days)) left -= 1;
  }
  return d;
}

/** Business days from `from` (excluded) to `to` (included); 0 when `to` is not after `from`. */
export function businessDaysBetween(from: IsoDate, to: IsoDate, days: readonly Weekday[]): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isBusinessDay(d, days)) n += 1;
  return n;
}

export interface PromiseAskState {
  readonly dueOn: IsoDate;
  readonly clearedOn: IsoDate;
  readonly state: PromiseState;
  readonly askedOnTrackAt: Date | null;
  readonly askedDueAt: Date | null;
  readonly remindedAt: Date | null;
}

export interface AskTimes {
  readonly today: IsoDate;
  /** Whether business hours have started today (a business day at or after `start`). */
  readonly businessHoursStarted: boolean;
  readonly days: readonly Weekday[];
  readonly askDaysBefore: number;
}

/** The day of each ask for a due date. */
export function askDays(
  dueOn: IsoDate,
  askDaysBefore: number,
  days: readonly Weekday[],
): { onTrack: IsoDate | null; due: IsoDate; reminder: IsoDate } {
  const due = businessDayOnOrAfter(dueOn, days);
  return {
    onTrack: askDaysBefore > 0 ? addBusinessDays(dueOn, -askDaysBefore, days) : null,
    due,
    reminder: addBusinessDays(due, 1, days),
  };
}

export type PromiseAskKind = 'on_track' | 'due' | 'reminder' | 'overdue';

/**
 * Which asks are due now for one open promise. Each fires once (the caller claims it in SQLite).
 * A due-date ask missed entirely (the bot was down past the reminder day, or a promise migrated
 * long overdue) is not sent late: the promise is marked overdue and waits on App Home instead.
 */
export function asksDue(p: PromiseAskState, t: AskTimes): PromiseAskKind[] {
  const out: PromiseAskKind[] = [];
  const open =
    p.state === 'open' || p.state === 'at_risk' || p.state === 'overdue' || p.state === 'partly_delivered';
  if (!open) return out;
  const d = askDays(p.dueOn, t.askDaysBefore, t.days);
  const working = t.businessHoursStarted && isBusinessDay(t.today, t.days);
  if (
    working &&
    d.onTrack !== null &&
    !p.askedOnTrackAt &&
    t.today >= d.onTrack &&
    t.today < p.dueOn &&
    // Cleared inside the window (e.g. yesterday for tomorrow): asking at once would be noise.
    p.clearedOn < d.onTrack
  )
    out.push('on_track');
  if (working && !p.askedDueAt && t.today >= d.due && t.today < d.reminder) out.push('due');
  if (working && p.askedDueAt && !p.remindedAt && t.today >= d.reminder) out.push('reminder');
  if (t.today >= d.reminder && (p.state === 'open' || p.state === 'at_risk')) out.push('overdue');
  return out;
}
