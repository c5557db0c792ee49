// The digest's small statistics and its "Where to look" thresholds, as product rules.
import { describe, expect, it } from 'vitest';
import { businessMsBetween, businessTimeline } from '../../src/domain/business-hours.js';
import {
  changePct,
  computeDigest,
  type DigestEvent,
  type DigestRequest,
  type DigestSignOff,
  median,
  percentile,
  summariseWeek,
  type WeekRows,
} from '../../src/domain/digest.js';

const hours = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } as const;
const NY = 'America/New_York';
const H = 3_600_000;

describe('statistics', () => {
  it('when the count is even then the median is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNull();
  });
  it('when asked for p90 then it is the nearest rank: the ceil(0.9 n)-th smallest', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
  });
  it('when the base is zero then the change is unknown, otherwise a whole percent', () => {
    expect(changePct(3, 0)).toBeNull();
    expect(changePct(14, 10)).toBe(40);
    expect(changePct(1, 3)).toBe(-67);
  });
});

describe('businessTimeline', () => {
  it('when asked anywhere in its stretch, across a DST change, then it agrees with businessMsBetween', () => {
    const tl = businessTimeline(hours, NY, '2026-10-20', '2026-11-30');
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const a = new Date(Date.UTC(2026, 9, 20) + Math.floor(next() * 38 * 86_400_000));
      const b = new Date(a.getTime() + Math.floor(next() * 10 * 86_400_000));
      expect(tl.msBetween(a, b)).toBe(businessMsBetween(a, b, hours, NY));
    }
  });

  it('when asked whether a millisecond is working time, in the stretch, at its edges and outside it, then it agrees with businessMsBetween', () => {
    const tl = businessTimeline(hours, NY, '2026-10-20', '2026-11-30');
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Random instants from before the stretch to after it, and every window's edges (09:00 and
    // 17:00 local, and the millisecond either side), across the change from EDT to EST.
    const instants: number[] = [];
    for (let i = 0; i < 3000; i++)
      instants.push(Date.UTC(2026, 9, 15) + Math.floor(next() * 50 * 86_400_000));
    for (let d = 0; d < 45; d++) {
      for (const utcHour of [13, 14, 21, 22]) {
        const edge = Date.UTC(2026, 9, 19, utcHour) + d * 86_400_000;
        instants.push(edge - 1, edge, edge + 1);
      }
    }
    let working = 0;
    for (const t of instants) {
      const expected = businessMsBetween(new Date(t), new Date(t + 1), hours, NY) > 0;
      expect(tl.isWorkingMs(t)).toBe(expected);
      if (expected) working++;
    }
    expect(working).toBeGreaterThan(500);
    expect(working).toBeLessThan(instants.length - 500);
  });
});

/** A week with `decisions` per function: each asked Monday 09:00 and decided `h` business hours later. */
function week(
  monday: string,
  requests: number,
  decisions: Record<string, { hours: number[]; rejected?: number; reason?: string }>,
): WeekRows {
  const start = new Date(`${monday}T14:00:00Z`); // 09:00 EST
  const submitted: DigestRequest[] = Array.from({ length: requests }, (_, i) => ({
    id: i + 1,
    productLineId: 'widgets',
    valueMinor: 100,
    deliveryDate: '2027-06-01',
    status: 'pending',
    createdAt: start,
  }));
  const signOffs = new Map<number, DigestSignOff>();
  const events: DigestEvent[] = [];
  let id = 1;
  for (const [fn, d] of Object.entries(decisions)) {
    d.hours.forEach((h, i) => {
      const soId = id++;
      signOffs.set(soId, { id: soId, requestId: 1, functionId: fn, askedAt: start });
      const rejected = i < (d.rejected ?? 0);
      events.push({
        id: soId,
        requestId: 1,
        signOffId: soId,
        type: rejected ? 'signoff.rejected' : 'signoff.approved',
        actorId: 'U0X',
        // Within Monday's window for h ≤ 8; the tests keep it so.
        at: new Date(start.getTime() + h * H),
        data: rejected ? { reason: d.reason ?? 'no' } : { complete: true },
      });
    });
  }
  return {
    submitted,
    askedByFunction: new Map(),
    events,
    requests: new Map(submitted.map((r) => [r.id, r])),
    signOffs,
    withConditions: new Set(),
  };
}

function digestOf(current: WeekRows, previous: WeekRows) {
  return computeDigest({
    weekStart: '2026-11-16',
    timeZone: NY,
    businessHours: hours,
    functions: [
      { id: 'operations', label: 'Operations' },
      { id: 'finance', label: 'Finance' },
    ],
    productLines: [{ id: 'widgets', name: 'Widgets', leadTimeDays: 21 }],
    current,
    previous: summariseWeek(previous),
    pendingNow: { requests: 0, valueMinor: 0, signOffs: [] },
    asOf: new Date('2026-11-23T14:00:00Z'),
  });
}

describe('where to look', () => {
  it('when inflow is up 40% and operations’ median decision time doubled then the stretch is named', () => {
    const d = digestOf(
      week('2026-11-16', 14, { operations: { hours: [4, 4, 4] } }),
      week('2026-11-09', 10, { operations: { hours: [2, 2, 2] } }),
    );
    expect(d.whereToLook).toEqual([
      'Inflow is up 40% while the median time Operations takes to decide rose 100% (2 h → 4 h): Operations is being stretched.',
    ]);
  });

  it('when inflow rose only 20% then no stretch is claimed', () => {
    const d = digestOf(
      week('2026-11-16', 12, { operations: { hours: [4, 4, 4] } }),
      week('2026-11-09', 10, { operations: { hours: [2, 2, 2] } }),
    );
    expect(d.whereToLook).toEqual([]);
  });

  it('when finance rejects 3 of 4 on the same reason then the reason is named', () => {
    const d = digestOf(
      week('2026-11-16', 4, {
        finance: { hours: [1, 1, 1, 1], rejected: 3, reason: 'Payment terms over 60 days' },
      }),
      week('2026-11-09', 0, {}),
    );
    expect(d.whereToLook).toEqual([
      'Finance rejected 3 of the 4 requests it decided (75%), most often "Payment terms over 60 days" (3).',
    ]);
  });
});

describe('the promise gap', () => {
  it('when dates were proposed then the gap runs from the first date asked for to the latest proposal, whatever the request says now', () => {
    const base = week('2026-11-16', 3, {});
    // Request 1 now says 2027-06-20 (it accepted a proposal); request 2 is from before
    // requestedDate was recorded, so its own date (2027-06-01) is used; request 3 has none.
    const requests = new Map(base.requests);
    const moved = requests.get(1);
    if (moved) requests.set(1, { ...moved, deliveryDate: '2027-06-20' });
    const proposal = (id: number, requestId: number, date: string, requestedDate?: string): DigestEvent => ({
      id: 100 + id,
      requestId,
      signOffId: null,
      type: 'signoff.date_proposed',
      actorId: 'U0X',
      at: new Date('2026-11-17T15:00:00Z'),
      data: { date, ...(requestedDate ? { requestedDate } : {}) },
    });
    const current: WeekRows = {
      ...base,
      requests,
      events: [
        proposal(1, 1, '2027-06-10', '2027-06-01'),
        // Asked again after a revision to the 5th; quality needs the 20th: 19 days from the 1st.
        proposal(2, 1, '2027-06-20', '2027-06-05'),
        proposal(3, 2, '2027-06-04'),
      ],
    };
    expect(digestOf(current, week('2026-11-09', 0, {})).promiseGap).toMatchObject({
      proposals: 2,
      medianDaysLate: (19 + 3) / 2,
    });
  });
});
