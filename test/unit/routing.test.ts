import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../../src/domain/request.js';
import { isShorterThanStandard, type RoutingContext, route } from '../../src/domain/routing.js';
import { exampleConfig } from '../support/config.js';

const config = exampleConfig();
const ctx: RoutingContext = {
  rules: config.rules,
  functionOrder: Object.keys(config.functions),
  productLines: config.product_lines,
  currency: 'USD',
  today: '2026-11-23',
};

function facts(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return {
    customer: 'Acme',
    productLineId: 'gadgets',
    quantity: 10,
    valueMinor: 1_000_000, // $10,000
    deliveryDate: '2027-02-01', // well beyond 35 days
    paymentTermsDays: 30,
    discountPercent: 0,
    specialRequirements: null,
    dealReference: null,
    ...overrides,
  };
}

const ids = (f: RequestFacts, c: RoutingContext = ctx) => route(f, c).map((r) => r.functionId);

describe('routing a request to the functions that must sign off', () => {
  it('when nothing special applies then only the always-rule matches', () => {
    expect(route(facts(), ctx)).toEqual([{ functionId: 'operations', requiredBy: ['always required'] }]);
  });

  it('when the product line is widgets then quality is added, with the product as the reason', () => {
    expect(route(facts({ productLineId: 'widgets', deliveryDate: '2027-02-01' }), ctx)).toEqual([
      { functionId: 'operations', requiredBy: ['always required'] },
      { functionId: 'quality', requiredBy: ['product line is Widgets'] },
    ]);
  });

  it.each([
    ['value exactly at the threshold', { valueMinor: 5_000_000 }, ['operations', 'finance']],
    ['value one cent under the threshold', { valueMinor: 4_999_999 }, ['operations']],
    ['payment terms of 30 days (not over)', { paymentTermsDays: 30 }, ['operations']],
    ['payment terms of 31 days', { paymentTermsDays: 31 }, ['operations', 'finance']],
    ['a discount of exactly 15%', { discountPercent: 15 }, ['operations']],
    ['a discount of 15.5%', { discountPercent: 15.5 }, ['operations', 'finance']],
  ])('when %s then the required functions are right', (_name, overrides, expected) => {
    expect(ids(facts(overrides))).toEqual(expected);
  });

  it('when several rules require finance then finance appears once with every reason, in rule order', () => {
    const r = route(facts({ valueMinor: 9_000_000, paymentTermsDays: 60, discountPercent: 20 }), ctx);
    expect(r.find((x) => x.functionId === 'finance')?.requiredBy).toEqual([
      'value at least $50,000.00',
      'payment terms over 30 days',
      'discount over 15%',
    ]);
  });

  it('when the result is listed then functions follow the configured order, not rule order', () => {
    const c = { ...ctx, rules: [{ require: ['people'] }, { require: ['finance', 'operations'] }] };
    expect(ids(facts(), c)).toEqual(['operations', 'finance', 'people']);
  });

  describe('lead time shorter than standard (widgets: 21 days, today 2026-11-23)', () => {
    it.each([
      ['2026-12-13', true], // today + 20
      ['2026-12-14', false], // today + 21 exactly: the standard lead time is met
      ['2026-11-23', true],
    ])('when the delivery date is %s then shorter is %s', (deliveryDate, shorter) => {
      const f = facts({ productLineId: 'widgets', deliveryDate });
      expect(isShorterThanStandard(f, ctx)).toBe(shorter);
      expect(ids(f).includes('people')).toBe(shorter);
    });

    it('when the date is short then operations is required by both rules and people joins', () => {
      const r = route(facts({ productLineId: 'widgets', deliveryDate: '2026-12-01' }), ctx);
      expect(r).toEqual([
        {
          functionId: 'operations',
          requiredBy: ['always required', 'delivery sooner than the 21-day standard lead time'],
        },
        { functionId: 'quality', requiredBy: ['product line is Widgets'] },
        { functionId: 'people', requiredBy: ['delivery sooner than the 21-day standard lead time'] },
      ]);
    });
  });

  it('when a rule has several conditions then all must hold', () => {
    const c = {
      ...ctx,
      rules: [{ when: { product_line: ['widgets'], value_at_least: 1000 }, require: ['finance'] }],
    };
    expect(ids(facts({ productLineId: 'widgets', valueMinor: 100_000 }), c)).toEqual(['finance']);
    expect(ids(facts({ productLineId: 'widgets', valueMinor: 99_999 }), c)).toEqual([]);
    expect(ids(facts({ productLineId: 'gadgets', valueMinor: 100_000 }), c)).toEqual([]);
  });

  it('when a rule names its own reason then that reason is shown', () => {
    const c = {
      ...ctx,
      rules: [{ when: { quantity_at_least: 100 }, require: ['operations'], reason: 'large batch' }],
    };
    expect(route(facts({ quantity: 100 }), c)).toEqual([
      { functionId: 'operations', requiredBy: ['large batch'] },
    ]);
  });

  it('when special requirements are stated then a has_special_requirements rule matches', () => {
    const c = { ...ctx, rules: [{ when: { has_special_requirements: true }, require: ['quality'] }] };
    expect(ids(facts({ specialRequirements: 'custom finish' }), c)).toEqual(['quality']);
    expect(ids(facts({ specialRequirements: '  ' }), c)).toEqual([]);
  });

  it('when no rule matches then no function is required', () => {
    expect(
      ids(facts(), { ...ctx, rules: [{ when: { product_line: ['widgets'] }, require: ['quality'] }] }),
    ).toEqual([]);
  });
});
