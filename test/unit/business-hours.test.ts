import { describe, expect, it } from 'vitest';
import {
  addBusinessHours,
  type BusinessHours,
  businessHoursBetween,
} from '../../src/domain/business-hours.js';

const NY = 'America/New_York';
const weekdays: BusinessHours = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const at = (iso: string) => new Date(iso);

describe('business hours', () => {
  it('when a wait spans a night then only the working hours count', () => {
    // Mon 16:00 → Tue 10:00 New York (UTC-5 in November): 1 h Monday + 1 h Tuesday.
    expect(businessHoursBetween(at('2026-11-23T21:00:00Z'), at('2026-11-24T15:00:00Z'), weekdays, NY)).toBe(
      2,
    );
  });

  it('when a wait spans a weekend then Saturday and Sunday count for nothing', () => {
    // Fri 15:00 → Mon 11:00: 2 h Friday + 2 h Monday.
    expect(businessHoursBetween(at('2026-11-27T20:00:00Z'), at('2026-11-30T16:00:00Z'), weekdays, NY)).toBe(
      4,
    );
  });

  it('when something starts outside hours then it starts counting at the next opening', () => {
    // Submitted Saturday noon; remind after 8 business hours → Monday 17:00.
    expect(addBusinessHours(at('2026-11-28T17:00:00Z'), 8, weekdays, NY).toISOString()).toBe(
      '2026-11-30T22:00:00.000Z',
    );
    // Submitted Monday 16:00; 8 business hours later is Tuesday 16:00.
    expect(addBusinessHours(at('2026-11-23T21:00:00Z'), 8, weekdays, NY).toISOString()).toBe(
      '2026-11-24T21:00:00.000Z',
    );
    // 24 business hours from Wednesday 09:00 is Friday 17:00.
    expect(addBusinessHours(at('2026-11-25T14:00:00Z'), 24, weekdays, NY).toISOString()).toBe(
      '2026-11-27T22:00:00.000Z',
    );
  });

  it('when the clocks change then a working day is still eight hours long', () => {
    // Fri 2026-03-06 09:00 EST (14:00Z) → Mon 2026-03-09 17:00 EDT (21:00Z): 8 + 8 hours.
    expect(businessHoursBetween(at('2026-03-06T14:00:00Z'), at('2026-03-09T21:00:00Z'), weekdays, NY)).toBe(
      16,
    );
    expect(addBusinessHours(at('2026-03-06T14:00:00Z'), 16, weekdays, NY).toISOString()).toBe(
      '2026-03-09T21:00:00.000Z',
    );
  });

  it('when the end is before the start then nothing has waited', () => {
    expect(businessHoursBetween(at('2026-11-24T15:00:00Z'), at('2026-11-23T15:00:00Z'), weekdays, NY)).toBe(
      0,
    );
  });

  it('when no day is a business day then adding hours is refused instead of looping', () => {
    expect(() => addBusinessHours(at('2026-11-23T15:00:00Z'), 1, { ...weekdays, days: [] }, NY)).toThrow(
      RangeError,
    );
  });
});
