// Capacity before promise: available-to-promise (does it fit?) and capable-to-promise (when
// would it fit?) for one product line, as plain arithmetic on figures the caller loads.
//
// THE LOAD RULE (one rule, applied everywhere: the check, /commit capacity, the digest):
//   a request books its WHOLE quantity in the week (Monday to Sunday) that contains its
//   delivery date. Approved requests are firm load, pending ones tentative load; rejected,
//   withdrawn and expired requests book nothing, so they free their load the moment their
//   status changes, and a revised delivery date or quantity moves the load with it.
// Weeks start on Monday. A delivery date is a calendar day, so its week needs no zone; "this
// week" is the week of today's local date in the configured zone (currentWeekStart).
// A week's capacity is the product line's `capacity_per_week` unless an operations owner set
// an override for that week (the latest override wins).
import { addDays, type IsoDate, localDate, weekStart } from './calendar.js';

/** The function whose owners set capacity and whose sign-off message shows the check. */
export const OPERATIONS_FUNCTION = 'operations';

/** How many weeks after the requested one the earliest feasible date is looked for. */
export const CTP_HORIZON_WEEKS = 26;

/** Load statuses: the only request statuses that book capacity. */
export type LoadStatus = 'pending' | 'approved';
export const LOAD_STATUSES: readonly LoadStatus[] = ['pending', 'approved'];

/** Open quantity by delivery date and status, as the store sums it. */
export interface DayLoad {
  readonly deliveryDate: IsoDate;
  readonly status: LoadStatus;
  readonly quantity: number;
}

export interface CapacityOverride {
  readonly weekStart: IsoDate;
  readonly capacity: number;
}

/** One week of one product line: what it can make and what is already booked. */
export interface WeekFigures {
  readonly weekStart: IsoDate;
  readonly capacity: number;
  /** True when an operations owner set this week's capacity. */
  readonly overridden: boolean;
  readonly firm: number;
  readonly tentative: number;
}

export type CapacityVerdict = 'fits' | 'fits_if_pending_fall_through' | 'over';

/**
 * The snapshot stored on a request when it is checked, so messages show the facts as they were
 * then. JSON-safe: no Dates.
 */
export type CapacityCheck =
  | {
      readonly verdict: 'no_capacity_configured';
      readonly productLineId: string;
      readonly weekStart: IsoDate;
    }
  | {
      readonly verdict: CapacityVerdict;
      readonly productLineId: string;
      readonly weekStart: IsoDate;
      readonly capacity: number;
      readonly overridden: boolean;
      readonly firm: number;
      readonly tentative: number;
      readonly thisRequest: number;
      /** How far the week would be over if every pending request were approved; 0 when it fits. */
      readonly overBy: number;
      /** The requested date when it fits; else the Monday of the first later week where it fits. */
      readonly earliestFeasibleDate: IsoDate | null;
      /** Weeks after the requested one that were searched for the earliest feasible date. */
      readonly horizonWeeks: number;
      /**
       * `spread` lines (capacity-plan.ts): the figures are summed over the weeks from `fromWeek`
       * (this week, never a past one) to the delivery week `weekStart`. Absent: `due_week`.
       */
      readonly load?: LoadRule;
      readonly fromWeek?: IsoDate;
      /**
       * `due_week` lines only: when no single week in the horizon has room for the whole quantity,
       * the parts that would fit week by week from the requested one ("400 by …, 500 by …").
       */
      readonly split?: readonly SplitPart[] | null;
      /**
       * The request is delivered on an accepted split plan: the figures are those of its tightest
       * part (the verdict is the worst of the parts').
       */
      readonly parts?: readonly SplitPart[];
    };

/** How a product line books a request's quantity (INTERFACE.md `product_lines[].load`). */
export const LOAD_RULES = ['due_week', 'spread'] as const;
export type LoadRule = (typeof LOAD_RULES)[number];

/** One delivery of a split plan: `quantity` delivered by the day `by`. */
export interface SplitPart {
  readonly quantity: number;
  readonly by: IsoDate;
}

/** The verdict in the words of the config (`rules[].when.capacity`): fits, tight or over. */
export const CAPACITY_LEVELS = ['fits', 'tight', 'over'] as const;
export type CapacityLevel = (typeof CAPACITY_LEVELS)[number];

/** Fits, tight (fits only if pending requests fall through), over; null when not checked. */
export function capacityLevel(check: CapacityCheck | null | undefined): CapacityLevel | null {
  if (!check || check.verdict === 'no_capacity_configured') return null;
  return check.verdict === 'fits_if_pending_fall_through' ? 'tight' : check.verdict;
}

const DAY_MS = 86_400_000;

/**
 * The week a delivery date books its load in: the Monday of its week. Same answer as
 * calendar.weekStart (a test checks every day of several years), computed on UTC midnights
 * because the check buckets hundreds of rows per request and date-fns parsing dominated it.
 */
export function loadWeekOf(deliveryDate: IsoDate): IsoDate {
  const t = Date.UTC(
    Number(deliveryDate.slice(0, 4)),
    Number(deliveryDate.slice(5, 7)) - 1,
    Number(deliveryDate.slice(8, 10)),
  );
  if (Number.isNaN(t)) return weekStart(deliveryDate);
  const sinceMonday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the current week in the configured zone. */
export function currentWeekStart(at: Date, timeZone: string): IsoDate {
  return weekStart(localDate(at, timeZone));
}

/** `count` consecutive week starts from the week containing `from`. */
export function weeksFrom(from: IsoDate, count: number): IsoDate[] {
  const first = weekStart(from);
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDays(first, 7 * i));
}

/** The calendar-day range [from, toExclusive) that covers `count` weeks from the week of `from`. */
export function weekRange(from: IsoDate, count: number): { from: IsoDate; toExclusive: IsoDate } {
  const first = weekStart(from);
  return { from: first, toExclusive: addDays(first, 7 * Math.max(0, count)) };
}

/** Buckets open load into weeks and pairs it with each week's capacity. */
export function weekFigures(input: {
  readonly weeks: readonly IsoDate[];
  readonly defaultCapacity: number;
  readonly overrides: readonly CapacityOverride[];
  readonly load: readonly DayLoad[];
}): WeekFigures[] {
  const overrides = new Map(input.overrides.map((o) => [loadWeekOf(o.weekStart), o.capacity]));
  const firm = new Map<IsoDate, number>();
  const tentative = new Map<IsoDate, number>();
  for (const row of input.load) {
    const week = loadWeekOf(row.deliveryDate);
    const into = row.status === 'approved' ? firm : tentative;
    into.set(week, (into.get(week) ?? 0) + row.quantity);
  }
  return input.weeks.map((w) => {
    const week = loadWeekOf(w);
    const override = overrides.get(week);
    return {
      weekStart: week,
      capacity: override ?? input.defaultCapacity,
      overridden: override !== undefined,
      firm: firm.get(week) ?? 0,
      tentative: tentative.get(week) ?? 0,
    };
  });
}

/** Whether `quantity` more fits in a week: counting every pending request, or only firm load. */
export function verdictFor(
  week: WeekFigures,
  quantity: number,
): { verdict: CapacityVerdict; overBy: number } {
  const all = week.firm + week.tentative + quantity;
  if (all <= week.capacity) return { verdict: 'fits', overBy: 0 };
  const overBy = all - week.capacity;
  if (week.firm + quantity <= week.capacity) return { verdict: 'fits_if_pending_fall_through', overBy };
  return { verdict: 'over', overBy };
}

/** What the CTP search needs of a week: its capacity and its open load (firm + tentative). */
export interface WeekTotal {
  readonly weekStart: IsoDate;
  readonly capacity: number;
  readonly load: number;
}

export function totalOf(week: WeekFigures): WeekTotal {
  return { weekStart: week.weekStart, capacity: week.capacity, load: week.firm + week.tentative };
}

/** The same rule as the verdict "fits": every pending request counted. */
export function fitsWithin(week: WeekTotal, quantity: number): boolean {
  return week.load + quantity <= week.capacity;
}

/** The first week (in order) where `quantity` fits with every pending request counted. */
export function earliestFittingWeek(weeks: readonly WeekTotal[], quantity: number): IsoDate | null {
  return weeks.find((w) => fitsWithin(w, quantity))?.weekStart ?? null;
}

export interface CapacityQuestion {
  readonly productLineId: string;
  readonly quantity: number;
  readonly deliveryDate: IsoDate;
}

/**
 * The check: the verdict for the requested week, and the earliest feasible date (CTP). `later`
 * holds the weeks after the requested one, in order; it is only needed when it does not fit, and
 * may leave out weeks that cannot fit anyway (the caller says how far it searched).
 */
export function assessCapacity(
  question: CapacityQuestion,
  requested: WeekFigures | null,
  later: readonly WeekTotal[] = [],
  horizonWeeks: number = later.length,
): CapacityCheck {
  const week = loadWeekOf(question.deliveryDate);
  if (!requested)
    return { verdict: 'no_capacity_configured', productLineId: question.productLineId, weekStart: week };
  const { verdict, overBy } = verdictFor(requested, question.quantity);
  const earliestFeasibleDate =
    verdict === 'fits'
      ? question.deliveryDate
      : earliestFittingWeek(
          later.filter((w) => w.weekStart > week),
          question.quantity,
        );
  return {
    verdict,
    productLineId: question.productLineId,
    weekStart: requested.weekStart,
    capacity: requested.capacity,
    overridden: requested.overridden,
    firm: requested.firm,
    tentative: requested.tentative,
    thisRequest: question.quantity,
    overBy,
    earliestFeasibleDate,
    horizonWeeks,
  };
}

export type LoadFlag = 'over_100' | 'over_90' | null;

export interface WeekOutlook extends WeekFigures {
  /** firm + tentative */
  readonly load: number;
  /** Load as a whole percentage of capacity; null when the capacity is 0 yet something is booked. */
  readonly percent: number | null;
  /** Over 100% (load above capacity) or over 90% of capacity; null otherwise. */
  readonly flag: LoadFlag;
}

/** A week's load against its capacity, flagged for the digest and /commit capacity. */
export function outlookOf(week: WeekFigures): WeekOutlook {
  const load = week.firm + week.tentative;
  let percent: number | null;
  if (week.capacity > 0) percent = Math.round((load / week.capacity) * 100);
  else percent = load > 0 ? null : 0;
  let flag: LoadFlag = null;
  if (load > week.capacity) flag = 'over_100';
  else if (load * 10 > week.capacity * 9) flag = 'over_90';
  return { ...week, load, percent, flag };
}

export const MAX_OVERRIDE_WEEKS = 104;

export type OverridePlan =
  | { readonly ok: true; readonly weeks: readonly IsoDate[] }
  | { readonly ok: false; readonly reason: 'in_the_past' | 'backwards' | 'too_many_weeks' };

/**
 * The weeks an override covers: from the week of `from` to the week of `to` (inclusive). Past
 * weeks cannot be changed: their load is history.
 */
export function planOverride(from: IsoDate, to: IsoDate, currentWeek: IsoDate): OverridePlan {
  const first = weekStart(from);
  const last = weekStart(to);
  if (last < first) return { ok: false, reason: 'backwards' };
  if (first < currentWeek) return { ok: false, reason: 'in_the_past' };
  const weeks: IsoDate[] = [];
  for (let w = first; w <= last; w = addDays(w, 7)) {
    if (weeks.length >= MAX_OVERRIDE_WEEKS) return { ok: false, reason: 'too_many_weeks' };
    weeks.push(w);
  }
  return { ok: true, weeks };
}

/**
 * The date to suggest when an owner proposes a feasible date: the earliest feasible date from the
 * stored check, when there is one and it is later than the requested date; else none.
 */
export function suggestedFeasibleDate(
  check: CapacityCheck | null | undefined,
  requestedDate: IsoDate,
): IsoDate | undefined {
  if (!check || check.verdict === 'no_capacity_configured') return undefined;
  const date = check.earliestFeasibleDate;
  return date !== null && date > requestedDate ? date : undefined;
}
