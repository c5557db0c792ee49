// When time-driven things are due: the weekly digest's slot, a sign-off's reminder and
// escalation, a request's expiry. Pure; the scheduler (jobs/scheduler.ts) asks these with `now`.
import { addBusinessHours, type BusinessHours, WEEKDAYS, type Weekday } from './business-hours.js';
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

export interface WaitingThresholds {
  readonly remindAfterHours: number;
  readonly escalateAfterHours: number;
  readonly businessHours: BusinessHours;
  readonly timeZone: string;
}

/** Whether a pending sign-off is due a reminder and/or an escalation now (each once). */
export function waitingDue(
  signOff: { readonly askedAt: Date; readonly remindedAt: Date | null; readonly escalatedAt: Date | null },
  now: Date,
  t: WaitingThresholds,
): { remind: boolean; escalate: boolean } {
  const due = (hours: number) =>
    addBusinessHours(signOff.askedAt, hours, t.businessHours, t.timeZone).getTime() <= now.getTime();
  return {
    remind: signOff.remindedAt === null && due(t.remindAfterHours),
    escalate: signOff.escalatedAt === null && due(t.escalateAfterHours),
  };
}
