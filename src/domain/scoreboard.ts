// The scoreboard: the six links of the chain (Sales, Execution, Quality, Finance, People,
// Leadership) and "Promises kept", each figure this week, the week before and its 8-week median,
// with an arrow when it moved by more than its usual spread; and "where to look", ranked.
// Pure: plain rows of nine weeks (this one and the eight before) come in, numbers come out. The
// weekly digest (digest.ts) keeps its flow figures; this file adds the links beside it.
//
// Definitions (README "Weekly digest" repeats them for readers):
// - Week: Monday 00:00 to Sunday 24:00 in the configured zone. "This week" is the digest's week.
//   A week that ended before the first request in the database has no data (not zeros).
// - 8-week median: the median of the figure over the eight weeks BEFORE this week (this week is
//   compared with it, so it is not part of it); weeks where the figure has no value (nothing to
//   measure) are left out. Null when none of the eight has a value.
// - Usual spread: the median absolute deviation (MAD) of those same weeks around their median.
// - Arrow: shown when at least MIN_HISTORY_WEEKS (4) of the eight weeks have a value and
//   |this week − median| > SPREAD_FACTOR (2) × max(MAD, the unit's floor). The floor keeps a
//   figure that never varied from "moving" on a single request: 1 for counts, 5 points for
//   percentages, 2 days, 2 hours, 0.1 for ratios, 10% of the median for money.
// - Discount given away: for each request submitted in the week with discount d% (< 100), its
//   list value is value / (1 − d/100), so the discount in money is value × d / (100 − d), rounded
//   to the minor unit; summed over the week.
// - Promise outcomes are "as known when the digest is built" (deliveries recorded later for a
//   past week count for it): a promise due in the week (promised day in the week, not cancelled)
//   is on time in full when its whole quantity was delivered on or before the promised day; late
//   when delivered in full after it (slip days = last delivery day − promised day); part-delivered
//   when some but not all was delivered and the promised day has passed; open past due when
//   nothing was delivered and the promised day has passed; otherwise not yet judged. OTIF % =
//   on time in full ÷ judged (the four outcomes), rounded to a whole percent.

import type { BusinessHours } from './business-hours.js';
import { businessTimeline, HOUR_MS } from './business-hours.js';
import type { IsoDate } from './calendar.js';
import type { CapacitySection } from './digest.js';
import { median, weekBounds } from './digest.js';

export const LINKS = ['sales', 'execution', 'quality', 'finance', 'people', 'leadership'] as const;
export type LinkId = (typeof LINKS)[number];
export const LINK_LABELS: Readonly<Record<LinkId, string>> = {
  sales: 'Sales',
  execution: 'Execution',
  quality: 'Quality',
  finance: 'Finance',
  people: 'People',
  leadership: 'Leadership',
};

/**
 * Each link's headline figure: the one App Home's board shows and the chart draws for the link
 * (OTIF % by week for Execution).
 */
export const HEADLINE: Readonly<Record<LinkId, string>> = {
  sales: 'sales.requests_in',
  execution: 'execution.otif',
  quality: 'quality.issues_per_delivered',
  finance: 'finance.avg_terms',
  people: 'people.busiest_share',
  leadership: 'leadership.escalations',
};

/** The headline figure of a link, or undefined when the scoreboard lacks it. */
export function headlineOf(sb: Pick<Scoreboard, 'links'>, link: LinkId): Figure | undefined {
  return sb.links.find((l) => l.id === link)?.figures.find((f) => f.id === HEADLINE[link]);
}

/** Weeks of history read: this week and the eight before. */
export const HISTORY_WEEKS = 8;
export const MIN_HISTORY_WEEKS = 4;
export const SPREAD_FACTOR = 2;
/** Business days a promise is "at risk in the next 2 weeks": its promised day in the 14 days after the week. */
export const AT_RISK_DAYS = 14;
/** Payment terms a request carries when the seller changes nothing (the request form's default). */
export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

export type Unit = 'count' | 'percent' | 'money' | 'days' | 'hours' | 'ratio';

/** The unit's floor under the usual spread (see the header). */
export function spreadFloor(unit: Unit, med: number): number {
  switch (unit) {
    case 'count':
      return 1;
    case 'percent':
      return 5;
    case 'days':
    case 'hours':
      return 2;
    case 'ratio':
      return 0.1;
    case 'money':
      return Math.max(1, Math.abs(med) * 0.1);
  }
}

/** Median absolute deviation around the median; null for no values. */
export function mad(values: readonly number[]): number | null {
  const m = median(values);
  if (m === null) return null;
  return median(values.map((v) => Math.abs(v - m)));
}

export type Arrow = 'up' | 'down' | null;

/** This week against the eight before: the median, the usual spread and the arrow (see the header). */
export function baseline(
  thisWeek: number | null,
  before: readonly (number | null)[],
  unit: Unit,
): { median8w: number | null; spread: number | null; arrow: Arrow } {
  const values = before.filter((v): v is number => v !== null);
  const m = median(values);
  const spread = mad(values);
  if (thisWeek === null || m === null || spread === null || values.length < MIN_HISTORY_WEEKS) {
    return { median8w: m, spread, arrow: null };
  }
  const moved = Math.abs(thisWeek - m) > SPREAD_FACTOR * Math.max(spread, spreadFloor(unit, m));
  return { median8w: m, spread, arrow: moved ? (thisWeek > m ? 'up' : 'down') : null };
}

// ---------------------------------------------------------------------------------------------
// Input: plain rows, one set per week, and the promises the window touches (or their facts per week).

/** A request submitted in a week, with what the links read of it. */
export interface ScoreRequest {
  readonly id: number;
  readonly productLineId: string;
  readonly valueMinor: number;
  readonly deliveryDate: IsoDate;
  readonly createdAt: Date;
  readonly paymentTermsDays: number;
  readonly discountPercent: number;
  /** Function ids of the sign-offs it was asked for (asked when it was submitted). */
  readonly functions: readonly string[];
  /** A revision was recorded on it (request.revised), at any time. */
  readonly revised: boolean;
}

/** The event types the scoreboard reads. */
export const SCORE_EVENT_TYPES = [
  'request.approved',
  'request.overridden',
  'signoff.approved',
  'signoff.rejected',
  'signoff.date_proposed',
  'signoff.escalated',
] as const;

export interface ScoreEvent {
  readonly requestId: number;
  readonly type: string;
  readonly actorId: string | null;
  readonly at: Date;
  /** The function of the sign-off the event names (null when it names none). */
  readonly functionId: string | null;
  /** The request's value. */
  readonly valueMinor: number;
  /** signoff.approved: the approval completed the sign-off. */
  readonly complete: boolean;
  /** signoff.approved {overCapacity: true} (issue 16). */
  readonly overCapacity: boolean;
  /** request.approved {fastLane: true} (issue 16). */
  readonly fastLane: boolean;
  /** request.approved {override: true}: recorded beside request.overridden. */
  readonly override: boolean;
  /** signoff.approved with conditions. */
  readonly withConditions: boolean;
  /** When the sign-off the event names was decided (escalations: time to answer). */
  readonly signOffDecidedAt: Date | null;
}

/**
 * A week's events as the links read them: those alike in every field a figure reads, counted;
 * and the instants of the few figures that measure time. The database answers these grouped
 * (db/digest-repo.ts scoreEventFacts) rather than row by row; eventFactsOf groups rows alike.
 */
export interface ScoreEventFacts {
  readonly groups: readonly ScoreEventGroup[];
  /** When each act of an owner happened (a sign-off approved, rejected or a date proposed, by someone), ms. */
  readonly actTimes: readonly number[];
  /** Each escalation: when, and when the sign-off it names was decided. */
  readonly escalations: readonly { readonly at: Date; readonly signOffDecidedAt: Date | null }[];
}

/** Events alike in type, actor, function and flags (see ScoreEvent), with their count and value. */
export interface ScoreEventGroup {
  readonly type: string;
  readonly actorId: string | null;
  readonly functionId: string | null;
  readonly complete: boolean;
  readonly overCapacity: boolean;
  readonly fastLane: boolean;
  readonly override: boolean;
  readonly withConditions: boolean;
  readonly count: number;
  /** The sum of their requests' values. */
  readonly valueMinor: number;
}

/** Owner acts: every act of an owner on a sign-off is load (each approval, rejection, date proposed). */
export const ACT_TYPES: readonly string[] = ['signoff.approved', 'signoff.rejected', 'signoff.date_proposed'];

/** The facts of a week's event rows: the same figures follow from either. */
export function eventFactsOf(events: readonly ScoreEvent[]): ScoreEventFacts {
  const groups = new Map<string, { -readonly [K in keyof ScoreEventGroup]: ScoreEventGroup[K] }>();
  const actTimes: number[] = [];
  const escalations: ScoreEventFacts['escalations'][number][] = [];
  for (const e of events) {
    if (e.type === 'signoff.escalated') {
      escalations.push({ at: e.at, signOffDecidedAt: e.signOffDecidedAt });
      continue;
    }
    if (e.actorId !== null && ACT_TYPES.includes(e.type)) actTimes.push(e.at.getTime());
    const key = JSON.stringify([
      e.type,
      e.actorId,
      e.functionId,
      e.complete,
      e.overCapacity,
      e.fastLane,
      e.override,
      e.withConditions,
    ]);
    const g = groups.get(key);
    if (g) {
      g.count++;
      g.valueMinor += e.valueMinor;
    } else {
      groups.set(key, {
        type: e.type,
        actorId: e.actorId,
        functionId: e.functionId,
        complete: e.complete,
        overCapacity: e.overCapacity,
        fastLane: e.fastLane,
        override: e.override,
        withConditions: e.withConditions,
        count: 1,
        valueMinor: e.valueMinor,
      });
    }
  }
  return { groups: [...groups.values()], actTimes, escalations };
}

export interface ScoreWeekRows {
  /** The Monday. */
  readonly weekStart: IsoDate;
  /**
   * False for a week that ended before the first request the database holds (the bot was not in
   * use yet): every figure of it is "no data", so a new install's first weeks are not compared
   * with zeros.
   */
  readonly inUse?: boolean;
  readonly submitted: readonly ScoreRequest[];
  /** Events of SCORE_EVENT_TYPES that happened in the week (read when `eventFacts` is absent). */
  readonly events: readonly ScoreEvent[];
  /** The same events as facts (see ScoreEventFacts); when present, `events` is not read. */
  readonly eventFacts?: ScoreEventFacts;
}

/** A promise as the scoreboard reads it: a structural subset of CommitPromise (domain/promise.ts). */
export interface ScorePromise {
  readonly requestId: number;
  readonly productLineId: string;
  readonly quantity: number;
  readonly valueMinor: number;
  readonly paymentTermsDays: number;
  readonly promisedOn: IsoDate;
  readonly clearedVia: 'signoffs' | 'no_signoff_needed' | 'override' | 'fast_lane';
  readonly deliveries: readonly { readonly deliveredOn: IsoDate; readonly quantity: number }[];
  readonly slips: readonly { readonly expectedOn: IsoDate; readonly at: Date }[];
  readonly issues: readonly { readonly reportedOn: IsoDate }[];
  readonly payments: readonly { readonly paidOn: IsoDate; readonly amountMinor: number }[];
  readonly cancellation: { readonly at: Date } | null;
}

/** Outcomes in the order their codes are counted in (the database answers each as its index). */
export const OUTCOMES = [
  'on_time_in_full',
  'late',
  'partly_delivered',
  'open_past_due',
  'not_yet_judged',
] as const;

/**
 * Live promises due in a week alike in product line, clearance, outcome (as known today: every
 * week judges with the same day) and slip days (late ones only; null otherwise), counted.
 */
export interface PromiseDueGroup {
  readonly productLineId: string;
  readonly clearedVia: ScorePromise['clearedVia'];
  readonly outcome: Outcome;
  readonly slipDays: number | null;
  readonly count: number;
}

/** One week's promise figures that are counts or sums (see promiseValues for each definition). */
export interface PromiseWeekFacts {
  readonly due: readonly PromiseDueGroup[];
  /** Live promises whose delivery completing them fell in the week. */
  readonly deliveredInFull: number;
  /** Quality issues reported in the week on live promises. */
  readonly issues: number;
  /** The value of live promises whose payment falls due in the week. */
  readonly paymentsDueMinor: number;
  /** Payments received in the week on live promises. */
  readonly receivedMinor: number;
  /** Still unpaid past terms at the week's end (or today, if sooner). */
  readonly overdueMinor: number;
}

/**
 * A live promise promised in the two weeks after one of the weeks, with a slip recorded that
 * expects it after its promised day: the only promises that can be at risk (see promiseValues).
 */
export interface AtRiskCandidate {
  readonly requestId: number;
  readonly promisedOn: IsoDate;
  readonly fullDeliveryDay: IsoDate | null;
  /** In the order recorded. */
  readonly slips: readonly { readonly expectedOn: IsoDate; readonly at: Date }[];
}

/** The promises of a window as the scoreboard's figures read them, one week per Monday given. */
export interface PromiseFacts {
  readonly weeks: readonly PromiseWeekFacts[];
  /** Ordered by request id. */
  readonly atRisk: readonly AtRiskCandidate[];
}

/** Due groups in one order (line, clearance, outcome, slip), so that facts compare equal. */
export function sortDueGroups(groups: PromiseDueGroup[]): PromiseDueGroup[] {
  const key = (g: PromiseDueGroup) =>
    [g.productLineId, g.clearedVia, OUTCOMES.indexOf(g.outcome as (typeof OUTCOMES)[number])] as const;
  return groups.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < x.length; i++) {
      const u = x[i] as string | number;
      const v = y[i] as string | number;
      if (u !== v) return u < v ? -1 : 1;
    }
    return (a.slipDays ?? -Infinity) - (b.slipDays ?? -Infinity);
  });
}

/**
 * The facts of the promises a window touches, for the weeks starting on `mondays` (consecutive),
 * judged as known on `today`: the same figures follow from either these or the rows.
 */
export function promiseFactsOf(
  promises: readonly ScorePromise[],
  mondays: readonly IsoDate[],
  today: IsoDate,
): PromiseFacts {
  const index = indexPromises(promises, today);
  const weeks = mondays.map((monday): PromiseWeekFacts => {
    const sunday = plusDays(monday, 6);
    const week = weekKey(monday);
    const groups = new Map<string, { -readonly [K in keyof PromiseDueGroup]: PromiseDueGroup[K] }>();
    for (const p of index.dueByWeek.get(week) ?? []) {
      const { outcome, slipDays } = index.outcome(p);
      const slip = outcome === 'late' ? slipDays : null;
      const key = JSON.stringify([p.productLineId, p.clearedVia, outcome, slip]);
      const g = groups.get(key);
      if (g) g.count++;
      else
        groups.set(key, {
          productLineId: p.productLineId,
          clearedVia: p.clearedVia,
          outcome,
          slipDays: slip,
          count: 1,
        });
    }
    let overdue = 0;
    const overdueCutoff = earlierDay(today, plusDays(sunday, 1));
    for (const { p, dueOn, paidInFullOn } of index.payable) {
      // Overdue past terms at the week's end: the due day has passed and value is still unpaid
      // (nothing is when its payments had added up to the value before the cutoff).
      if (dueOn < overdueCutoff && !(paidInFullOn !== null && paidInFullOn < overdueCutoff)) {
        let paid = 0;
        for (const x of p.payments) if (x.paidOn < overdueCutoff) paid += x.amountMinor;
        if (paid < p.valueMinor) overdue += p.valueMinor - paid;
      }
    }
    return {
      due: sortDueGroups([...groups.values()]),
      deliveredInFull: index.deliveredInFullByWeek.get(week) ?? 0,
      issues: index.issuesByWeek.get(week) ?? 0,
      paymentsDueMinor: index.paymentsDueByWeek.get(week) ?? 0,
      receivedMinor: index.receivedByWeek.get(week) ?? 0,
      overdueMinor: overdue,
    };
  });
  const firstMonday = mondays[0];
  const lastMonday = mondays[mondays.length - 1];
  const atRisk: AtRiskCandidate[] = [];
  if (firstMonday !== undefined && lastMonday !== undefined) {
    const riskFrom = plusDays(firstMonday, 7);
    const riskTo = plusDays(lastMonday, 6 + AT_RISK_DAYS);
    for (const p of promises) {
      if (p.cancellation !== null || p.promisedOn < riskFrom || p.promisedOn > riskTo) continue;
      if (!p.slips.some((x) => x.expectedOn > p.promisedOn)) continue;
      atRisk.push({
        requestId: p.requestId,
        promisedOn: p.promisedOn,
        fullDeliveryDay: fullDeliveryDay(p),
        slips: p.slips,
      });
    }
    atRisk.sort((a, b) => a.requestId - b.requestId);
  }
  return { weeks, atRisk };
}

export interface ScoreboardInput {
  /** This week's Monday. */
  readonly weekStart: IsoDate;
  readonly timeZone: string;
  readonly businessHours: BusinessHours;
  readonly asOf: Date;
  /** The local day of asOf. */
  readonly today: IsoDate;
  /** Nine weeks, oldest first; the last is this week. */
  readonly weeks: readonly ScoreWeekRows[];
  /** Every promise due in the window or the 2 weeks after it, or paid, reported on or due for payment in it. */
  readonly promises: readonly ScorePromise[];
  /**
   * The same promises as facts per week of `weeks` (see PromiseFacts); when present, `promises`
   * is not read. The database answers these counted (db/digest-repo.ts promiseFacts).
   */
  readonly promiseFacts?: PromiseFacts;
  readonly productLines: readonly {
    readonly id: string;
    readonly name: string;
    readonly leadTimeDays: number;
  }[];
  readonly functions: readonly {
    readonly id: string;
    readonly label: string;
    readonly owners: readonly string[];
    readonly approvals: number;
  }[];
  readonly defaultPaymentTermsDays: number;
  /** The function that confirms deliveries (promises.confirmed_by, default operations). */
  readonly executionFunction: string;
  readonly qualityFunction: string;
  readonly peopleFunction: string;
  /** The load per product line over the whole capacity horizon (this week on). */
  readonly capacity?: CapacitySection;
}

// ---------------------------------------------------------------------------------------------
// Output.

export interface Figure {
  /** Stable id, e.g. "sales.requests_in" or "sales.requests_in.widgets" (CSV's `figure`). */
  readonly id: string;
  readonly link: LinkId | 'promises_kept';
  readonly label: string;
  readonly unit: Unit;
  readonly thisWeek: number | null;
  readonly lastWeek: number | null;
  readonly median8w: number | null;
  readonly spread: number | null;
  readonly arrow: Arrow;
  /** Oldest first, nine weeks; the last is this week. Empty for a figure known only now. */
  readonly history: readonly (number | null)[];
  /** Who or what the figure names (the busiest owner, …). */
  readonly detail?: string;
}

export interface PromisesKept {
  readonly due: number;
  readonly onTimeInFull: number;
  readonly late: number;
  readonly slipDaysMedian: number | null;
  readonly slipDaysWorst: number | null;
  readonly partlyDelivered: number;
  readonly openPastDue: number;
  readonly notYetJudged: number;
  readonly otifPct: number | null;
  readonly otifMedian8w: number | null;
  readonly byProductLine: readonly {
    readonly id: string;
    readonly name: string;
    readonly judged: number;
    readonly otifPct: number | null;
    readonly median8w: number | null;
  }[];
  readonly atRiskNext2Weeks: readonly {
    readonly requestId: number;
    readonly promisedOn: IsoDate;
    readonly expectedOn: IsoDate;
  }[];
  /** By how the promise was cleared: counts of judged promises due this week and their OTIF. */
  readonly byClearance: {
    readonly signedOff: { readonly judged: number; readonly otifPct: number | null };
    readonly overridden: { readonly judged: number; readonly otifPct: number | null };
    readonly fastLane: { readonly judged: number; readonly otifPct: number | null };
  };
  readonly deliveredInFull: number;
  readonly qualityIssues: number;
  readonly issuesPerDelivered: number | null;
  readonly paymentsDueMinor: number;
  readonly paymentsReceivedMinor: number;
  readonly paymentsOverdueMinor: number;
}

export interface OverbookedWeek {
  readonly productLineId: string;
  readonly name: string;
  readonly weekStart: IsoDate;
  readonly load: number;
  readonly capacity: number;
  /** null: booked against a capacity of 0. */
  readonly percent: number | null;
}

export type FindingRule = 'inflow_vs_execution' | 'one_owner' | 'terms_drift' | 'overbooked' | 'otif_drop';

/** A measured imbalance: data; describeFinding turns it into the sentence. */
export interface Finding {
  readonly rule: FindingRule;
  /** The link to act on. */
  readonly link: LinkId;
  /** How many times its threshold the imbalance is (≥ 1): the ranking key. */
  readonly magnitude: number;
  readonly facts: Readonly<Record<string, string | number | null>>;
}

export interface LinkBoard {
  readonly id: LinkId;
  readonly label: string;
  readonly figures: readonly Figure[];
}

export interface Scoreboard {
  readonly weekStart: IsoDate;
  readonly links: readonly LinkBoard[];
  readonly promisesKept: PromisesKept;
  /** Every figure of Promises kept, with history, for the export. */
  readonly promiseFigures: readonly Figure[];
  readonly overCapacity: {
    readonly count: number;
    readonly valueMinor: number;
    readonly byActor: readonly {
      readonly actorId: string;
      readonly count: number;
      readonly valueMinor: number;
    }[];
  };
  readonly overbooked: readonly OverbookedWeek[];
  /** Functions whose quorum falls when any one owner is away: nobody stands in. */
  readonly noStandIn: readonly { readonly id: string; readonly label: string }[];
  /** Ranked, biggest first, at most MAX_FINDINGS. */
  readonly findings: readonly Finding[];
}

// ---------------------------------------------------------------------------------------------
// Where-to-look thresholds (README "Where to look" documents each).

export const SCORE_THRESHOLDS = {
  /** Inflow count at least this % over its 8-week median… */
  inflowUpPct: 30,
  /** …with a median of at least this many requests… */
  inflowMinMedian: 5,
  /** …while the execution function's decisions rose less than this share of inflow's rise. */
  executionKeepsUpShare: 0.5,
  /** One owner made at least this % of the week's sign-off decisions… */
  busiestSharePct: 60,
  /** …of at least this many decisions, with at least two owners who could decide. */
  busiestMinDecisions: 5,
  /** Value-weighted payment terms at least this many days over their 8-week median (or 2 × MAD)… */
  termsDriftDays: 5,
  /** …with at least this many requests this week, and above the default terms. */
  termsMinRequests: 3,
  /** A product line's OTIF at least this many points under its own 8-week median… */
  otifDropPoints: 15,
  /** …with at least this many judged promises of that line this week. */
  otifMinJudged: 3,
} as const;
export const MAX_FINDINGS = 5;

// ---------------------------------------------------------------------------------------------
// Small pure helpers.

// Day arithmetic without Date objects: the scoreboard works out tens of thousands of days per
// digest (each promise's delivered-in-full and payment-due day, the week of every fact). Days are
// counted from 1970-01-01 with the proleptic Gregorian calendar, as Date.UTC counts them
// (H. Hinnant's days_from_civil / civil_from_days); anything but a plain "YYYY-MM-DD" of years
// 1000-9999 goes through Date as before (Date.UTC reads years 0-99 as 1900-1999).
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const isDigit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};
/** Days since 1970-01-01 of a "YYYY-MM-DD" day (as Date.UTC would count them). */
export function dayNumber(d: IsoDate): number {
  if (
    d.length === 10 &&
    d.charCodeAt(4) === 45 &&
    d.charCodeAt(7) === 45 &&
    isDigit(d, 0) &&
    isDigit(d, 1) &&
    isDigit(d, 2) &&
    isDigit(d, 3) &&
    isDigit(d, 5) &&
    isDigit(d, 6) &&
    isDigit(d, 8) &&
    isDigit(d, 9)
  ) {
    const m = digit(d, 5) * 10 + digit(d, 6);
    const day = digit(d, 8) * 10 + digit(d, 9);
    if (m >= 1 && m <= 12 && day >= 1 && day <= 31 && d.charCodeAt(0) !== 48) {
      const y = digit(d, 0) * 1000 + digit(d, 1) * 100 + digit(d, 2) * 10 + digit(d, 3) - (m <= 2 ? 1 : 0);
      const era = Math.floor(y / 400);
      const yoe = y - era * 400;
      const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1;
      const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
      return era * 146_097 + doe - 719_468;
    }
  }
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
}
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/** The "YYYY-MM-DD" of a day number (the inverse of dayNumber). */
export function dayOfNumber(z: number): IsoDate {
  // Years 1000-9999 only (toISOString writes years past 9999 with a sign and six digits).
  if (Number.isInteger(z) && z >= -354_285 && z <= 2_932_896) {
    const x = z + 719_468;
    const era = Math.floor(x / 146_097);
    const doe = x - era * 146_097;
    const yoe = Math.floor(
      (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return `${y}-${pad2(m)}-${pad2(d)}`;
  }
  return new Date(z * 86_400_000).toISOString().slice(0, 10);
}
/** Calendar days from one day to another. */
export const dayDiff = (from: IsoDate, to: IsoDate): number => Math.round(dayNumber(to) - dayNumber(from));
/** A day plus n days, without parsing through date-fns (the scoreboard adds thousands). */
export function plusDays(day: IsoDate, n: number): IsoDate {
  return dayOfNumber(dayNumber(day) + n);
}
/** The earlier of two days. */
export const earlierDay = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b);

/**
 * The promises the scoreboard reads for the consecutive weeks starting on `mondays`, judged on
 * `today` (services/ports.ts PromiseWindow): promised in them or the AT_RISK_DAYS after, touched
 * in them, or unpaid past terms before the last week's overdue cutoff.
 */
export function promiseWindowOf(
  mondays: readonly IsoDate[],
  today: IsoDate,
): { from: IsoDate; to: IsoDate; atRiskTo: IsoDate; overdueBefore: IsoDate } {
  const first = mondays[0];
  const last = mondays[mondays.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('promiseWindowOf: no week');
  const sunday = plusDays(last, 6);
  return {
    from: first,
    to: sunday,
    atRiskTo: plusDays(sunday, AT_RISK_DAYS),
    overdueBefore: earlierDay(plusDays(sunday, 1), today),
  };
}

/** The promised days (inclusive) whose promises can be at risk in one of those weeks (AtRiskCandidate). */
export function atRiskRangeOf(mondays: readonly IsoDate[]): { from: IsoDate; to: IsoDate } {
  const first = mondays[0];
  const last = mondays[mondays.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('atRiskRangeOf: no week');
  return { from: plusDays(first, 7), to: plusDays(last, 6 + AT_RISK_DAYS) };
}
const pct = (part: number, whole: number): number | null => (whole ? Math.round((part / whole) * 100) : null);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The money a discount gives away: value × d / (100 − d), rounded to the minor unit (see the header). */
export function discountGivenMinor(valueMinor: number, discountPercent: number): number {
  if (discountPercent <= 0 || discountPercent >= 100) return 0;
  return Math.round((valueMinor * discountPercent) / (100 - discountPercent));
}

// A promise's delivered-in-full day is asked for every week and figure: worked out once per
// promise object (rows are immutable values, so the memo never goes stale).
const fullDayMemo = new WeakMap<ScorePromise, IsoDate | null>();

/** The day the whole quantity was delivered (the last delivery that completed it), or null. */
export function fullDeliveryDay(p: ScorePromise, upTo?: IsoDate): IsoDate | null {
  if (upTo === undefined) {
    const known = fullDayMemo.get(p);
    if (known !== undefined) return known;
    const day = fullDeliveryDayUpTo(p, undefined);
    fullDayMemo.set(p, day);
    return day;
  }
  return fullDeliveryDayUpTo(p, upTo);
}

function fullDeliveryDayUpTo(p: ScorePromise, upTo: IsoDate | undefined): IsoDate | null {
  if (p.deliveries.length === 1) {
    const only = p.deliveries[0] as ScorePromise['deliveries'][number];
    return only.quantity >= p.quantity && (upTo === undefined || only.deliveredOn <= upTo)
      ? only.deliveredOn
      : null;
  }
  const ds = [...p.deliveries]
    .filter((d) => upTo === undefined || d.deliveredOn <= upTo)
    .sort((a, b) => (a.deliveredOn < b.deliveredOn ? -1 : a.deliveredOn > b.deliveredOn ? 1 : 0));
  let sum = 0;
  for (const d of ds) {
    sum += d.quantity;
    if (sum >= p.quantity) return d.deliveredOn;
  }
  return null;
}

/** Delivered in full + the payment terms (as domain/promise.ts paymentDueOn); asked once per promise. */
function paymentDueDay(p: ScorePromise, full: IsoDate): IsoDate {
  return plusDays(full, p.paymentTermsDays);
}

export type Outcome = 'on_time_in_full' | 'late' | 'partly_delivered' | 'open_past_due' | 'not_yet_judged';

/** A promise's outcome as known on `today` (see the header). */
export function outcomeOf(p: ScorePromise, today: IsoDate): { outcome: Outcome; slipDays: number | null } {
  const full = fullDeliveryDay(p);
  if (full !== null) {
    return full <= p.promisedOn
      ? { outcome: 'on_time_in_full', slipDays: 0 }
      : { outcome: 'late', slipDays: dayDiff(p.promisedOn, full) };
  }
  if (p.promisedOn >= today) return { outcome: 'not_yet_judged', slipDays: null };
  const delivered = p.deliveries.reduce((s, d) => s + d.quantity, 0);
  return { outcome: delivered > 0 ? 'partly_delivered' : 'open_past_due', slipDays: null };
}

// ---------------------------------------------------------------------------------------------
// One week's figures.

interface WeekContext {
  readonly input: ScoreboardInput;
  readonly leadTime: ReadonlyMap<string, number>;
  /** Whether the millisecond before instant `t` (ms) was working time: an act at `t` was in hours. */
  readonly inBusinessHoursMs: (t: number) => boolean;
  readonly businessHoursBetween: (from: Date, to: Date) => number;
  readonly dayOf: (at: Date) => IsoDate;
  /** Each week's end (the next Monday 00:00 local) as an instant. */
  readonly weekEnds: ReadonlyMap<IsoDate, Date>;
  readonly promises: PromiseFacts;
}

type Values = Map<string, number | null>;

/** The ISO week a day falls in, as a number (its Monday's day number; 1970-01-01 was a Thursday). */
const weekKey = (day: IsoDate): number => {
  const n = Math.round(dayNumber(day));
  return n - ((((n + 3) % 7) + 7) % 7);
};

/**
 * The live promises sorted once into the weeks each fact falls in, so that each of the nine
 * weeks reads its own bucket instead of walking every promise again.
 */
interface PromiseIndex {
  /** Live promises by the week they are due in (input order kept). */
  readonly dueByWeek: ReadonlyMap<number, readonly ScorePromise[]>;
  readonly deliveredInFullByWeek: ReadonlyMap<number, number>;
  readonly issuesByWeek: ReadonlyMap<number, number>;
  readonly receivedByWeek: ReadonlyMap<number, number>;
  readonly paymentsDueByWeek: ReadonlyMap<number, number>;
  /**
   * Live promises delivered in full, with the day their payment falls due and the day their
   * payments (in day order) reached the value, null while they have not.
   */
  readonly payable: readonly {
    readonly p: ScorePromise;
    readonly dueOn: IsoDate;
    readonly paidInFullOn: IsoDate | null;
  }[];
  /** Each promise's outcome as known today: every week judges with the same day (input.today). */
  readonly outcome: (p: ScorePromise) => { outcome: Outcome; slipDays: number | null };
}

/**
 * The day a promise's payments, taken in day order, first add up to its value (null: not yet, or
 * a payment is not positive, so a later one could take the sum back under).
 */
function paidInFullDay(p: ScorePromise): IsoDate | null {
  if (!p.payments.length || p.payments.some((x) => !(x.amountMinor > 0))) return null;
  const ps =
    p.payments.length === 1
      ? p.payments
      : [...p.payments].sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
  let sum = 0;
  for (const x of ps) {
    sum += x.amountMinor;
    if (sum >= p.valueMinor) return x.paidOn;
  }
  return null;
}

function indexPromises(promises: readonly ScorePromise[], today: IsoDate): PromiseIndex {
  const dueByWeek = new Map<number, ScorePromise[]>();
  const deliveredInFullByWeek = new Map<number, number>();
  const issuesByWeek = new Map<number, number>();
  const receivedByWeek = new Map<number, number>();
  const paymentsDueByWeek = new Map<number, number>();
  const payable: { p: ScorePromise; dueOn: IsoDate; paidInFullOn: IsoDate | null }[] = [];
  const add = (m: Map<number, number>, day: IsoDate, n: number) => {
    const k = weekKey(day);
    m.set(k, (m.get(k) ?? 0) + n);
  };
  for (const p of promises) {
    if (p.cancellation !== null) continue;
    const k = weekKey(p.promisedOn);
    const list = dueByWeek.get(k);
    if (list) list.push(p);
    else dueByWeek.set(k, [p]);
    const full = fullDeliveryDay(p);
    if (full !== null) add(deliveredInFullByWeek, full, 1);
    for (const i of p.issues) add(issuesByWeek, i.reportedOn, 1);
    for (const pay of p.payments) add(receivedByWeek, pay.paidOn, pay.amountMinor);
    if (full !== null) {
      const dueOn = paymentDueDay(p, full);
      add(paymentsDueByWeek, dueOn, p.valueMinor);
      payable.push({ p, dueOn, paidInFullOn: paidInFullDay(p) });
    }
  }
  const outcomes = new Map<ScorePromise, { outcome: Outcome; slipDays: number | null }>();
  const outcome = (p: ScorePromise) => {
    let o = outcomes.get(p);
    if (!o) {
      o = outcomeOf(p, today);
      outcomes.set(p, o);
    }
    return o;
  };
  return {
    dueByWeek,
    deliveredInFullByWeek,
    issuesByWeek,
    receivedByWeek,
    paymentsDueByWeek,
    payable,
    outcome,
  };
}

function promiseValues(ctx: WeekContext, index: number, monday: IsoDate, out: Values): PromisesKept {
  const { input } = ctx;
  const sunday = plusDays(monday, 6);
  // A week's outcomes are judged as known now, but never "past due" before the week has passed.
  const today = input.today;
  const facts = ctx.promises.weeks[index];
  if (!facts) throw new RangeError('computeScoreboard: promise facts for every week are needed');
  let onTime = 0;
  let late = 0;
  let partly = 0;
  let openPastDue = 0;
  let notYet = 0;
  let dueCount = 0;
  const slips: number[] = [];
  for (const g of facts.due) {
    dueCount += g.count;
    if (g.outcome === 'on_time_in_full') onTime += g.count;
    else if (g.outcome === 'late') {
      late += g.count;
      if (g.slipDays !== null) for (let i = 0; i < g.count; i++) slips.push(g.slipDays);
    } else if (g.outcome === 'partly_delivered') partly += g.count;
    else if (g.outcome === 'open_past_due') openPastDue += g.count;
    else notYet += g.count;
  }
  const judged = onTime + late + partly + openPastDue;
  const otif = pct(onTime, judged);
  const otifOfGroups = (which: (g: PromiseDueGroup) => boolean) => {
    let n = 0;
    let kept = 0;
    for (const g of facts.due) {
      if (g.outcome === 'not_yet_judged' || !which(g)) continue;
      n += g.count;
      if (g.outcome === 'on_time_in_full') kept += g.count;
    }
    return { judged: n, otifPct: pct(kept, n) };
  };
  const byLine = input.productLines.map((l) => {
    const o = otifOfGroups((g) => g.productLineId === l.id);
    out.set(`promises_kept.otif.${l.id}`, o.otifPct);
    out.set(`promises_kept.judged.${l.id}`, o.judged);
    return { id: l.id, name: l.name, judged: o.judged, otifPct: o.otifPct, median8w: null };
  });
  // At risk: promised in the 14 days after the week, not delivered in full by the week's end (or
  // today, if sooner), with a slip recorded by then that expects it after the promised day.
  const cutoff = earlierDay(today, sunday);
  const atRisk: PromisesKept['atRiskNext2Weeks'][number][] = [];
  const riskFrom = plusDays(sunday, 1);
  const riskTo = plusDays(sunday, AT_RISK_DAYS);
  for (const p of ctx.promises.atRisk) {
    if (p.promisedOn < riskFrom || p.promisedOn > riskTo) continue;
    // Delivered in full by the cutoff: the deliveries up to a day are a prefix of them all in
    // day order, so the day the whole quantity arrived is the same, or it had not by then.
    const full = p.fullDeliveryDay;
    if (full !== null && full <= cutoff) continue;
    const known = p.slips.filter((s) => ctx.dayOf(s.at) <= cutoff);
    const last = known[known.length - 1];
    if (last && last.expectedOn > p.promisedOn) {
      atRisk.push({ requestId: p.requestId, promisedOn: p.promisedOn, expectedOn: last.expectedOn });
    }
  }
  atRisk.sort((a, b) =>
    a.promisedOn < b.promisedOn ? -1 : a.promisedOn > b.promisedOn ? 1 : a.requestId - b.requestId,
  );
  const via = (which: readonly ScorePromise['clearedVia'][]) =>
    otifOfGroups((g) => which.includes(g.clearedVia));
  const signedOff = via(['signoffs', 'no_signoff_needed']);
  const overridden = via(['override']);
  const fastLane = via(['fast_lane']);
  // Delivered in full in the week: the delivery that completed it fell in the week.
  const deliveredInFull = facts.deliveredInFull;
  const issues = facts.issues;
  const paymentsDue = facts.paymentsDueMinor;
  const received = facts.receivedMinor;
  const overdue = facts.overdueMinor;
  const issuesPer = deliveredInFull ? round2(issues / deliveredInFull) : null;
  const kept: PromisesKept = {
    due: dueCount,
    onTimeInFull: onTime,
    late,
    slipDaysMedian: median(slips),
    slipDaysWorst: slips.length ? Math.max(...slips) : null,
    partlyDelivered: partly,
    openPastDue,
    notYetJudged: notYet,
    otifPct: otif,
    otifMedian8w: null,
    byProductLine: byLine,
    atRiskNext2Weeks: atRisk,
    byClearance: { signedOff, overridden, fastLane },
    deliveredInFull,
    qualityIssues: issues,
    issuesPerDelivered: issuesPer,
    paymentsDueMinor: paymentsDue,
    paymentsReceivedMinor: received,
    paymentsOverdueMinor: overdue,
  };
  const set = (id: string, v: number | null) => out.set(`promises_kept.${id}`, v);
  set('due', kept.due);
  set('on_time_in_full', onTime);
  set('late', late);
  set('slip_days_median', kept.slipDaysMedian);
  set('slip_days_worst', kept.slipDaysWorst);
  set('partly_delivered', partly);
  set('open_past_due', openPastDue);
  set('otif', otif);
  set('at_risk_2w', atRisk.length);
  set('signed_off', signedOff.judged);
  set('signed_off_otif', signedOff.otifPct);
  set('overridden', overridden.judged);
  set('overridden_otif', overridden.otifPct);
  set('fast_lane', fastLane.judged);
  set('fast_lane_otif', fastLane.otifPct);
  set('delivered_in_full', deliveredInFull);
  set('quality_issues', issues);
  set('issues_per_delivered', issuesPer);
  set('payments_due', paymentsDue);
  set('payments_received', received);
  set('payments_overdue', overdue);
  return kept;
}

interface WeekExtras {
  readonly kept: PromisesKept;
  readonly busiestOwner: string | null;
  readonly overCapacity: Scoreboard['overCapacity'];
}

function weekValues(
  ctx: WeekContext,
  week: ScoreWeekRows,
  index: number,
): { values: Values; extras: WeekExtras } {
  const { input } = ctx;
  const v: Values = new Map();
  const sub = week.submitted;
  const n = sub.length;
  // Sales.
  const valueIn = sub.reduce((s, r) => s + r.valueMinor, 0);
  v.set('sales.requests_in', n);
  v.set('sales.value_in', valueIn);
  for (const l of input.productLines) {
    const mine = sub.filter((r) => r.productLineId === l.id);
    v.set(`sales.requests_in.${l.id}`, mine.length);
    v.set(
      `sales.value_in.${l.id}`,
      mine.reduce((s, r) => s + r.valueMinor, 0),
    );
  }
  const rush = sub.filter((r) => {
    const lt = ctx.leadTime.get(r.productLineId);
    return lt !== undefined && dayDiff(ctx.dayOf(r.createdAt), r.deliveryDate) < lt;
  });
  v.set('sales.rush_share', pct(rush.length, n));
  v.set('sales.revision_share', pct(sub.filter((r) => r.revised).length, n));
  // The events' figures are sums over groups of events alike (see ScoreEventFacts).
  const facts = week.eventFacts ?? eventFactsOf(week.events);
  const count = (which: (g: ScoreEventGroup) => boolean) => {
    let n = 0;
    for (const g of facts.groups) if (which(g)) n += g.count;
    return n;
  };
  const cleared = count((g) => g.type === 'request.approved' && !g.override);
  v.set(
    'sales.fast_lane_share',
    pct(
      count((g) => g.type === 'request.approved' && !g.override && g.fastLane),
      cleared,
    ),
  );

  // Execution (the promise figures are set by promiseValues below).
  const byActor = new Map<string, { count: number; valueMinor: number }>();
  let overCapCount = 0;
  let overCapValue = 0;
  for (const g of facts.groups) {
    if (g.type !== 'signoff.approved' || !g.overCapacity) continue;
    const key = g.actorId ?? 'unknown';
    const a = byActor.get(key) ?? { count: 0, valueMinor: 0 };
    a.count += g.count;
    a.valueMinor += g.valueMinor;
    byActor.set(key, a);
    overCapCount += g.count;
    overCapValue += g.valueMinor;
  }
  v.set('execution.over_capacity_approvals', overCapCount);
  v.set('execution.over_capacity_value', overCapValue);
  v.set(
    'execution.decided',
    count(
      (g) =>
        ((g.type === 'signoff.approved' && g.complete) || g.type === 'signoff.rejected') &&
        g.functionId === input.executionFunction,
    ),
  );

  // Quality.
  v.set(
    'quality.with_conditions',
    count((g) => g.type === 'signoff.approved' && g.withConditions),
  );
  v.set(
    'quality.rejections',
    count((g) => g.type === 'signoff.rejected' && g.functionId === input.qualityFunction),
  );

  // Finance (terms and discounts of the week's requests; payments from promises below).
  v.set(
    'finance.avg_terms',
    valueIn ? round1(sub.reduce((s, r) => s + r.valueMinor * r.paymentTermsDays, 0) / valueIn) : null,
  );
  v.set(
    'finance.value_long_terms',
    sub
      .filter((r) => r.paymentTermsDays > input.defaultPaymentTermsDays)
      .reduce((s, r) => s + r.valueMinor, 0),
  );
  v.set(
    'finance.discount_given',
    sub.reduce((s, r) => s + discountGivenMinor(r.valueMinor, r.discountPercent), 0),
  );

  // People: every act of an owner on a sign-off is load (each approval, rejection, date proposed).
  v.set(
    'people.asked',
    sub.reduce((s, r) => s + r.functions.length, 0),
  );
  const perOwner = new Map<string, number>();
  for (const g of facts.groups) {
    if (g.actorId === null || !ACT_TYPES.includes(g.type)) continue;
    perOwner.set(g.actorId, (perOwner.get(g.actorId) ?? 0) + g.count);
  }
  let busiest: string | null = null;
  let busiestN = 0;
  for (const [owner, n] of [...perOwner].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (n > busiestN) {
      busiest = owner;
      busiestN = n;
    }
  }
  const acts = facts.actTimes.length;
  let outside = 0;
  for (const t of facts.actTimes) if (!ctx.inBusinessHoursMs(t)) outside++;
  v.set('people.decisions', acts);
  v.set('people.busiest_share', pct(busiestN, acts));
  v.set('people.outside_hours_share', pct(outside, acts));
  v.set('people.rush_with_people', rush.filter((r) => r.functions.includes(input.peopleFunction)).length);

  // Leadership.
  v.set(
    'leadership.overrides',
    count((g) => g.type === 'request.overridden'),
  );
  const escalations = facts.escalations;
  const weekEnd = new Date(Math.min(input.asOf.getTime(), endOfWeek(week, ctx).getTime()));
  const answered = escalations.filter((e) => e.signOffDecidedAt !== null && e.signOffDecidedAt <= weekEnd);
  v.set('leadership.escalations', escalations.length);
  const answerHours = median(answered.map((e) => ctx.businessHoursBetween(e.at, e.signOffDecidedAt as Date)));
  v.set('leadership.escalation_answer_hours', answerHours === null ? null : round1(answerHours));
  v.set('leadership.escalations_unanswered', escalations.length - answered.length);

  const kept = promiseValues(ctx, index, week.weekStart, v);
  v.set('execution.otif', kept.otifPct);
  v.set('execution.late', kept.late);
  v.set('execution.slip_days_worst', kept.slipDaysWorst);
  v.set('execution.at_risk_2w', kept.atRiskNext2Weeks.length);
  v.set('quality.issues_per_delivered', kept.issuesPerDelivered);
  v.set('finance.payments_received', kept.paymentsReceivedMinor);
  v.set('finance.payments_overdue', kept.paymentsOverdueMinor);
  v.set('leadership.override_otif', kept.byClearance.overridden.otifPct);
  return {
    values: v,
    extras: {
      kept,
      busiestOwner: busiest,
      overCapacity: {
        count: overCapCount,
        valueMinor: overCapValue,
        byActor: [...byActor]
          .map(([actorId, a]) => ({ actorId, ...a }))
          .sort((a, b) => b.valueMinor - a.valueMinor || (a.actorId < b.actorId ? -1 : 1)),
      },
    },
  };
}

function endOfWeek(week: ScoreWeekRows, ctx: WeekContext): Date {
  return ctx.weekEnds.get(week.weekStart) ?? ctx.input.asOf;
}

// ---------------------------------------------------------------------------------------------
// The figures' catalogue: which link, label and unit; the order they are shown in.

interface FigureSpec {
  readonly id: string;
  readonly link: LinkId | 'promises_kept';
  readonly label: string;
  readonly unit: Unit;
}

function catalogue(input: ScoreboardInput): FigureSpec[] {
  const execLabel =
    input.functions.find((f) => f.id === input.executionFunction)?.label ?? input.executionFunction;
  const qualityLabel =
    input.functions.find((f) => f.id === input.qualityFunction)?.label ?? input.qualityFunction;
  const peopleLabel =
    input.functions.find((f) => f.id === input.peopleFunction)?.label ?? input.peopleFunction;
  const f = (link: FigureSpec['link'], id: string, label: string, unit: Unit): FigureSpec => ({
    id: `${link}.${id}`,
    link,
    label,
    unit,
  });
  return [
    f('sales', 'requests_in', 'Requests in', 'count'),
    f('sales', 'value_in', 'Value in', 'money'),
    ...input.productLines.flatMap((l) => [
      f('sales', `requests_in.${l.id}`, `Requests in: ${l.name}`, 'count'),
      f('sales', `value_in.${l.id}`, `Value in: ${l.name}`, 'money'),
    ]),
    f('sales', 'rush_share', 'Rush (sooner than the standard lead time)', 'percent'),
    f('sales', 'revision_share', 'Needed a revision', 'percent'),
    f('sales', 'fast_lane_share', 'Cleared on the fast lane', 'percent'),
    f('execution', 'otif', 'On time in full', 'percent'),
    f('execution', 'late', 'Late deliveries', 'count'),
    f('execution', 'slip_days_worst', 'Worst slip (days)', 'days'),
    f('execution', 'at_risk_2w', 'Promises at risk, next 2 weeks', 'count'),
    f('execution', 'over_capacity_approvals', 'Approvals over capacity', 'count'),
    f('execution', 'over_capacity_value', 'Value approved over capacity', 'money'),
    f('execution', 'decided', `Sign-offs decided by ${execLabel}`, 'count'),
    f('quality', 'with_conditions', 'Approvals with conditions', 'count'),
    f('quality', 'rejections', `Rejections by ${qualityLabel}`, 'count'),
    f('quality', 'issues_per_delivered', 'Quality issues per delivered promise', 'ratio'),
    f(
      'finance',
      'avg_terms',
      `Payment terms, value-weighted (default ${input.defaultPaymentTermsDays} days)`,
      'days',
    ),
    f('finance', 'value_long_terms', `Value on terms over ${input.defaultPaymentTermsDays} days`, 'money'),
    f('finance', 'discount_given', 'Discount given away', 'money'),
    f('finance', 'payments_received', 'Payments received', 'money'),
    f('finance', 'payments_overdue', 'Overdue past terms', 'money'),
    f('people', 'asked', 'Sign-offs asked', 'count'),
    f('people', 'decisions', 'Sign-off decisions by owners', 'count'),
    f('people', 'busiest_share', "Busiest owner's share of decisions", 'percent'),
    f('people', 'outside_hours_share', 'Decisions outside business hours', 'percent'),
    f('people', 'rush_with_people', `Rush requests that needed ${peopleLabel}`, 'count'),
    f('leadership', 'overrides', 'Overrides', 'count'),
    f('leadership', 'override_otif', 'On time in full, overridden promises', 'percent'),
    f('leadership', 'escalations', 'Escalations', 'count'),
    f(
      'leadership',
      'escalation_answer_hours',
      'Time to answer an escalation (median, business hours)',
      'hours',
    ),
    f('leadership', 'escalations_unanswered', 'Escalations unanswered at week end', 'count'),
  ];
}

function promiseCatalogue(input: ScoreboardInput): FigureSpec[] {
  const f = (id: string, label: string, unit: Unit): FigureSpec => ({
    id: `promises_kept.${id}`,
    link: 'promises_kept',
    label,
    unit,
  });
  return [
    f('due', 'Promises due', 'count'),
    f('on_time_in_full', 'On time in full', 'count'),
    f('late', 'Late', 'count'),
    f('slip_days_median', 'Slip, median days', 'days'),
    f('slip_days_worst', 'Slip, worst days', 'days'),
    f('partly_delivered', 'Part-delivered', 'count'),
    f('open_past_due', 'Still open past due', 'count'),
    f('otif', 'OTIF %', 'percent'),
    ...input.productLines.map((l) => f(`otif.${l.id}`, `OTIF %: ${l.name}`, 'percent')),
    f('at_risk_2w', 'At risk, due in the next 2 weeks', 'count'),
    f('signed_off', 'Signed-off promises judged', 'count'),
    f('signed_off_otif', 'OTIF %, signed off', 'percent'),
    f('overridden', 'Overridden promises judged', 'count'),
    f('overridden_otif', 'OTIF %, overridden', 'percent'),
    f('fast_lane', 'Fast-lane promises judged', 'count'),
    f('fast_lane_otif', 'OTIF %, fast lane', 'percent'),
    f('delivered_in_full', 'Delivered in full', 'count'),
    f('quality_issues', 'Quality issues reported', 'count'),
    f('issues_per_delivered', 'Quality issues per delivered promise', 'ratio'),
    f('payments_due', 'Payments due', 'money'),
    f('payments_received', 'Payments received', 'money'),
    f('payments_overdue', 'Overdue past terms', 'money'),
  ];
}

// ---------------------------------------------------------------------------------------------
// Where to look.

function findingsOf(
  input: ScoreboardInput,
  fig: (id: string) => Figure | undefined,
  kept: PromisesKept,
  overbooked: readonly OverbookedWeek[],
  busiestOwner: string | null,
): Finding[] {
  const T = SCORE_THRESHOLDS;
  const out: Finding[] = [];
  const execLabel =
    input.functions.find((f) => f.id === input.executionFunction)?.label ?? input.executionFunction;

  // Inflow up on its median while execution's decisions stay flat.
  const inflow = fig('sales.requests_in');
  const decided = fig('execution.decided');
  const history = (f: Figure | undefined) => f?.history.slice(0, -1).filter((x) => x !== null).length ?? 0;
  if (
    inflow?.thisWeek != null &&
    inflow.median8w != null &&
    inflow.median8w >= T.inflowMinMedian &&
    history(inflow) >= MIN_HISTORY_WEEKS &&
    decided?.thisWeek != null &&
    decided.median8w != null &&
    history(decided) >= MIN_HISTORY_WEEKS
  ) {
    const rise = ((inflow.thisWeek - inflow.median8w) / inflow.median8w) * 100;
    const execRise =
      decided.median8w > 0 ? ((decided.thisWeek - decided.median8w) / decided.median8w) * 100 : 0;
    if (rise >= T.inflowUpPct && execRise < rise * T.executionKeepsUpShare) {
      out.push({
        rule: 'inflow_vs_execution',
        link: 'execution',
        magnitude: rise / T.inflowUpPct,
        facts: {
          inflow: inflow.thisWeek,
          inflowMedian: inflow.median8w,
          inflowRisePct: Math.round(rise),
          decided: decided.thisWeek,
          decidedMedian: decided.median8w,
          decidedRisePct: Math.round(execRise),
          function: execLabel,
        },
      });
    }
  }

  // One owner carrying the load.
  const share = fig('people.busiest_share');
  const acts = fig('people.decisions');
  const deciders = new Set(input.functions.flatMap((f) => f.owners)).size;
  if (
    share?.thisWeek != null &&
    acts?.thisWeek != null &&
    acts.thisWeek >= T.busiestMinDecisions &&
    deciders >= 2 &&
    share.thisWeek >= T.busiestSharePct &&
    busiestOwner !== null
  ) {
    out.push({
      rule: 'one_owner',
      link: 'people',
      magnitude: share.thisWeek / T.busiestSharePct,
      facts: { owner: busiestOwner, sharePct: share.thisWeek, decisions: acts.thisWeek },
    });
  }

  // Payment terms drifting longer.
  const terms = fig('finance.avg_terms');
  const requests = fig('sales.requests_in');
  if (
    terms?.thisWeek != null &&
    terms.median8w != null &&
    terms.spread != null &&
    history(terms) >= MIN_HISTORY_WEEKS &&
    (requests?.thisWeek ?? 0) >= T.termsMinRequests &&
    terms.thisWeek > input.defaultPaymentTermsDays
  ) {
    const bar = Math.max(T.termsDriftDays, SPREAD_FACTOR * terms.spread);
    const drift = terms.thisWeek - terms.median8w;
    if (drift >= bar) {
      out.push({
        rule: 'terms_drift',
        link: 'finance',
        magnitude: drift / bar,
        facts: {
          days: terms.thisWeek,
          median: terms.median8w,
          defaultDays: input.defaultPaymentTermsDays,
          valueLongTermsMinor: fig('finance.value_long_terms')?.thisWeek ?? 0,
        },
      });
    }
  }

  // Any week over 100%, anywhere on the horizon: the worst is named.
  if (overbooked.length) {
    const worst = [...overbooked].sort(
      (a, b) => (b.percent ?? Infinity) - (a.percent ?? Infinity),
    )[0] as OverbookedWeek;
    out.push({
      rule: 'overbooked',
      link: 'execution',
      magnitude: worst.percent === null ? 2 : worst.percent / 100,
      facts: {
        line: worst.name,
        weekStart: worst.weekStart,
        percent: worst.percent,
        load: worst.load,
        capacity: worst.capacity,
        weeks: overbooked.length,
      },
    });
  }

  // A product line's OTIF under its own 8-week median: the worst line is named.
  let worstLine: { name: string; otif: number; median: number; drop: number; judged: number } | null = null;
  for (const l of kept.byProductLine) {
    const f = fig(`promises_kept.otif.${l.id}`);
    if (
      l.otifPct === null ||
      l.judged < T.otifMinJudged ||
      f?.median8w == null ||
      history(f) < MIN_HISTORY_WEEKS
    )
      continue;
    const drop = f.median8w - l.otifPct;
    if (drop >= T.otifDropPoints && (!worstLine || drop > worstLine.drop)) {
      worstLine = { name: l.name, otif: l.otifPct, median: f.median8w, drop, judged: l.judged };
    }
  }
  if (worstLine) {
    out.push({
      rule: 'otif_drop',
      link: 'execution',
      magnitude: worstLine.drop / T.otifDropPoints,
      facts: {
        line: worstLine.name,
        otif: worstLine.otif,
        median: worstLine.median,
        drop: Math.round(worstLine.drop),
        judged: worstLine.judged,
      },
    });
  }
  return out.sort((a, b) => b.magnitude - a.magnitude).slice(0, MAX_FINDINGS);
}

// ---------------------------------------------------------------------------------------------

/** The scoreboard of this week (see the header for every definition). */
export function computeScoreboard(input: ScoreboardInput): Scoreboard {
  const weekEnds = new Map<IsoDate, Date>();
  const firstMonday = input.weeks[0]?.weekStart ?? input.weekStart;
  const tl = businessTimeline(
    input.businessHours,
    input.timeZone,
    plusDays(firstMonday, -1),
    plusDays(input.today, 1),
  );
  const ctx: WeekContext = {
    input,
    leadTime: new Map(input.productLines.map((p) => [p.id, p.leadTimeDays])),
    // Inside a business-hours window: the millisecond before the instant is working time.
    inBusinessHoursMs: (t) => tl.isWorkingMs(t - 1),
    businessHoursBetween: (from, to) => tl.msBetween(from, to) / HOUR_MS,
    dayOf: (at) => tl.dayOf(at),
    weekEnds,
    promises:
      input.promiseFacts ??
      promiseFactsOf(
        input.promises,
        input.weeks.map((w) => w.weekStart),
        input.today,
      ),
  };
  for (const w of input.weeks) weekEnds.set(w.weekStart, weekBounds(w.weekStart, input.timeZone).end);
  const perWeek = input.weeks.map((w, i) => {
    const computed = weekValues(ctx, w, i);
    return w.inUse === false ? { ...computed, values: new Map<string, number | null>() } : computed;
  });
  const current = perWeek[perWeek.length - 1];
  if (!current) throw new RangeError('computeScoreboard needs at least this week');

  const build = (spec: FigureSpec): Figure => {
    const history = perWeek.map((w) => w.values.get(spec.id) ?? null);
    const thisWeek = history[history.length - 1] ?? null;
    const before = history.slice(0, -1);
    const b = baseline(thisWeek, before, spec.unit);
    return {
      ...spec,
      thisWeek,
      lastWeek: before[before.length - 1] ?? null,
      ...b,
      history,
      ...(spec.id === 'people.busiest_share' && current.extras.busiestOwner
        ? { detail: current.extras.busiestOwner }
        : {}),
    };
  };
  const figures = catalogue(input).map(build);
  const now = (id: string, link: LinkId, label: string, unit: Unit, value: number | null): Figure => ({
    id,
    link,
    label,
    unit,
    thisWeek: value,
    lastWeek: null,
    median8w: null,
    spread: null,
    arrow: null,
    history: [],
  });

  // Known only now: the capacity horizon and who can stand in.
  const overbooked: OverbookedWeek[] = [];
  const loadFigures: Figure[] = [];
  for (const line of input.capacity?.lines ?? []) {
    if (!line.weeks) continue;
    let peak: number | null = 0;
    for (const w of line.weeks) {
      if (peak !== null && (w.percent === null || w.percent > peak)) peak = w.percent;
      if (w.flag === 'over_100') {
        overbooked.push({
          productLineId: line.productLineId,
          name: line.name,
          weekStart: w.weekStart,
          load: w.load,
          capacity: w.capacity,
          percent: w.percent,
        });
      }
    }
    loadFigures.push(
      now(
        `execution.peak_load.${line.productLineId}`,
        'execution',
        `Peak load over the horizon: ${line.name}`,
        'percent',
        peak,
      ),
    );
  }
  const noStandIn = input.functions
    .filter((f) => {
      // A user group (S…) can always find someone; otherwise every owner needed means none may be away.
      if (f.owners.some((o) => o.startsWith('S'))) return false;
      return new Set(f.owners).size <= f.approvals;
    })
    .map((f) => ({ id: f.id, label: f.label }));
  const extraNow: Figure[] = [
    ...(input.capacity
      ? [
          now(
            'execution.overbooked_weeks',
            'execution',
            'Overbooked weeks over the horizon',
            'count',
            overbooked.length,
          ),
        ]
      : []),
    ...loadFigures,
    now('people.no_stand_in', 'people', 'Functions with nobody to stand in', 'count', noStandIn.length),
  ];

  const all = [...figures, ...extraNow];
  const links: LinkBoard[] = LINKS.map((id) => ({
    id,
    label: LINK_LABELS[id],
    figures: all.filter((f) => f.link === id),
  }));
  const promiseFigures = promiseCatalogue(input).map(build);
  const byId = new Map([...all, ...promiseFigures].map((f) => [f.id, f]));
  const kept: PromisesKept = {
    ...current.extras.kept,
    otifMedian8w: byId.get('promises_kept.otif')?.median8w ?? null,
    byProductLine: current.extras.kept.byProductLine.map((l) => ({
      ...l,
      median8w: byId.get(`promises_kept.otif.${l.id}`)?.median8w ?? null,
    })),
  };
  return {
    weekStart: input.weekStart,
    links,
    promisesKept: kept,
    promiseFigures,
    overCapacity: current.extras.overCapacity,
    overbooked,
    noStandIn,
    findings: findingsOf(input, (id) => byId.get(id), kept, overbooked, current.extras.busiestOwner),
  };
}
