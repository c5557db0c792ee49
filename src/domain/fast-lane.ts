// The fast lane (INTERFACE.md "Capacity that decides"): a request that carries no risk is cleared
// at once instead of waiting for a person. Every condition is checked and explained, so the
// seller (and anyone reading the requests channel) sees why it was cleared, and a request that
// misses the lane says which ceiling it missed.
import { addDays, type IsoDate } from './calendar.js';
import { type CapacityCheck, capacityLevel } from './capacity.js';
import { formatMoney, minorUnitsPerMajor } from './money.js';
import type { RequestFacts } from './request.js';

/** `fast_lane` as configured: every key optional, each one a ceiling. */
export interface FastLane {
  /** Whole currency units, like `value_at_least`. */
  readonly max_value?: number | undefined;
  readonly max_discount_percent?: number | undefined;
  readonly max_payment_terms_days?: number | undefined;
  readonly product_lines?: readonly string[] | undefined;
}

export interface FastLaneContext {
  readonly currency: string;
  readonly productLines: readonly {
    readonly id: string;
    readonly name: string;
    readonly lead_time_days: number;
  }[];
  /** Today in the configured zone. */
  readonly today: IsoDate;
  readonly capacity: CapacityCheck | null;
  /** Whether the customer has a payment overdue on an earlier promise. */
  readonly customerHasPaymentOverdue: boolean;
}

export type FastLaneVerdict =
  | { readonly cleared: true; readonly reasons: readonly string[] }
  | { readonly cleared: false; readonly reasons: readonly string[]; readonly missed: readonly string[] };

/**
 * Whether a request is cleared on the lane: within every ceiling, at or beyond the standard lead
 * time, capacity verdict `fits`, no payment overdue. `reasons` are the conditions met, `missed`
 * the ones that were not (in the order above).
 */
export function fastLaneVerdict(facts: RequestFacts, lane: FastLane, ctx: FastLaneContext): FastLaneVerdict {
  const reasons: string[] = [];
  const missed: string[] = [];
  const check = (ok: boolean, met: string, not: string) => (ok ? reasons : missed).push(ok ? met : not);
  const line = ctx.productLines.find((p) => p.id === facts.productLineId);
  const lineName = line?.name ?? facts.productLineId;

  if (lane.max_value !== undefined) {
    const ceiling = Math.round(lane.max_value * minorUnitsPerMajor(ctx.currency));
    const value = formatMoney(facts.valueMinor, ctx.currency);
    const max = formatMoney(ceiling, ctx.currency);
    check(facts.valueMinor <= ceiling, `value ${value} within ${max}`, `value ${value} is over ${max}`);
  }
  if (lane.max_discount_percent !== undefined) {
    const max = lane.max_discount_percent;
    check(
      facts.discountPercent <= max,
      `discount ${facts.discountPercent}% within ${max}%`,
      `discount ${facts.discountPercent}% is over ${max}%`,
    );
  }
  if (lane.max_payment_terms_days !== undefined) {
    const max = lane.max_payment_terms_days;
    check(
      facts.paymentTermsDays <= max,
      `payment terms ${facts.paymentTermsDays} days within ${max}`,
      `payment terms ${facts.paymentTermsDays} days are over ${max}`,
    );
  }
  if (lane.product_lines !== undefined) {
    check(
      lane.product_lines.includes(facts.productLineId),
      `${lineName} is on the lane`,
      `${lineName} is not on the lane`,
    );
  }
  if (line) {
    const standard = addDays(ctx.today, line.lead_time_days);
    check(
      facts.deliveryDate >= standard,
      `delivery at or beyond the ${line.lead_time_days}-day standard lead time`,
      `delivery sooner than the ${line.lead_time_days}-day standard lead time`,
    );
  } else missed.push('unknown product line');
  const level = capacityLevel(ctx.capacity);
  check(
    level === 'fits',
    'capacity fits',
    level === null ? 'capacity not checked' : level === 'tight' ? 'capacity is tight' : 'over capacity',
  );
  check(
    !ctx.customerHasPaymentOverdue,
    'no payment overdue for this customer',
    'the customer has a payment overdue',
  );
  return missed.length === 0 ? { cleared: true, reasons } : { cleared: false, reasons, missed };
}
