// When time-driven things are due: the weekly digest's slot, a sign-off's reminder and
// escalation, a request's expiry. Pure; the scheduler (jobs/scheduler.ts) asks these with `now`.
import {
  type BusinessHours,
  type BusinessTimeline,
  businessMsBetween,
  HOUR_MS,
  WEEKDAYS,
  type Weekday,
} from './business-hours.js';
import { addDays, type IsoDate, localDate, weekStart, zonedInstant } from './calendar.js';

export interface WeeklySlot {
  readonly weekday: Weekday;
  /** "HH:MM", local. */
  readonly time: string;
}

/**
 * The most recent digest whose posting time has come: `period` is the Monday of the week it
 * reports (the week that had ended by then) and `dueAt` the instant it became due. Computed with
 * local wall-clock times (zonedInstant), so 09:00 stays 09:00 across a daylight-saving change.
 */
export function latestDigestDue(
  now: Date,
  slot: WeeklySlot,
  timeZone: string,
): { period: IsoDate; dueAt: Date } {
  const thisMonday = weekStart(localDate(now, timeZone));
  const offset = WEEKDAYS.indexOf(slot.weekday);
  const dueThisWeek = zonedInstant(addDays(thisMonday, offset), slot.time, timeZone);
  if (now.getTime() >= dueThisWeek.getTime()) return { period: addDays(thisMonday, -7), dueAt: dueThisWeek };
  return {
    period: addDays(thisMonday, -14),
    dueAt: zonedInstant(addDays(thisMonday, offset - 7), slot.time, timeZone),
  };
}

/** The same wall-clock time `days` calendar days later, in the zone (DST-aware). */
export function expiresAt(createdAt: Date, days: number, timeZone: string): Date {
  const day = localDate(createdAt, timeZone);
  const sinceMidnight = createdAt.getTime() - zonedInstant(day, '00:00', timeZone).getTime();
  return new Date(zonedInstant(addDays(day, days), '00:00', timeZone).getTime() + sinceMidnight);
}

/**
 * Whether a request made at `createdAt` has expired by `now` (expiresAt has come). Wall-clock
 * time between the two is `days` × 24 h give or take a daylight-saving hour, so anything younger
 * than that minus 2 h is answered without the time-zone arithmetic: the scheduler asks this of
 * every pending request every minute.
 */
export function isExpired(createdAt: Date, days: number, timeZone: string, now: Date): boolean {
  if (now.getTime() - createdAt.getTime() < days * 24 * HOUR_MS - 2 * HOUR_MS) return false;
  return expiresAt(createdAt, days, timeZone).getTime() <= now.getTime();
}

export interface WaitingThresholds {
  readonly remindAfterHours: number;
  readonly escalateAfterHours: number;
  readonly businessHours: BusinessHours;
  readonly timeZone: string;
}

/**
 * Whether a pending sign-off is due a reminder and/or an escalation now (each once): whether the
 * business time since it was asked has reached each threshold. The scheduler asks this of every
 * waiting sign-off every minute, so it passes a `timeline` built once per run (no zone
 * arithmetic per question), and a sign-off asked less than the smallest threshold minus one
 * wall-clock hour ago is answered at once: business time passes no faster than the clock, give
 * or take a daylight-saving hour.
 */
export function waitingDue(
  signOff: { readonly askedAt: Date; readonly remindedAt: Date | null; readonly escalatedAt: Date | null },
  now: Date,
  t: WaitingThresholds,
  timeline?: BusinessTimeline,
): { remind: boolean; escalate: boolean } {
  const wantRemind = signOff.remindedAt === null;
  const wantEscalate = signOff.escalatedAt === null;
  const soonest = Math.min(
    wantRemind ? t.remindAfterHours : Number.POSITIVE_INFINITY,
    wantEscalate ? t.escalateAfterHours : Number.POSITIVE_INFINITY,
  );
  if (now.getTime() - signOff.askedAt.getTime() < (soonest - 1) * HOUR_MS)
    return { remind: false, escalate: false };
  const business = timeline
    ? timeline.msBetween(signOff.askedAt, now)
    : businessMsBetween(signOff.askedAt, now, t.businessHours, t.timeZone);
  return {
    remind: wantRemind && business >= t.remindAfterHours * HOUR_MS,
    escalate: wantEscalate && business >= t.escalateAfterHours * HOUR_MS,
  };
}
