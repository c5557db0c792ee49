import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatMoneyShort,
  minorToInput,
  minorUnitsPerMajor,
  parseMoneyInput,
} from '../../src/domain/money.js';

describe('money', () => {
  it('when a currency has no minor unit then one major unit is one minor unit', () => {
    expect(minorUnitsPerMajor('USD')).toBe(100);
    expect(minorUnitsPerMajor('JPY')).toBe(1);
    expect(minorUnitsPerMajor('BHD')).toBe(1000);
  });

  it('when a seller types an amount in the usual ways then it is read in minor units', () => {
    expect(parseMoneyInput('75000', 'USD')).toEqual({ ok: true, minor: 7_500_000 });
    expect(parseMoneyInput('$75,000.50', 'USD')).toEqual({ ok: true, minor: 7_500_050 });
    expect(parseMoneyInput('75k', 'USD')).toEqual({ ok: true, minor: 7_500_000 });
    expect(parseMoneyInput('1.2m', 'USD')).toEqual({ ok: true, minor: 120_000_000 });
    expect(parseMoneyInput('USD 1 200', 'USD')).toEqual({ ok: true, minor: 120_000 });
    expect(parseMoneyInput('1200', 'JPY')).toEqual({ ok: true, minor: 1200 });
  });

  it('when the amount is not a number then the reason says how to write it', () => {
    const r = parseMoneyInput('lots', 'USD');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toContain('75k');
    expect(parseMoneyInput('-5', 'USD')).toEqual({ ok: true, minor: -500 });
  });

  it('when formatted then amounts read as people write them', () => {
    expect(formatMoney(7_500_000, 'USD')).toBe('$75,000.00');
    expect(formatMoney(1200, 'JPY')).toBe('¥1,200');
    expect(formatMoneyShort(7_500_000, 'USD')).toBe('$75K');
  });
});

describe('minorToInput', () => {
  it('when minor units are written for the form then they read back exactly, whatever the currency', () => {
    expect(minorToInput(123456, 'USD')).toBe('1234.56');
    expect(minorToInput(5, 'USD')).toBe('0.05');
    expect(minorToInput(1200, 'JPY')).toBe('1200');
    expect(minorToInput(1005, 'BHD')).toBe('1.005');
    for (const [minor, currency] of [
      [1, 'USD'],
      [999_999_999_999, 'USD'],
      [7, 'BHD'],
      [3, 'JPY'],
    ] as const) {
      expect(parseMoneyInput(minorToInput(minor, currency), currency)).toEqual({ ok: true, minor });
    }
  });
});
