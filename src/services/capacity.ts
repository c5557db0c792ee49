// Capacity use cases: the check made on every submit (and revision), setting a week's capacity,
// and the load outlook shown by /commit capacity and the weekly digest. The arithmetic is in
// domain/capacity.ts; here we only load the figures it needs, with indexed reads.

import { type Actor, actorIdOf } from '../domain/actor.js';
import { addDays, type IsoDate } from '../domain/calendar.js';
import {
  assessCapacity,
  type CapacityCheck,
  type CapacityQuestion,
  CTP_HORIZON_WEEKS,
  currentWeekStart,
  fitsWithin,
  loadWeekOf,
  OPERATIONS_FUNCTION,
  outlookOf,
  planOverride,
  type SplitPart,
  totalOf,
  type WeekFigures,
  type WeekOutlook,
  type WeekTotal,
  weekFigures,
  weekRange,
  weeksFrom,
} from '../domain/capacity.js';
import {
  assessSpread,
  type Competition,
  competitionFor,
  splitPlan,
  spreadWeekFigures,
} from '../domain/capacity-plan.js';
import type { CapacitySection } from '../domain/digest.js';
import type { CommitRequest } from '../domain/request.js';
import type { ServiceDeps } from './deps.js';
import type { Notification } from './notifications.js';

export { OPERATIONS_FUNCTION };

export type CapacityDeps = Pick<ServiceDeps, 'config' | 'capacity' | 'clock'>;

/** Far enough to read every open request of a spread line due from a week on (days are text). */
const END_OF_TIME = '9999-12-31';

function lineOf(deps: Pick<ServiceDeps, 'config'>, productLineId: string) {
  return deps.config.product_lines.find((p) => p.id === productLineId);
}

const isSpread = (deps: Pick<ServiceDeps, 'config'>, productLineId: string) =>
  lineOf(deps, productLineId)?.load === 'spread';

function thisWeekOf(deps: Pick<ServiceDeps, 'config' | 'clock'>): IsoDate {
  return currentWeekStart(deps.clock.now(), deps.config.timezone);
}

/** The configured default capacity of a product line, or null when it has none (no check). */
export function defaultCapacityOf(deps: Pick<ServiceDeps, 'config'>, productLineId: string): number | null {
  return deps.config.product_lines.find((p) => p.id === productLineId)?.capacity_per_week ?? null;
}

/** Figures for `count` weeks of one product line from the week of `from`. */
export function loadWeeks(
  deps: CapacityDeps,
  productLineId: string,
  from: IsoDate,
  count: number,
  excludeRequestId: number | null = null,
): WeekFigures[] | null {
  const defaultCapacity = defaultCapacityOf(deps, productLineId);
  if (defaultCapacity === null) return null;
  const range = weekRange(from, count);
  if (isSpread(deps, productLineId)) {
    // A later request may be made in these weeks: every open one due from this week on is placed.
    const thisWeek = thisWeekOf(deps);
    return spreadWeekFigures({
      weeks: weeksFrom(from, count),
      thisWeek,
      defaultCapacity,
      overrides: deps.capacity.overrides(productLineId, thisWeek, END_OF_TIME),
      load: deps.capacity.loadByDay(productLineId, thisWeek, END_OF_TIME, excludeRequestId),
    });
  }
  return weekFigures({
    weeks: weeksFrom(from, count),
    defaultCapacity,
    overrides: deps.capacity.overrides(productLineId, range.from, range.toExclusive),
    load: deps.capacity.loadByDay(productLineId, range.from, range.toExclusive, excludeRequestId),
  });
}

export interface CheckOptions {
  /** A request already stored whose own load must not count against itself (a revision). */
  readonly excludeRequestId?: number | null;
  /** The request's accepted split plan: each part is checked in its own week. */
  readonly split?: readonly SplitPart[] | null;
}

const SEVERITY = { fits: 0, fits_if_pending_fall_through: 1, over: 2, no_capacity_configured: -1 } as const;

/**
 * The available-to-promise check for a request's facts. Call it inside the transaction that
 * stores the request (store.transaction), so concurrent submissions see each other's load.
 * One indexed read of the requested week when it fits; when it does not, one indexed SUM per later
 * week (up to CTP_HORIZON_WEEKS) until one fits: that week's Monday is the earliest feasible date.
 */
export function checkCapacity(
  deps: CapacityDeps,
  facts: CapacityQuestion,
  options: CheckOptions = {},
): CapacityCheck {
  const exclude = options.excludeRequestId ?? null;
  const defaultCapacity = defaultCapacityOf(deps, facts.productLineId);
  const parts = options.split ?? [];
  if (defaultCapacity !== null && parts.length && !isSpread(deps, facts.productLineId)) {
    // Delivered in parts: each part must fit its own week; the tightest part speaks for all.
    const checks = parts.map((p) =>
      checkCapacity(
        deps,
        { ...facts, quantity: p.quantity, deliveryDate: p.by },
        { excludeRequestId: exclude },
      ),
    );
    const worst = checks.reduce((a, b) => (SEVERITY[b.verdict] > SEVERITY[a.verdict] ? b : a));
    return worst.verdict === 'no_capacity_configured' ? worst : { ...worst, split: null, parts: [...parts] };
  }
  if (defaultCapacity !== null && isSpread(deps, facts.productLineId)) {
    const thisWeek = thisWeekOf(deps);
    return assessSpread(facts, {
      thisWeek,
      defaultCapacity,
      overrides: deps.capacity.overrides(facts.productLineId, thisWeek, END_OF_TIME),
      load: deps.capacity.loadByDay(facts.productLineId, thisWeek, END_OF_TIME, exclude),
      horizonWeeks: CTP_HORIZON_WEEKS,
    });
  }
  const week = loadWeekOf(facts.deliveryDate);
  const requested = loadWeeks(deps, facts.productLineId, week, 1, exclude)?.[0] ?? null;
  if (!requested) return assessCapacity(facts, null);
  const first = assessCapacity(facts, requested);
  if (first.verdict === 'fits') return first;
  const check = assessCapacity(facts, requested, laterWeeksUntilFit(deps, facts, exclude), CTP_HORIZON_WEEKS);
  if (check.verdict === 'no_capacity_configured' || check.earliestFeasibleDate !== null) return check;
  // No week has room for all of it: offer it in parts instead of "never" (domain/capacity-plan.ts).
  const weeks = (loadWeeks(deps, facts.productLineId, week, CTP_HORIZON_WEEKS + 1, exclude) ?? []).map(
    totalOf,
  );
  return { ...check, split: splitPlan(facts.quantity, facts.deliveryDate, weeks) };
}

/**
 * The check as it is now, for a message rendered now: a pending request is checked again with
 * today's figures (its own load aside); a closed one shows the check it was decided on.
 */
export function liveCheck(deps: CapacityDeps, request: CommitRequest): CapacityCheck | null {
  if (request.status !== 'pending') return request.capacityCheck ?? null;
  if (defaultCapacityOf(deps, request.facts.productLineId) === null) return request.capacityCheck ?? null;
  return checkCapacity(deps, request.facts, { excludeRequestId: request.id, split: request.split ?? null });
}

/**
 * The pending requests this one competes with for its delivery week (due_week lines): together
 * they overbook a week each alone would fit. Null when it competes with none.
 */
export function competitionOf(deps: CapacityDeps, request: CommitRequest): Competition | null {
  const { productLineId, deliveryDate } = request.facts;
  if (request.status !== 'pending' || isSpread(deps, productLineId) || request.split) return null;
  const week = loadWeekOf(deliveryDate);
  const figures = loadWeeks(deps, productLineId, week, 1)?.[0];
  if (!figures) return null;
  return competitionFor(
    request.id,
    figures,
    deps.capacity.pendingBetween(productLineId, week, addDays(week, 7)),
  );
}

/**
 * The weeks after the requested one, read one at a time (one indexed SUM each) and only until one
 * fits: the usual answer is a week or two later. Weeks whose capacity is below the quantity
 * cannot fit whatever their load, so they are not read at all.
 */
function laterWeeksUntilFit(
  deps: CapacityDeps,
  facts: CapacityQuestion,
  exclude: number | null,
): WeekTotal[] {
  const defaultCapacity = defaultCapacityOf(deps, facts.productLineId) ?? 0;
  const weeks = weeksFrom(addDays(loadWeekOf(facts.deliveryDate), 7), CTP_HORIZON_WEEKS);
  const range = weekRange(weeks[0] ?? facts.deliveryDate, weeks.length);
  const overrides = new Map(
    deps.capacity
      .overrides(facts.productLineId, range.from, range.toExclusive)
      .map((o) => [o.weekStart, o.capacity]),
  );
  const later: WeekTotal[] = [];
  for (const weekStart of weeks) {
    const capacity = overrides.get(weekStart) ?? defaultCapacity;
    if (capacity < facts.quantity) continue;
    const load = deps.capacity.openLoad(facts.productLineId, weekStart, addDays(weekStart, 7), exclude);
    const week = { weekStart, capacity, load };
    later.push(week);
    if (fitsWithin(week, facts.quantity)) break;
  }
  return later;
}

/** The earliest date the facts would fit (the requested date when they fit); null if none is known. */
export function earliestFeasibleDate(
  deps: CapacityDeps,
  facts: CapacityQuestion,
  options: CheckOptions = {},
): IsoDate | null {
  const check = checkCapacity(deps, facts, options);
  return check.verdict === 'no_capacity_configured' ? null : check.earliestFeasibleDate;
}

/**
 * Checks a stored request again for its current facts (after a revision or a moved delivery date)
 * and stores the new verdict; its own previous load does not count against itself. Call it inside
 * the transaction that changed the facts. Returns the request with the new check.
 */
export function recheckCapacity<
  R extends {
    readonly id: number;
    readonly facts: CapacityQuestion;
    readonly split?: readonly SplitPart[] | null | undefined;
  },
>(deps: CapacityDeps, request: R): R & { readonly capacityCheck: CapacityCheck } {
  const capacityCheck = checkCapacity(deps, request.facts, {
    excludeRequestId: request.id,
    split: request.split ?? null,
  });
  deps.capacity.saveCheck(request.id, capacityCheck);
  return { ...request, capacityCheck };
}

export interface LineOutlook {
  readonly productLineId: string;
  readonly name: string;
  readonly unit: string;
  /** Null when the product line has no capacity_per_week (no check, nothing to show). */
  readonly weeks: readonly WeekOutlook[] | null;
}

/**
 * Load against capacity for the next `weeks` weeks (from the current week in the configured zone,
 * or from the week of `from`), per product line, flagged over 90% and over 100%.
 */
export function capacityOutlook(
  deps: CapacityDeps & Pick<ServiceDeps, 'clock'>,
  options: { readonly weeks: number; readonly from?: IsoDate; readonly productLineId?: string },
): LineOutlook[] {
  const from = options.from ?? currentWeekStart(deps.clock.now(), deps.config.timezone);
  return deps.config.product_lines
    .filter((p) => options.productLineId === undefined || p.id === options.productLineId)
    .map((p) => ({
      productLineId: p.id,
      name: p.name,
      unit: p.unit,
      weeks: loadWeeks(deps, p.id, from, options.weeks)?.map(outlookOf) ?? null,
    }));
}

/** How many weeks ahead the weekly digest shows the load. */
export const DIGEST_CAPACITY_WEEKS = 4;

/**
 * The weekly digest's capacity, or undefined when no product line has a capacity (the digest then
 * has no such section). It looks ahead from now, whichever week the digest is about, over the
 * whole horizon (CTP_HORIZON_WEEKS): the scoreboard lists every overbooked week in it, the
 * capacity section shows the first DIGEST_CAPACITY_WEEKS.
 */
export function digestCapacity(
  deps: CapacityDeps & Pick<ServiceDeps, 'clock'>,
): (() => CapacitySection) | undefined {
  if (!deps.config.product_lines.some((p) => p.capacity_per_week !== undefined)) return undefined;
  return () => ({ lines: capacityOutlook(deps, { weeks: CTP_HORIZON_WEEKS }) });
}

export interface SetCapacityInput {
  /** A person (checked: operations owners only) or the HTTP API (a trusted system of record). */
  readonly actor: Actor;
  readonly productLineId: string;
  readonly from: IsoDate;
  /** Last day of a range; the week of `from` alone when absent. */
  readonly to?: IsoDate;
  readonly capacity: number;
}

export type SetCapacityResult =
  | { readonly ok: true; readonly weeks: readonly WeekOutlook[] }
  | {
      readonly ok: false;
      readonly reason:
        | 'not_operations_owner'
        | 'unknown_product_line'
        | 'no_capacity_configured'
        | 'invalid_capacity'
        | 'in_the_past'
        | 'backwards'
        | 'too_many_weeks';
    };

/** Operations owners set a week's (or a range of weeks') capacity; each week is recorded. */
export function setCapacity(
  deps: Pick<ServiceDeps, 'config' | 'capacity' | 'store' | 'clock' | 'onNotify' | 'outbox'>,
  input: SetCapacityInput,
): SetCapacityResult {
  const owners = deps.config.functions[OPERATIONS_FUNCTION]?.owners ?? [];
  if (input.actor.kind === 'user' && !owners.includes(input.actor.userId))
    return { ok: false, reason: 'not_operations_owner' };
  const line = deps.config.product_lines.find((p) => p.id === input.productLineId);
  if (!line) return { ok: false, reason: 'unknown_product_line' };
  if (line.capacity_per_week === undefined) return { ok: false, reason: 'no_capacity_configured' };
  if (!Number.isSafeInteger(input.capacity) || input.capacity < 0)
    return { ok: false, reason: 'invalid_capacity' };
  const at = deps.clock.now();
  const plan = planOverride(input.from, input.to ?? input.from, currentWeekStart(at, deps.config.timezone));
  if (!plan.ok) return plan;
  const weeks = plan.weeks;
  const result = deps.store.transaction((): SetCapacityResult => {
    for (const weekStart of weeks) {
      deps.capacity.setOverride({
        productLineId: line.id,
        weekStart,
        capacity: input.capacity,
        setBy: actorIdOf(input.actor),
        at,
      });
    }
    // A week's capacity changed: its open requests (every one, on a spread line) show it.
    deps.outbox.enqueue(
      capacityUpdatesFor(
        deps,
        weeks.map((w) => ({ productLineId: line.id, deliveryDate: w })),
      ),
      at,
    );
    const first = weeks[0] ?? loadWeekOf(input.from);
    const figures = loadWeeks(deps, line.id, first, weeks.length) ?? [];
    return { ok: true, weeks: figures.map(outlookOf) };
  });
  deps.onNotify();
  return result;
}

/** What a load change is about: a request's line, delivery date and (accepted) split plan. */
export interface LoadPlace {
  readonly productLineId: string;
  readonly deliveryDate: IsoDate;
  readonly split?: readonly { readonly by: IsoDate }[] | null | undefined;
}

/**
 * The re-renders a load change asks for: one `capacity.update` per week it touched (every week of
 * a spread line at once). Lines without capacity have no verdict to refresh.
 */
export function capacityUpdatesFor(
  deps: Pick<ServiceDeps, 'config'>,
  places: readonly LoadPlace[],
): Notification[] {
  const keys = new Map<string, Notification>();
  for (const p of places) {
    if (defaultCapacityOf(deps, p.productLineId) === null) continue;
    const weeks = isSpread(deps, p.productLineId)
      ? [null]
      : [...new Set([p.deliveryDate, ...(p.split ?? []).map((s) => s.by)].map(loadWeekOf))];
    for (const weekStart of weeks)
      keys.set(`${p.productLineId}:${weekStart}`, {
        kind: 'capacity.update',
        productLineId: p.productLineId,
        weekStart,
      });
  }
  return [...keys.values()];
}

/**
 * The open requests a `capacity.update` is about: pending ones due in that week, or, for a spread
 * line (weekStart null), every pending one due from this week on.
 */
export function requestsLoading(
  deps: CapacityDeps,
  productLineId: string,
  weekStart: IsoDate | null,
): number[] {
  const from = weekStart ?? thisWeekOf(deps);
  const to = weekStart === null ? END_OF_TIME : addDays(weekStart, 7);
  return deps.capacity.pendingBetween(productLineId, from, to).map((r) => r.requestId);
}
