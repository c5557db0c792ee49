// The scoreboard asks "delivered in full by that day?" of each promise due in the two weeks after
// every one of nine weeks. It answers from the promise's delivered-in-full day: the deliveries up
// to a day are a prefix of all of them in day order, so the day is the same or had not come.
import { describe, expect, it } from 'vitest';
import { fullDeliveryDay, plusDays, type ScorePromise } from '../../src/domain/scoreboard.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function promise(rand: () => number): ScorePromise {
  const quantity = 1 + Math.floor(rand() * 10);
  const deliveries = Array.from({ length: Math.floor(rand() * 5) }, () => ({
    deliveredOn: plusDays('2026-11-01', Math.floor(rand() * 20)),
    quantity: 1 + Math.floor(rand() * 6),
  }));
  return {
    requestId: 1,
    productLineId: 'widgets',
    quantity,
    valueMinor: 100,
    paymentTermsDays: 30,
    promisedOn: '2026-11-10',
    clearedVia: 'signoffs',
    deliveries,
    slips: [],
    issues: [],
    payments: [],
    cancellation: null,
  };
}

describe('delivered in full by a day', () => {
  it('when 5,000 random promises are asked about every day around their deliveries then the shortcut answers as the count does', () => {
    const rand = rng(17);
    let differ = 0;
    let deliveredBy = 0;
    for (let i = 0; i < 5000; i++) {
      const p = promise(rand);
      const full = fullDeliveryDay(p);
      for (let d = -1; d <= 21; d++) {
        const day = plusDays('2026-11-01', d);
        const counted = fullDeliveryDay(p, day);
        const shortcut = full !== null && full <= day ? full : null;
        if (counted !== shortcut) differ++;
        if (counted !== null) deliveredBy++;
      }
    }
    expect(differ).toBe(0);
    // Both answers occur: the comparison is not between nulls only.
    expect(deliveredBy).toBeGreaterThan(10_000);
  });
});
