// Orders bigger than a week, and requests that compete for one week. Pure arithmetic beside
// capacity.ts, on figures the caller loads.
//
// THE SPREAD RULE (`product_lines[].load: spread`): a request's quantity is made in the weeks up
// to and including its delivery week, latest weeks first, never in a past week (from this week
// on). Requests are placed one after the other: approved (firm) ones first, then pending ones,
// each group by delivery date, earliest first (the one with the fewest weeks to choose from goes
// first); the request being checked comes last, so it never takes capacity already booked. What
// cannot be placed in any free week stays in its delivery week and overbooks it. The verdict, the
// earliest feasible date and the load tables (/commit capacity, digest) all read this placement.
//
// THE SPLIT PLAN (`due_week` lines): when no week in the horizon has room for the whole quantity,
// the quantity is cut into the parts that fit week by week from the requested week on (the first
// part by the requested date, later parts by the Monday of their week). Accepted by the seller it
// becomes ONE promise with several deliveries: the request keeps its quantity, its delivery date
// becomes the last part's date, and each part loads its own week (see `splitLoad`).
import { addDays, type IsoDate } from './calendar.js';
import {
  type CapacityCheck,
  type CapacityOverride,
  type CapacityQuestion,
  type DayLoad,
  loadWeekOf,
  type SplitPart,
  type WeekFigures,
  type WeekTotal,
} from './capacity.js';

/** At most this many deliveries in one split plan: beyond it the order needs a conversation. */
export const MAX_SPLIT_PARTS = 4;

interface Placement {
  readonly firm: Map<IsoDate, number>;
  readonly tentative: Map<IsoDate, number>;
}

const add = (m: Map<IsoDate, number>, week: IsoDate, q: number) => m.set(week, (m.get(week) ?? 0) + q);

/** The capacity of each week from the given overrides and the line's default. */
export function capacityLookup(
  defaultCapacity: number,
  overrides: readonly CapacityOverride[],
): (week: IsoDate) => number {
  const byWeek = new Map(overrides.map((o) => [loadWeekOf(o.weekStart), o.capacity]));
  return (week) => byWeek.get(week) ?? defaultCapacity;
}

/** Placement order: firm before tentative, then earliest delivery first. */
function placementOrder(a: DayLoad, b: DayLoad): number {
  if (a.status !== b.status) return a.status === 'approved' ? -1 : 1;
  return a.deliveryDate < b.deliveryDate ? -1 : a.deliveryDate > b.deliveryDate ? 1 : 0;
}

/** Places open load by the spread rule (rows due before `thisWeek` are history and place nothing). */
export function placeSpread(input: {
  readonly thisWeek: IsoDate;
  readonly capacityOf: (week: IsoDate) => number;
  readonly load: readonly DayLoad[];
}): Placement {
  const firm = new Map<IsoDate, number>();
  const tentative = new Map<IsoDate, number>();
  const used = (w: IsoDate) => (firm.get(w) ?? 0) + (tentative.get(w) ?? 0);
  for (const row of [...input.load].sort(placementOrder)) {
    const due = loadWeekOf(row.deliveryDate);
    if (due < input.thisWeek) continue;
    const into = row.status === 'approved' ? firm : tentative;
    let remaining = row.quantity;
    for (let w = due; w >= input.thisWeek && remaining > 0; w = addDays(w, -7)) {
      const take = Math.min(Math.max(0, input.capacityOf(w) - used(w)), remaining);
      if (take > 0) add(into, w, take);
      remaining -= take;
    }
    if (remaining > 0) add(into, due, remaining);
  }
  return { firm, tentative };
}

/** Week figures (the load tables) of a spread line: what the placement put in each week. */
export function spreadWeekFigures(input: {
  readonly weeks: readonly IsoDate[];
  readonly thisWeek: IsoDate;
  readonly defaultCapacity: number;
  readonly overrides: readonly CapacityOverride[];
  readonly load: readonly DayLoad[];
}): WeekFigures[] {
  const capacityOf = capacityLookup(input.defaultCapacity, input.overrides);
  const overridden = new Set(input.overrides.map((o) => loadWeekOf(o.weekStart)));
  const placed = placeSpread({ thisWeek: input.thisWeek, capacityOf, load: input.load });
  return input.weeks.map((w) => {
    const week = loadWeekOf(w);
    return {
      weekStart: week,
      capacity: capacityOf(week),
      overridden: overridden.has(week),
      firm: placed.firm.get(week) ?? 0,
      tentative: placed.tentative.get(week) ?? 0,
    };
  });
}

/**
 * The check for a spread line. `load` is every other open request of the line due this week or
 * later (the question itself excluded); the earliest feasible date is searched `horizonWeeks`
 * weeks past the delivery week.
 */
export function assessSpread(
  question: CapacityQuestion,
  input: {
    readonly thisWeek: IsoDate;
    readonly defaultCapacity: number;
    readonly overrides: readonly CapacityOverride[];
    readonly load: readonly DayLoad[];
    readonly horizonWeeks: number;
  },
): CapacityCheck {
  const capacityOf = capacityLookup(input.defaultCapacity, input.overrides);
  const overridden = new Set(input.overrides.map((o) => loadWeekOf(o.weekStart)));
  const due = loadWeekOf(question.deliveryDate);
  // A delivery in a past week could only have been made before today: nothing is free for it.
  const inThePast = due < input.thisWeek;
  const from = inThePast ? due : input.thisWeek;
  const placed = placeSpread({ thisWeek: input.thisWeek, capacityOf, load: input.load });
  const firmOnly = placeSpread({
    thisWeek: input.thisWeek,
    capacityOf,
    load: input.load.filter((r) => r.status === 'approved'),
  });
  let capacity = 0;
  let firm = 0;
  let tentative = 0;
  let freeAll = 0;
  let freeFirm = 0;
  let anyOverride = false;
  for (let w = from; w <= due; w = addDays(w, 7)) {
    if (w < input.thisWeek) continue;
    const cap = capacityOf(w);
    const f = placed.firm.get(w) ?? 0;
    const t = placed.tentative.get(w) ?? 0;
    capacity += cap;
    firm += f;
    tentative += t;
    freeAll += Math.max(0, cap - f - t);
    freeFirm += Math.max(0, cap - (firmOnly.firm.get(w) ?? 0));
    anyOverride ||= overridden.has(w);
  }
  const q = question.quantity;
  const verdict = freeAll >= q ? 'fits' : freeFirm >= q ? 'fits_if_pending_fall_through' : 'over';
  let earliestFeasibleDate: IsoDate | null = verdict === 'fits' ? question.deliveryDate : null;
  if (verdict !== 'fits') {
    let free = freeAll;
    for (let i = 1, w = addDays(due, 7); i <= input.horizonWeeks; i++, w = addDays(w, 7)) {
      if (w < input.thisWeek) continue;
      free += Math.max(0, capacityOf(w) - (placed.firm.get(w) ?? 0) - (placed.tentative.get(w) ?? 0));
      if (free >= q) {
        earliestFeasibleDate = w;
        break;
      }
    }
  }
  return {
    verdict,
    productLineId: question.productLineId,
    weekStart: due,
    capacity,
    overridden: anyOverride,
    firm,
    tentative,
    thisRequest: q,
    overBy: verdict === 'fits' ? 0 : q - freeAll,
    earliestFeasibleDate,
    horizonWeeks: input.horizonWeeks,
    load: 'spread',
    fromWeek: from,
  };
}

/**
 * The split plan of a `due_week` request: `weeks` are the requested week and the ones after it,
 * in order, with every other open request counted. Null when it needs no split (one week has
 * room) or cannot be split within the weeks given and MAX_SPLIT_PARTS.
 */
export function splitPlan(
  quantity: number,
  requestedDate: IsoDate,
  weeks: readonly WeekTotal[],
): SplitPart[] | null {
  const requestedWeek = loadWeekOf(requestedDate);
  if (weeks.some((w) => w.weekStart >= requestedWeek && w.capacity - w.load >= quantity)) return null;
  const parts: SplitPart[] = [];
  let remaining = quantity;
  for (const w of weeks) {
    if (w.weekStart < requestedWeek) continue;
    const free = Math.min(Math.max(0, w.capacity - w.load), remaining);
    if (free <= 0) continue;
    parts.push({ quantity: free, by: w.weekStart === requestedWeek ? requestedDate : w.weekStart });
    remaining -= free;
    if (remaining === 0) break;
    if (parts.length === MAX_SPLIT_PARTS) return null;
  }
  return remaining === 0 && parts.length > 1 ? parts : null;
}

/**
 * The load of a request with an accepted split plan: each part in the week of its date. The rows
 * carry the request's status, so a split request loads exactly like several smaller ones.
 */
export function splitLoad(parts: readonly SplitPart[], status: DayLoad['status']): DayLoad[] {
  return parts.map((p) => ({ deliveryDate: p.by, status, quantity: p.quantity }));
}

/** A pending request of one week, as the competition finder needs it. */
export interface PendingInWeek {
  readonly requestId: number;
  readonly quantity: number;
}

export interface Competition {
  readonly weekStart: IsoDate;
  readonly capacity: number;
  /** Firm load plus every pending request of the week: what it would be if all were approved. */
  readonly together: number;
  /** The other pending requests that fit alone too, by request id. */
  readonly competitors: readonly number[];
}

/**
 * Pending requests compete when together they overbook a week that each alone would fit (firm
 * load plus its own quantity within capacity): one owner should weigh them against each other.
 * Null when the request does not compete (it fits with all of them, or is over even alone).
 */
export function competitionFor(
  requestId: number,
  week: WeekFigures,
  pending: readonly PendingInWeek[],
): Competition | null {
  const together = week.firm + week.tentative;
  if (together <= week.capacity) return null;
  const fitsAlone = (p: PendingInWeek) => week.firm + p.quantity <= week.capacity;
  const self = pending.find((p) => p.requestId === requestId);
  if (!self || !fitsAlone(self)) return null;
  const competitors = pending
    .filter((p) => p.requestId !== requestId && fitsAlone(p))
    .map((p) => p.requestId)
    .sort((a, b) => a - b);
  if (competitors.length === 0) return null;
  return { weekStart: week.weekStart, capacity: week.capacity, together, competitors };
}
