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

// The golden week with its eight weeks behind it (test/support/golden-week.ts, seedGoldenHistory).
// The weeks, oldest first: 21 Sep, 28 Sep, 5 Oct (empty), 12 Oct (R71, P601), 19 Oct (R72, P602),
// 26 Oct (R73 on the fast lane, P603 two days late), 2 Nov (R74 escalated and answered, P604),
// 9 Nov (P1, P2). Counts of an empty week are 0; a share or a ratio of nothing has no value.
// Median: of the eight weeks' values; MAD: the median of their distances to it; the arrow needs
// four weeks with a value and a move over 2 × max(MAD, the unit's floor).
describe('weekly digest: the golden 8-week history, link by link', () => {
  let db: Db;
  beforeEach(() => {
    db = createDb(':memory:');
    seedGoldenWeek(db);
  });
  afterEach(() => closeDb(db));

  const scoreboardOf = () => {
    const d = buildWeeklyDigest(
      {
        reader: createDigestReader(db),
        config: exampleConfig(),
        clock: new FixedClock('2026-11-23T14:00:00Z'),
      },
      '2026-11-18',
    );
    if (!d.scoreboard) throw new Error('the digest has no scoreboard');
    return d.scoreboard;
  };

  it('when the week of 16 Nov is scored then every figure of every link matches the hand count', () => {
    const sb = scoreboardOf();
    const got = Object.fromEntries(
      sb.links.flatMap((l) => l.figures.map((f) => [f.id, [f.thisWeek, f.lastWeek, f.median8w, f.arrow]])),
    );
    expect(got).toEqual({
      // [this week, last week, 8-week median, arrow]
      // Weeks: 0,0,0,1,1,1,1,2 → median 1; distances 1,1,1,0,0,0,0,1 → MAD 0.5; 4 − 1 = 3 > 2 × 1.
      'sales.requests_in': [4, 2, 1, 'up'],
      // $10,000 + $25,000.50 + $5,000 + $75,000; weeks 0,0,0,1e6 ×4, 3e6 → median 1e6, MAD 5e5.
      'sales.value_in': [11_500_050, 3_000_000, 1_000_000, 'up'],
      // Same weeks as all requests (every earlier request is widgets): 2 − 1 = 1, not over 2.
      'sales.requests_in.widgets': [2, 2, 1, null],
      // $15,000 − $10,000 = 5e5, not over 2 × max(5e5, 1e5) = 1e6.
      'sales.value_in.widgets': [1_500_000, 3_000_000, 1_000_000, null],
      // All zero before: 2 is not over 2 × 1.
      'sales.requests_in.gadgets': [2, 0, 0, null],
      'sales.value_in.gadgets': [10_000_050, 0, 0, 'up'],
      // R10 (15 of 21 days), R30 (14 of 21), R40 (29 of 35): 3 of 4; every earlier request is not rush.
      'sales.rush_share': [75, 0, 0, 'up'],
      // R30 was revised: 1 of 4.
      'sales.revision_share': [25, 0, 0, 'up'],
      // Cleared this week: R10 (R40's approval is its override): none on the fast lane. Weeks with a
      // clearance: 0, 0, 100 (R73), 0 → median 0; the week of 9 Nov cleared nothing (no value).
      'sales.fast_lane_share': [0, null, 0, null],
      // Promises due: P605 on time, P609 late, P606 part, P607 open past due: 1 of 4. Weeks with
      // promises: 100, 100, 0, 100 → median 100, MAD 0: 75 points is over 2 × 5.
      'execution.otif': [25, null, 100, 'down'],
      // Late: weeks 0,0,0,0,0,1,0,0 → median 0.
      'execution.late': [1, 0, 0, null],
      // P609 delivered Sat 21 Nov for Wed 18 Nov: 3 days; only P603's 2 days before (one week: no arrow).
      'execution.slip_days_worst': [3, null, 2, null],
      // P608, promised Tue 24 Nov, slipped Fri 20 Nov to 2 Dec.
      'execution.at_risk_2w': [1, 0, 0, null],
      // Operations' approval of R10 over capacity, by U0OPS1.
      'execution.over_capacity_approvals': [1, 0, 0, null],
      'execution.over_capacity_value': [1_000_000, 0, 0, 'up'],
      // Operations' completed decisions: R10 and R20; weeks 0,0,0,1,1,0,1,0 → median 0, MAD 0.
      'execution.decided': [2, 0, 0, null],
      // Quality's approval of R10 "Ship in two lots".
      'quality.with_conditions': [1, 0, 0, null],
      'quality.rejections': [0, 0, 0, null],
      // 1 issue (P605, Thu 19 Nov) ÷ 2 delivered in full (P605, P609); weeks with a delivery: 0 ×4.
      'quality.issues_per_delivered': [0.5, null, 0, 'up'],
      // (1e6 × 30 + 2,500,050 × 60 + 5e5 × 30 + 7.5e6 × 30) ÷ 11,500,050 = 36.52… → 36.5.
      'finance.avg_terms': [36.5, 30, 30, 'up'],
      'finance.value_long_terms': [2_500_050, 0, 0, 'up'],
      // R10: 1e6 × 10 / 90 = 111,111; R40: 7.5e6 × 20 / 80 = 1,875,000.
      'finance.discount_given': [1_986_111, 0, 0, 'up'],
      // P602's $4,000 on Wed 18 Nov; P601's $10,000 on Thu 12 Nov the week before.
      'finance.payments_received': [400_000, 1_000_000, 0, 'up'],
      // P602: due Thu 19 Nov (delivered 20 Oct + 30), $10,000 − $4,000 unpaid on Mon 23 Nov.
      'finance.payments_overdue': [600_000, 0, 0, 'up'],
      // Sign-offs of the week's requests: 2 + 2 + 2 + 3; weeks 0,0,0,1,1,0,1,2 → median 0.5, MAD 0.5.
      'people.asked': [9, 2, 0.5, 'up'],
      // Every approval (R20's first finance approval too), rejection and date proposed: 9.
      'people.decisions': [9, 0, 0, 'up'],
      // U0OPS1: R10's approval and two dates proposed, 3 of 9; one owner in each earlier week with any.
      'people.busiest_share': [33, null, 100, null],
      // R30's and R40's proposals on Saturday and R40's rejection on Sunday: 4 of 9 = 44%.
      'people.outside_hours_share': [44, null, 0, null],
      // Rush requests with a People sign-off: R40.
      'people.rush_with_people': [1, 0, 0, null],
      // Quality (one owner), Finance (two owners, two approvals), People (one owner).
      'people.no_stand_in': [3, null, null, null],
      'leadership.overrides': [1, 0, 0, null],
      // P607, overridden, still open past due.
      'leadership.override_otif': [0, null, null, null],
      // P2's operations sign-off, escalated Mon 16 Nov, still pending; R74's the week of 2 Nov.
      'leadership.escalations': [1, 0, 0, null],
      // R74: escalated Fri 6 Nov 10:00, answered 12:00: 2 business hours.
      'leadership.escalation_answer_hours': [null, null, 2, null],
      'leadership.escalations_unanswered': [1, 0, 0, null],
    });
    expect(sb.overCapacity).toEqual({
      count: 1,
      valueMinor: 1_000_000,
      byActor: [{ actorId: 'U0OPS1', count: 1, valueMinor: 1_000_000 }],
    });
    expect(sb.noStandIn.map((f) => f.id)).toEqual(['quality', 'finance', 'people']);
    // Terms 36.5 days against 30: 6.5 over the bar of max(5, 2 × MAD 0) = 5 → 1.3 times it.
    expect(sb.findings).toEqual([
      {
        rule: 'terms_drift',
        link: 'finance',
        magnitude: 6.5 / 5,
        facts: { days: 36.5, median: 30, defaultDays: 30, valueLongTermsMinor: 2_500_050 },
      },
    ]);
  });

  it('when the week of 16 Nov is scored then every Promises kept figure matches the hand count', () => {
    const sb = scoreboardOf();
    expect(sb.promisesKept).toEqual({
      due: 4,
      onTimeInFull: 1,
      late: 1,
      slipDaysMedian: 3,
      slipDaysWorst: 3,
      partlyDelivered: 1,
      openPastDue: 1,
      notYetJudged: 0,
      otifPct: 25,
      otifMedian8w: 100,
      byProductLine: [
        // P605 on time, P607 open past due; the weeks before: 100, 100, 0, 100.
        { id: 'widgets', name: 'Widgets', judged: 2, otifPct: 50, median8w: 100 },
        // P606 part-delivered, P609 late; no gadgets promise before.
        { id: 'gadgets', name: 'Gadgets', judged: 2, otifPct: 0, median8w: null },
      ],
      atRiskNext2Weeks: [{ requestId: 608, promisedOn: '2026-11-24', expectedOn: '2026-12-02' }],
      byClearance: {
        // P605 (on time) and P606 (part).
        signedOff: { judged: 2, otifPct: 50 },
        overridden: { judged: 1, otifPct: 0 },
        fastLane: { judged: 1, otifPct: 0 },
      },
      deliveredInFull: 2,
      qualityIssues: 1,
      issuesPerDelivered: 0.5,
      // P602: delivered 20 Oct + 30 days = Thu 19 Nov.
      paymentsDueMinor: 1_000_000,
      paymentsReceivedMinor: 400_000,
      paymentsOverdueMinor: 600_000,
    });
    const got = Object.fromEntries(
      sb.promiseFigures.map((f) => [f.id, [f.thisWeek, f.lastWeek, f.median8w, f.arrow]]),
    );
    expect(got).toEqual({
      // Due: weeks 0,0,0,1,1,1,1,0 → median 0.5, MAD 0.5; 3.5 over 2 × 1.
      'promises_kept.due': [4, 0, 0.5, 'up'],
      // Weeks 0,0,0,1,1,0,1,0 → median 0.
      'promises_kept.on_time_in_full': [1, 0, 0, null],
      'promises_kept.late': [1, 0, 0, null],
      'promises_kept.slip_days_median': [3, null, 2, null],
      'promises_kept.slip_days_worst': [3, null, 2, null],
      'promises_kept.partly_delivered': [1, 0, 0, null],
      'promises_kept.open_past_due': [1, 0, 0, null],
      'promises_kept.otif': [25, null, 100, 'down'],
      'promises_kept.otif.widgets': [50, null, 100, 'down'],
      'promises_kept.otif.gadgets': [0, null, null, null],
      'promises_kept.at_risk_2w': [1, 0, 0, null],
      'promises_kept.signed_off': [2, 0, 0.5, null],
      'promises_kept.signed_off_otif': [50, null, 100, 'down'],
      'promises_kept.overridden': [1, 0, 0, null],
      'promises_kept.overridden_otif': [0, null, null, null],
      'promises_kept.fast_lane': [1, 0, 0, null],
      'promises_kept.fast_lane_otif': [0, null, null, null],
      // Delivered in full: weeks 0,0,0,1,1,1,1,0 → median 0.5, MAD 0.5; 1.5 is not over 2.
      'promises_kept.delivered_in_full': [2, 0, 0.5, null],
      'promises_kept.quality_issues': [1, 0, 0, null],
      'promises_kept.issues_per_delivered': [0.5, null, 0, 'up'],
      // P601's payment fell due Fri 13 Nov, the week before.
      'promises_kept.payments_due': [1_000_000, 1_000_000, 0, 'up'],
      'promises_kept.payments_received': [400_000, 1_000_000, 0, 'up'],
      'promises_kept.payments_overdue': [600_000, 0, 0, 'up'],
    });
  });
});
