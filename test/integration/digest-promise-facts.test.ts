// The scoreboard's promises counted per week by the database (reader.promiseFacts) equal the
// facts the domain makes of the same promises read row by row (promiseFactsOf), on the golden
// 8-week history with odd promises beside it: deliveries recorded out of day order, several on
// one day, more than promised; payments in parts, late, or never; slips that expect a promise
// late, then on time again, or recorded after the week; a cancelled promise with steps; and
// judged on several days.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createDigestReader } from '../../src/db/digest-repo.js';
import { addDays, type IsoDate } from '../../src/domain/calendar.js';
import { AT_RISK_DAYS, earlierDay, type PromiseFacts, promiseFactsOf } from '../../src/domain/scoreboard.js';
import { seedPromise, seedRequest } from '../support/digest-seed.js';
import { seedGoldenWeek } from '../support/golden-week.js';

const FIRST = '2026-09-21';
const MONDAYS = Array.from({ length: 9 }, (_, i) => addDays(FIRST, 7 * i));
const SUNDAY = addDays(MONDAYS[8] as IsoDate, 6);
const windowOf = (today: IsoDate) => ({
  from: FIRST,
  to: SUNDAY,
  atRiskTo: addDays(SUNDAY, AT_RISK_DAYS),
  overdueBefore: earlierDay(addDays(SUNDAY, 1), today),
});

describe('the digest reader, promises as facts', () => {
  let db: Db;
  beforeEach(() => {
    db = createDb(':memory:');
    seedGoldenWeek(db);
    for (let id = 701; id <= 712; id++) {
      seedRequest(db, {
        id,
        productLineId: id % 2 ? 'widgets' : 'gadgets',
        valueMinor: 500_000,
        deliveryDate: '2026-11-01',
        createdAt: '2026-08-03T14:00:00Z',
        status: 'approved',
      });
    }
    // Recorded out of day order: 3 on the 16th, 5 on the 18th, 4 on the 20th (in full then, 3 days late).
    seedPromise(db, {
      requestId: 701,
      productLineId: 'widgets',
      promisedOn: '2026-11-17',
      quantity: 12,
      state: 'delivered',
      deliveries: [
        { on: '2026-11-20', quantity: 4 },
        { on: '2026-11-16', quantity: 3 },
        { on: '2026-11-18', quantity: 5 },
      ],
      payments: [
        { on: '2026-11-25', amountMinor: 100_000 },
        { on: '2026-12-20', amountMinor: 400_000 },
      ],
      paymentTermsDays: 0,
    });
    // Two deliveries on one day make it whole; paid in two parts before and after its due day.
    seedPromise(db, {
      requestId: 702,
      productLineId: 'gadgets',
      promisedOn: '2026-10-07',
      state: 'delivered',
      clearedVia: 'no_signoff_needed',
      deliveries: [
        { on: '2026-10-09', quantity: 6 },
        { on: '2026-10-09', quantity: 4 },
      ],
      paymentTermsDays: 14,
      payments: [
        { on: '2026-10-20', amountMinor: 200_000 },
        { on: '2026-11-10', amountMinor: 300_000 },
      ],
    });
    // Never paid, due long before the window: overdue every week.
    seedPromise(db, {
      requestId: 703,
      productLineId: 'widgets',
      promisedOn: '2026-08-10',
      state: 'delivered',
      deliveries: [{ on: '2026-08-12', quantity: 10 }],
    });
    // Slipped late, then back on time: not at risk; another slipped late after the week's end.
    seedPromise(db, {
      requestId: 704,
      productLineId: 'widgets',
      promisedOn: '2026-11-26',
      state: 'open',
      slips: [
        { expectedOn: '2026-12-04', at: '2026-11-10T15:00:00Z' },
        { expectedOn: '2026-11-25', at: '2026-11-16T15:00:00Z' },
      ],
    });
    seedPromise(db, {
      requestId: 705,
      productLineId: 'gadgets',
      promisedOn: '2026-12-01',
      state: 'at_risk',
      clearedVia: 'fast_lane',
      slips: [{ expectedOn: '2026-12-08', at: '2026-11-23T04:30:00Z' }],
    });
    // Slipped, but delivered in full before the week's end.
    seedPromise(db, {
      requestId: 706,
      productLineId: 'widgets',
      promisedOn: '2026-11-10',
      state: 'delivered',
      deliveries: [{ on: '2026-11-06', quantity: 10 }],
      slips: [{ expectedOn: '2026-11-12', at: '2026-11-02T15:00:00Z' }],
    });
    // Part-delivered, past due; late; open and not yet due; cancelled with steps.
    seedPromise(db, {
      requestId: 707,
      productLineId: 'gadgets',
      promisedOn: '2026-10-28',
      state: 'partly_delivered',
      clearedVia: 'override',
      deliveries: [{ on: '2026-10-27', quantity: 2 }],
      issues: ['2026-10-29', '2026-10-30'],
    });
    seedPromise(db, {
      requestId: 708,
      productLineId: 'widgets',
      promisedOn: '2026-10-28',
      state: 'delivered',
      deliveries: [{ on: '2026-11-02', quantity: 10 }],
      payments: [{ on: '2026-11-30', amountMinor: 1_000_000 }],
    });
    seedPromise(db, { requestId: 709, productLineId: 'widgets', promisedOn: '2026-11-21', state: 'open' });
    seedPromise(db, {
      requestId: 710,
      productLineId: 'widgets',
      promisedOn: '2026-11-18',
      state: 'cancelled',
      deliveries: [{ on: '2026-11-18', quantity: 10 }],
      payments: [{ on: '2026-11-19', amountMinor: 1_000_000 }],
      issues: ['2026-11-19'],
      slips: [{ expectedOn: '2026-12-01', at: '2026-11-17T15:00:00Z' }],
    });
    db.$client
      .prepare('UPDATE promises SET cancelled_at = ? WHERE request_id = 710')
      .run(Date.parse('2026-11-19T15:00:00Z'));
    // On time beside request 604 (the same line, clearance and outcome: one group of two).
    seedPromise(db, {
      requestId: 712,
      productLineId: 'widgets',
      promisedOn: '2026-11-05',
      state: 'delivered',
      deliveries: [{ on: '2026-11-05', quantity: 10 }],
    });
    // Delivered in full in the window, promised before it, paid on its due day exactly.
    seedPromise(db, {
      requestId: 711,
      productLineId: 'gadgets',
      promisedOn: '2026-09-01',
      state: 'delivered',
      deliveries: [
        { on: '2026-09-02', quantity: 5 },
        { on: '2026-09-30', quantity: 5 },
      ],
      paymentTermsDays: 10,
      payments: [{ on: '2026-10-10', amountMinor: 1_000_000 }],
    });
  });
  afterEach(() => closeDb(db));

  it('when the nine weeks are read as promise facts then they equal the facts of the promises read row by row', () => {
    const reader = createDigestReader(db);
    const seen: PromiseFacts[] = [];
    for (const today of ['2026-11-19', '2026-11-23', '2026-12-31', '2026-10-15'] as IsoDate[]) {
      const window = windowOf(today);
      const facts = reader.promiseFacts(window, MONDAYS, today);
      expect(facts).toEqual(promiseFactsOf(reader.promises(window), MONDAYS, today));
      expect(facts.weeks).toHaveLength(9);
      seen.push(facts);
    }
    // Something to compare: every kind of figure is there on some day.
    const weeks = seen.flatMap((f) => f.weeks);
    const outcomes = new Set(weeks.flatMap((w) => w.due.map((g) => g.outcome)));
    expect([...outcomes].sort()).toEqual([
      'late',
      'not_yet_judged',
      'on_time_in_full',
      'open_past_due',
      'partly_delivered',
    ]);
    expect(weeks.some((w) => w.due.some((g) => g.count > 1))).toBe(true);
    expect(weeks.some((w) => w.overdueMinor > 0)).toBe(true);
    expect(weeks.some((w) => w.paymentsDueMinor > 0 && w.receivedMinor > 0)).toBe(true);
    expect(weeks.some((w) => w.issues > 1 && w.deliveredInFull > 0)).toBe(true);
    const atRisk = seen[1]?.atRisk.map((c) => c.requestId);
    expect(atRisk).toEqual(expect.arrayContaining([608, 704, 705]));
    expect(atRisk).not.toContain(710);
    expect(seen[1]?.atRisk.find((c) => c.requestId === 701)).toBeUndefined();
  });

  it('when payments come after the last cut then only the promises overdue at some cut are read, and the facts are those of every promise', () => {
    for (let id = 721; id <= 728; id++) {
      seedRequest(db, {
        id,
        productLineId: 'widgets',
        valueMinor: 500_000,
        deliveryDate: '2026-08-01',
        createdAt: '2026-07-06T14:00:00Z',
        status: 'approved',
      });
    }
    // Due before the window, paid in full only after its last cut: overdue at every cut from its due day.
    seedPromise(db, {
      requestId: 721,
      productLineId: 'widgets',
      promisedOn: '2026-08-20',
      state: 'delivered',
      deliveries: [
        { on: '2026-08-18', quantity: 4 },
        { on: '2026-08-25', quantity: 6 },
      ],
      paymentTermsDays: 14,
      payments: [{ on: '2027-01-15', amountMinor: 1_000_000 }],
    });
    // Due between two cuts (3 November), paid in part before it and the rest after the last cut.
    seedPromise(db, {
      requestId: 722,
      productLineId: 'gadgets',
      promisedOn: '2026-08-31',
      state: 'delivered',
      deliveries: [{ on: '2026-09-04', quantity: 10 }],
      paymentTermsDays: 60,
      payments: [
        { on: '2026-09-30', amountMinor: 250_000 },
        { on: '2027-02-01', amountMinor: 750_000 },
      ],
    });
    // Due on the last cut's day, paid after it: overdue at no cut.
    seedPromise(db, {
      requestId: 723,
      productLineId: 'widgets',
      promisedOn: '2026-08-21',
      state: 'delivered',
      deliveries: [{ on: '2026-08-24', quantity: 10 }],
      paymentTermsDays: 91,
      payments: [{ on: '2026-12-10', amountMinor: 1_000_000 }],
    });
    // Due the day before it (22 November), paid after it: overdue at that cut only.
    seedPromise(db, {
      requestId: 724,
      productLineId: 'widgets',
      promisedOn: '2026-08-21',
      state: 'delivered',
      deliveries: [{ on: '2026-08-24', quantity: 10 }],
      paymentTermsDays: 90,
      payments: [{ on: '2026-12-10', amountMinor: 1_000_000 }],
    });
    // Paid late but in full before the window, due long before it: overdue at no cut.
    seedPromise(db, {
      requestId: 725,
      productLineId: 'gadgets',
      promisedOn: '2026-07-20',
      state: 'delivered',
      deliveries: [{ on: '2026-07-20', quantity: 10 }],
      paymentTermsDays: 10,
      payments: [{ on: '2026-09-01', amountMinor: 1_000_000 }],
    });
    // Delivered in full after the window, paid ahead of its due day: nothing of the window.
    seedPromise(db, {
      requestId: 726,
      productLineId: 'widgets',
      promisedOn: '2026-12-20',
      state: 'delivered',
      deliveries: [{ on: '2026-11-25', quantity: 10 }],
      payments: [{ on: '2026-12-20', amountMinor: 1_000_000 }],
    });
    // Cancelled after being delivered in full, paid after the window: read, but counted nowhere.
    seedPromise(db, {
      requestId: 727,
      productLineId: 'gadgets',
      promisedOn: '2026-08-10',
      state: 'cancelled',
      deliveries: [{ on: '2026-08-10', quantity: 10 }],
      payments: [{ on: '2026-12-01', amountMinor: 1_000_000 }],
    });
    // Promised in the window, delivered early and paid late before it: owes nothing at any cut.
    seedPromise(db, {
      requestId: 728,
      productLineId: 'gadgets',
      promisedOn: '2026-10-01',
      state: 'delivered',
      deliveries: [{ on: '2026-08-01', quantity: 10 }],
      paymentTermsDays: 10,
      payments: [
        { on: '2026-08-05', amountMinor: 400_000 },
        { on: '2026-09-01', amountMinor: 600_000 },
      ],
    });
    db.$client
      .prepare('UPDATE promises SET cancelled_at = ? WHERE request_id = 727')
      .run(Date.parse('2026-08-20T15:00:00Z'));
    const reader = createDigestReader(db);
    const everyPromise = reader.promises({
      from: '0000-01-01',
      to: '9999-12-31',
      atRiskTo: '9999-12-31',
      overdueBefore: '9999-12-31',
    });
    for (const today of ['2026-11-19', '2026-11-23', '2026-12-31', '2026-10-15'] as IsoDate[]) {
      const window = windowOf(today);
      const facts = reader.promiseFacts(window, MONDAYS, today);
      expect(facts).toEqual(promiseFactsOf(reader.promises(window), MONDAYS, today));
      expect(facts).toEqual(promiseFactsOf(everyPromise, MONDAYS, today));
    }
    const window = windowOf('2026-11-23');
    const ids = reader.promises(window).map((p) => p.requestId);
    expect(ids).toEqual(expect.arrayContaining([721, 722, 724, 727, 728]));
    for (const id of [723, 725, 726]) expect(ids).not.toContain(id);
    // Each of 721, 722 and 724 adds to what is overdue at some cut.
    const overdue = (only: number[]) =>
      promiseFactsOf(
        everyPromise.filter((p) => only.includes(p.requestId)),
        MONDAYS,
        '2026-11-23',
      ).weeks.map((w) => w.overdueMinor);
    expect(overdue([721])).toEqual(MONDAYS.map(() => 1_000_000));
    expect(overdue([722])).toEqual([0, 0, 0, 0, 0, 0, 750_000, 750_000, 750_000]);
    expect(overdue([724])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1_000_000]);
  });

  it('when no week is asked for then there are no facts', () => {
    const reader = createDigestReader(db);
    expect(reader.promiseFacts(windowOf('2026-11-23'), [], '2026-11-23')).toEqual({ weeks: [], atRisk: [] });
  });
});
