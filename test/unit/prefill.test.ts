import { describe, expect, it } from 'vitest';
import { parsePrefill } from '../../src/domain/prefill.js';

const ctx = {
  productLines: [
    { id: 'widgets', name: 'Widgets', unit: 'units' },
    { id: 'gadgets', name: 'Gadgets', unit: 'boxes' },
  ],
  today: '2026-11-23',
  minorUnitsPerMajor: 100,
};

describe('prefill from /commit text', () => {
  it('when the help example is typed then every part of it is understood', () => {
    expect(parsePrefill('Acme 120 widgets by 2026-12-15 $75k net 60', ctx)).toEqual({
      customer: 'Acme',
      quantity: 120,
      productLineId: 'widgets',
      deliveryDate: '2026-12-15',
      valueMinor: 7_500_000,
      paymentTermsDays: 60,
    });
  });

  it('when words come in another order with a unit, a month name and a discount then they are still understood', () => {
    expect(
      parsePrefill('Globex Corp: 40 boxes of gadgets by Jan 8 for 90,000 15% off ref OPP-123', ctx),
    ).toEqual({
      customer: 'Globex Corp',
      quantity: 40,
      productLineId: 'gadgets',
      deliveryDate: '2027-01-08',
      valueMinor: 9_000_000,
      discountPercent: 15,
      dealReference: 'OPP-123',
    });
  });

  it('when a month-and-day is later this year then this year is meant', () => {
    expect(parsePrefill('Initech 5 widgets 15 December', ctx).deliveryDate).toBe('2026-12-15');
  });

  it('when nothing is recognisable then only the customer is suggested', () => {
    expect(parsePrefill('Umbrella Corporation', ctx)).toEqual({ customer: 'Umbrella Corporation' });
    expect(parsePrefill('', ctx)).toEqual({});
  });

  it('when values are out of range then they are left for the seller rather than guessed', () => {
    const p = parsePrefill('Acme 10 widgets net 900 250% 2026-02-30', ctx);
    expect(p.paymentTermsDays).toBeUndefined();
    expect(p.discountPercent).toBeUndefined();
    expect(p.deliveryDate).toBeUndefined();
    expect(p.quantity).toBe(10);
  });
});
