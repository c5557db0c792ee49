import { describe, expect, it } from 'vitest';
import type { CapacityCheck } from '../../src/domain/capacity.js';
import { type FastLane, type FastLaneContext, fastLaneVerdict } from '../../src/domain/fast-lane.js';
import type { RequestFacts } from '../../src/domain/request.js';
import { route } from '../../src/domain/routing.js';

const fits: CapacityCheck = {
  verdict: 'fits',
  productLineId: 'widgets',
  weekStart: '2026-12-28',
  capacity: 500,
  overridden: false,
  firm: 0,
  tentative: 0,
  thisRequest: 100,
  overBy: 0,
  earliestFeasibleDate: '2026-12-28',
  horizonWeeks: 0,
};
const lane: FastLane = {
  max_value: 5000,
  max_discount_percent: 10,
  max_payment_terms_days: 30,
  product_lines: ['widgets'],
};
const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  customer: 'Acme',
  productLineId: 'widgets',
  quantity: 100,
  valueMinor: 500_000, // exactly the $5,000.00 ceiling
  deliveryDate: '2026-12-22', // exactly today + 21 days
  paymentTermsDays: 30,
  discountPercent: 10,
  specialRequirements: null,
  dealReference: null,
  ...over,
});
const ctx = (over: Partial<FastLaneContext> = {}): FastLaneContext => ({
  currency: 'USD',
  productLines: [
    { id: 'widgets', name: 'Widgets', lead_time_days: 21 },
    { id: 'gears', name: 'Gears', lead_time_days: 14 },
  ],
  today: '2026-12-01',
  capacity: fits,
  customerHasPaymentOverdue: false,
  ...over,
});

describe('fast lane: cleared at once within every ceiling', () => {
  it('when a request sits exactly on every ceiling then it is cleared with every reason', () => {
    expect(fastLaneVerdict(facts(), lane, ctx())).toEqual({
      cleared: true,
      reasons: [
        'value $5,000.00 within $5,000.00',
        'discount 10% within 10%',
        'payment terms 30 days within 30',
        'Widgets is on the lane',
        'delivery at or beyond the 21-day standard lead time',
        'capacity fits',
        'no payment overdue for this customer',
      ],
    });
  });

  const misses: [string, Partial<RequestFacts>, Partial<FastLaneContext>, string][] = [
    ['the value is one cent over', { valueMinor: 500_001 }, {}, 'value $5,000.01 is over $5,000.00'],
    ['the discount is a tenth over', { discountPercent: 10.1 }, {}, 'discount 10.1% is over 10%'],
    ['the payment terms are a day over', { paymentTermsDays: 31 }, {}, 'payment terms 31 days are over 30'],
    [
      'the product line is not on the lane',
      { productLineId: 'gears', deliveryDate: '2026-12-22' },
      {},
      'Gears is not on the lane',
    ],
    [
      'the delivery is a day sooner than the lead time',
      { deliveryDate: '2026-12-21' },
      {},
      'delivery sooner than the 21-day standard lead time',
    ],
    [
      'capacity is tight',
      {},
      { capacity: { ...fits, verdict: 'fits_if_pending_fall_through', overBy: 1 } },
      'capacity is tight',
    ],
    ['capacity is over', {}, { capacity: { ...fits, verdict: 'over', overBy: 1 } }, 'over capacity'],
    ['capacity is not checked', {}, { capacity: null }, 'capacity not checked'],
    [
      'the customer has a payment overdue',
      {},
      { customerHasPaymentOverdue: true },
      'the customer has a payment overdue',
    ],
  ];
  for (const [what, f, c, missed] of misses) {
    it(`when ${what} then it misses the lane by exactly that`, () => {
      const verdict = fastLaneVerdict(facts(f), lane, ctx(c));
      expect(verdict.cleared).toBe(false);
      expect(verdict.cleared === false && verdict.missed).toEqual([missed]);
    });
  }

  it('when the lane has no ceilings then only lead time, capacity and payments decide', () => {
    const verdict = fastLaneVerdict(facts({ valueMinor: 99_999_999, discountPercent: 50 }), {}, ctx());
    expect(verdict).toEqual({
      cleared: true,
      reasons: [
        'delivery at or beyond the 21-day standard lead time',
        'capacity fits',
        'no payment overdue for this customer',
      ],
    });
  });
});

describe('routing on capacity: when.capacity', () => {
  const routing = (capacity: 'fits' | 'tight' | 'over' | null) => ({
    rules: [{ when: { capacity: ['over' as const] }, require: ['leadership_cosign'] }],
    functionOrder: ['leadership_cosign'],
    productLines: [{ id: 'widgets', name: 'Widgets', lead_time_days: 21 }],
    currency: 'USD',
    today: '2026-12-01',
    capacity,
  });
  it('when the verdict is over then a capacity: over rule requires its function, saying why', () => {
    expect(route(facts(), routing('over'))).toEqual([
      { functionId: 'leadership_cosign', requiredBy: ['over capacity'] },
    ]);
  });
  it('when the verdict is fits, tight or not checked then the capacity: over rule does not match', () => {
    for (const level of ['fits', 'tight', null] as const) expect(route(facts(), routing(level))).toEqual([]);
  });
});
