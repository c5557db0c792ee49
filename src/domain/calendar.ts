// Calendar days and zones. Calendar days are 'YYYY-MM-DD' strings; moments are UTC instants
// (Date); conversions between them happen here, with @date-fns/tz, and nowhere else.
import { TZDate } from '@date-fns/tz';
import { addDays as addDaysFns, differenceInCalendarDays, format, parseISO, startOfISOWeek } from 'date-fns';

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day in YYYY-MM-DD form (rejects 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Calendar arithmetic on plain days: no zone, no daylight-saving surprises. */
export function addDays(day: IsoDate, days: number): IsoDate {
  return format(addDaysFns(parseISO(day), days), 'yyyy-MM-dd');
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(parseISO(to), parseISO(from));
}

/** The calendar day an instant falls on in a zone. */
export function localDate(at: Date, timeZone: string): IsoDate {
  return format(new TZDate(at.getTime(), timeZone), 'yyyy-MM-dd');
}

/** The Monday of the ISO week containing a day (weeks start on Monday). */
export function weekStart(day: IsoDate): IsoDate {
  return format(startOfISOWeek(parseISO(day)), 'yyyy-MM-dd');
}

/** The instant a local wall-clock time happens on a day in a zone (DST-aware). */
export function zonedInstant(day: IsoDate, time: string, timeZone: string): Date {
  const key = `${timeZone}|${day}|${time}`;
  let at = zoned.get(key);
  if (at === undefined) {
    const m = ISO_DATE.exec(day);
    const [hh, mm] = time.split(':').map(Number);
    if (!m || hh === undefined || mm === undefined) throw new RangeError(`bad day or time: ${day} ${time}`);
    at = new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hh, mm, 0, 0, timeZone).getTime();
    if (zoned.size >= MAX_ZONED) zoned.clear();
    zoned.set(key, at);
  }
  return new Date(at);
}
/**
 * zonedInstant's answers: a zone's rules do not change while the process runs, and a TZDate costs
 * about 20 µs (the scoreboard's business-hours timeline asks for three instants a day of its
 * nine weeks at every digest and board).
 */
const zoned = new Map<string, number>();
const MAX_ZONED = 20_000;

/** Start of the local day in a zone, as an instant. */
export function startOfLocalDay(day: IsoDate, timeZone: string): Date {
  return zonedInstant(day, '00:00', timeZone);
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: IsoDate): number {
  const d = parseISO(day).getDay();
  return d === 0 ? 7 : d;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * "Tue 15 Dec 2026" (en-US, the default: day before month, unambiguous for every reader);
 * another locale gets its own words and order ("Di., 15. Dez. 2026" in de-DE).
 */
export function formatDay(day: IsoDate, locale = 'en-US'): string {
  if (!isIsoDate(day)) return day;
  if (locale === 'en-US') return format(parseISO(day), 'EEE d MMM yyyy');
  let f = dayFormats.get(locale);
  if (!f) {
    // A calendar day has no zone: format it as the UTC midnight it is written as.
    f = new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    dayFormats.set(locale, f);
  }
  return f.format(new Date(`${day}T00:00:00Z`));
}

/** "Mon 21 Dec": short, for a line that already says which year (parent message, lists). */
export function formatDayShort(day: IsoDate): string {
  return isIsoDate(day) ? format(parseISO(day), 'EEE d MMM') : day;
}
