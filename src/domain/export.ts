// One row per request for `npm run export`: its facts, each function's decision, the outcome and
// the promise's figures. Pure: the service loads, the CLI writes the CSV.
import { daysBetween, type IsoDate, localDate } from './calendar.js';
import {
  type CommitPromise,
  deliveredInFullOn,
  deliveredQuantity,
  isOnTimeInFull,
  paidMinor,
} from './promise.js';
import { type CommitRequest, requestRef } from './request.js';

export type ExportCell = string | number | null;
export type ExportRow = Readonly<Record<string, ExportCell>>;

const FACT_COLUMNS = [
  'reference',
  'created_on',
  'seller',
  'customer',
  'product_line',
  'quantity',
  'value_minor',
  'currency',
  'delivery_date',
  'payment_terms_days',
  'discount_percent',
  'special_requirements',
  'deal_reference',
  'capacity_verdict',
] as const;

const OUTCOME_COLUMNS = [
  'outcome',
  'closed_on',
  'promise_state',
  'promised_on',
  'expected_on',
  'delivered_quantity',
  'delivered_in_full_on',
  'otif',
  'paid_minor',
  'paid_in_full_on',
  'days_to_payment',
] as const;

/** The header: facts, one `signoff_<function>` column per configured function, then the outcome. */
export function exportColumns(functionIds: readonly string[]): string[] {
  return [...FACT_COLUMNS, ...functionIds.map((id) => `signoff_${id}`), ...OUTCOME_COLUMNS];
}

/** The day the payments reached the whole value, or null while some is unpaid. */
export function paidInFullOn(p: CommitPromise): IsoDate | null {
  let sum = 0;
  for (const payment of [...p.payments].sort((a, b) =>
    a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0,
  )) {
    sum += payment.amountMinor;
    if (sum >= p.valueMinor) return payment.paidOn;
  }
  return null;
}

/**
 * Days from delivery in full (when payment terms start counting) to payment in full; null until
 * both happened. Negative when the customer paid before the last delivery.
 */
export function daysToPayment(p: CommitPromise): number | null {
  const delivered = deliveredInFullOn(p);
  const paid = paidInFullOn(p);
  return delivered === null || paid === null ? null : daysBetween(delivered, paid);
}

export function exportRowOf(
  request: CommitRequest,
  promise: CommitPromise | null,
  ctx: { readonly functionIds: readonly string[]; readonly currency: string; readonly timeZone: string },
): ExportRow {
  const f = request.facts;
  const decisions = Object.fromEntries(
    ctx.functionIds.map((id) => [
      `signoff_${id}`,
      request.signOffs.find((s) => s.functionId === id)?.status ?? null,
    ]),
  );
  const outcome = request.override ? 'approved_by_override' : request.status;
  return {
    reference: requestRef(request.id),
    created_on: localDate(request.createdAt, ctx.timeZone),
    seller: request.sellerId,
    customer: f.customer,
    product_line: f.productLineId,
    quantity: f.quantity,
    value_minor: f.valueMinor,
    currency: ctx.currency,
    delivery_date: f.deliveryDate,
    payment_terms_days: f.paymentTermsDays,
    discount_percent: f.discountPercent,
    special_requirements: f.specialRequirements,
    deal_reference: f.dealReference,
    capacity_verdict: request.capacityCheck?.verdict ?? null,
    ...decisions,
    outcome,
    closed_on: request.closedAt ? localDate(request.closedAt, ctx.timeZone) : null,
    promise_state: promise?.state ?? null,
    promised_on: promise?.promisedOn ?? null,
    expected_on: promise?.expectedOn ?? null,
    delivered_quantity: promise ? deliveredQuantity(promise) : null,
    delivered_in_full_on: promise ? deliveredInFullOn(promise) : null,
    otif: promise
      ? deliveredInFullOn(promise) === null
        ? null
        : isOnTimeInFull(promise)
          ? 'yes'
          : 'no'
      : null,
    paid_minor: promise ? paidMinor(promise) : null,
    paid_in_full_on: promise ? paidInFullOn(promise) : null,
    days_to_payment: promise ? daysToPayment(promise) : null,
  };
}
