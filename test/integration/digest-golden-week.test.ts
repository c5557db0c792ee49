// The golden week: a seeded week in America/New_York (EST, UTC-5) whose every digest figure is
// worked out by hand below, from business hours 09:00–17:00 Monday to Friday. The database is
// real (in-memory, real migrations), so this also proves the digest reads the right rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createDigestReader } from '../../src/db/digest-repo.js';
import { buildWeeklyDigest } from '../../src/services/weekly-digest.js';
import { exampleConfig } from '../support/config.js';
import { seedEvent } from '../support/digest-seed.js';
import { FixedClock } from '../support/fixed-clock.js';
import { seedGoldenWeek } from '../support/golden-week.js';

describe('weekly digest: the golden week', () => {
  let db: Db;
  beforeEach(() => {
    db = createDb(':memory:');
    seedGoldenWeek(db);
  });
  afterEach(() => closeDb(db));

  it('when the week of 16 Nov 2026 is digested on Mon 23 Nov 09:00 then every figure matches the hand count', () => {
    const clock = new FixedClock('2026-11-23T14:00:00Z');
    const d = buildWeeklyDigest(
      { reader: createDigestReader(db), config: exampleConfig(), clock },
      '2026-11-18',
    );

    expect(d.weekStart).toBe('2026-11-16');
    expect(d.weekEnd).toBe('2026-11-22');
    expect(d.inflow).toEqual({
      count: 4,
      valueMinor: 1_000_000 + 2_500_050 + 500_000 + 7_500_000,
      previousCount: 2,
      previousValueMinor: 3_000_000,
      countChangePct: 100,
      // (11,500,050 − 3,000,000) / 3,000,000 = 283.335 %
      valueChangePct: 283,
      byProductLine: [
        {
          id: 'widgets',
          name: 'Widgets',
          count: 2,
          valueMinor: 1_500_000,
          previousCount: 2,
          previousValueMinor: 3_000_000,
        },
        {
          id: 'gadgets',
          name: 'Gadgets',
          count: 2,
          valueMinor: 10_000_050,
          previousCount: 0,
          previousValueMinor: 0,
        },
      ],
    });
    expect(d.outcomes).toEqual({
      approved: 1,
      approvedWithConditions: 1,
      approvedWithoutConditions: 0,
      rejected: 1,
      withdrawn: 1,
      expired: 0,
      overridden: 1,
      pendingNow: 2,
      clearedValueMinor: 1_000_000 + 7_500_000,
      blockedValueMinor: 2_500_050,
      pendingValueMinor: 500_000 + 1_000_000,
    });

    const fn = Object.fromEntries(d.functions.map((f) => [f.id, f]));
    expect(d.functions.map((f) => f.label)).toEqual(['Operations', 'Quality', 'Finance', 'People']);
    expect(fn.operations).toEqual({
      id: 'operations',
      label: 'Operations',
      asked: 4,
      decided: 2,
      approved: 2,
      rejected: 0,
      datesProposed: 2,
      medianHours: (4 + 9) / 2,
      p90Hours: 9,
      previousMedianHours: null,
      previousDecided: 0,
      pendingNow: 2,
      // P2 asked Thu 12 09:00: Thu 8 + Fri 8 + five days of 8 = 56 h by Mon 23 09:00; R30 asked Fri 16:00: 1 h.
      oldestPendingHours: 56,
      pendingHoursTotal: 57,
      reminders: 1,
      escalations: 1,
      topRejectionReason: null,
    });
    expect(fn.quality).toMatchObject({
      asked: 2,
      decided: 1,
      approved: 1,
      rejected: 0,
      medianHours: 9,
      p90Hours: 9,
      pendingNow: 1,
      oldestPendingHours: 1,
    });
    expect(fn.finance).toMatchObject({
      asked: 2,
      decided: 2,
      approved: 0,
      rejected: 2,
      medianHours: (11 + 0) / 2,
      p90Hours: 11,
      pendingNow: 0,
      oldestPendingHours: null,
      topRejectionReason: { text: 'Payment terms too long', count: 2 },
    });
    expect(fn.people).toMatchObject({
      asked: 1,
      decided: 0,
      datesProposed: 1,
      medianHours: null,
      p90Hours: null,
      reminders: 0,
      escalations: 0,
    });

    expect(d.promiseGap).toEqual({
      requests: 4,
      shorterThanStandard: 3,
      sharePct: 75,
      proposals: 2,
      medianDaysLate: 15,
    });
    expect(d.overrides).toEqual([
      {
        requestId: 40,
        actorId: 'U0CEO',
        reason: 'Strategic customer',
        at: new Date('2026-11-22T16:00:00Z'),
        valueMinor: 7_500_000,
      },
    ]);
    expect(d.whereToLook).toEqual([
      // 57 of 58 pending hours = 98 %.
      'Operations holds 98% of all pending waiting time (2 of 3 pending sign-offs, the oldest 56 h in business hours).',
      '3 of 4 requests (75%) asked for delivery sooner than the standard lead time.',
      'Leadership was alerted to sign-offs waiting too long: Operations (1).',
      '1 rejection was overridden by leadership: see Overrides.',
    ]);
  });
  it('when the week before had decisions then their median is read for the week-over-week comparison', () => {
    // P1's operations sign-off (asked Tue 10 Nov 10:00) rejected Fri 13 Nov 10:00: Tue 7 + Wed 8 + Thu 8 + Fri 1 = 24 h.
    seedEvent(db, {
      requestId: 1,
      signOffId: 101,
      type: 'signoff.rejected',
      at: '2026-11-13T15:00:00Z',
      actorId: 'U0OPS1',
      data: { reason: 'No slot' },
    });
    // A partial approval (quorum not reached) is not a decision.
    seedEvent(db, {
      requestId: 2,
      signOffId: 201,
      type: 'signoff.approved',
      at: '2026-11-12T16:00:00Z',
      actorId: 'U0OPS1',
      data: { complete: false, conditions: null },
    });
    const clock = new FixedClock('2026-11-23T14:00:00Z');
    const d = buildWeeklyDigest(
      { reader: createDigestReader(db), config: exampleConfig(), clock },
      '2026-11-16',
    );
    const ops = d.functions.find((f) => f.id === 'operations');
    expect(ops?.previousMedianHours).toBe(24);
    expect(ops?.previousDecided).toBe(1);
    expect(d.functions.find((f) => f.id === 'finance')?.previousDecided).toBe(0);
  });
});
