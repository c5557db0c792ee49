// The golden week's rows (America/New_York, week of Mon 16 Nov 2026), shared by the digest
// tests and the CLI test. The figures each row produces are worked out in
// test/integration/digest-golden-week.test.ts.
import type { Db } from '../../src/db/create-db.js';
import { seedApproval, seedEvent, seedPromise, seedRequest, seedSignOff } from './digest-seed.js';

// Local (EST) → UTC: add 5 hours.
export function seedGoldenWeek(db: Db): void {
  // Previous week (Mon 9 – Sun 15 Nov): two widgets requests, 2 requests, $30,000.00.
  seedRequest(db, {
    id: 1,
    productLineId: 'widgets',
    valueMinor: 2_000_000,
    deliveryDate: '2026-12-31',
    createdAt: '2026-11-10T15:00:00Z',
    status: 'withdrawn',
  });
  seedSignOff(db, { id: 101, requestId: 1, functionId: 'operations', askedAt: '2026-11-10T15:00:00Z' });
  // P2, asked Thu 12 Nov 09:00 local, still pending: its operations sign-off waits.
  seedRequest(db, {
    id: 2,
    productLineId: 'widgets',
    valueMinor: 1_000_000,
    deliveryDate: '2026-12-31',
    createdAt: '2026-11-12T14:00:00Z',
  });
  seedSignOff(db, { id: 201, requestId: 2, functionId: 'operations', askedAt: '2026-11-12T14:00:00Z' });

  // The week: Mon 16 – Sun 22 Nov 2026.
  // R10 widgets $10,000.00, Mon 10:00 local, delivery 1 Dec = 15 days (< 21: short).
  seedRequest(db, {
    id: 10,
    productLineId: 'widgets',
    valueMinor: 1_000_000,
    deliveryDate: '2026-12-01',
    createdAt: '2026-11-16T15:00:00Z',
    status: 'approved',
    discountPercent: 10,
  });
  seedSignOff(db, {
    id: 1001,
    requestId: 10,
    functionId: 'operations',
    askedAt: '2026-11-16T15:00:00Z',
    status: 'approved',
  });
  seedSignOff(db, {
    id: 1002,
    requestId: 10,
    functionId: 'quality',
    askedAt: '2026-11-16T15:00:00Z',
    status: 'approved',
  });
  // R20 gadgets $25,000.50, Tue 09:00 local, delivery 15 Jan = 59 days (≥ 35: fine).
  seedRequest(db, {
    id: 20,
    productLineId: 'gadgets',
    valueMinor: 2_500_050,
    deliveryDate: '2027-01-15',
    createdAt: '2026-11-17T14:00:00Z',
    status: 'rejected',
    paymentTermsDays: 60,
  });
  seedSignOff(db, {
    id: 2001,
    requestId: 20,
    functionId: 'operations',
    askedAt: '2026-11-17T14:00:00Z',
    status: 'approved',
  });
  seedSignOff(db, {
    id: 2002,
    requestId: 20,
    functionId: 'finance',
    askedAt: '2026-11-17T14:00:00Z',
    status: 'rejected',
  });
  // R30 widgets $5,000.00, Fri 16:00 local, delivery 4 Dec = 14 days (short), still pending.
  seedRequest(db, {
    id: 30,
    productLineId: 'widgets',
    valueMinor: 500_000,
    deliveryDate: '2026-12-04',
    createdAt: '2026-11-20T21:00:00Z',
  });
  seedSignOff(db, { id: 3001, requestId: 30, functionId: 'operations', askedAt: '2026-11-20T21:00:00Z' });
  seedSignOff(db, { id: 3002, requestId: 30, functionId: 'quality', askedAt: '2026-11-20T21:00:00Z' });
  // R40 gadgets $75,000.00, Sat 12:00 local, delivery 20 Dec = 29 days (< 35: short); rejected then overridden.
  seedRequest(db, {
    id: 40,
    productLineId: 'gadgets',
    valueMinor: 7_500_000,
    deliveryDate: '2026-12-20',
    createdAt: '2026-11-21T17:00:00Z',
    status: 'approved',
    discountPercent: 20,
  });
  seedSignOff(db, { id: 4001, requestId: 40, functionId: 'operations', askedAt: '2026-11-21T17:00:00Z' });
  seedSignOff(db, {
    id: 4002,
    requestId: 40,
    functionId: 'finance',
    askedAt: '2026-11-21T17:00:00Z',
    status: 'rejected',
  });
  seedSignOff(db, { id: 4003, requestId: 40, functionId: 'people', askedAt: '2026-11-21T17:00:00Z' });
  // Next week's request must not count.
  seedRequest(db, {
    id: 50,
    productLineId: 'widgets',
    valueMinor: 9_900_000,
    deliveryDate: '2027-03-01',
    createdAt: '2026-11-23T05:00:00Z',
    status: 'approved',
  });

  // Operations approves R10 Mon 14:00 (4 business hours).
  seedEvent(db, {
    requestId: 10,
    signOffId: 1001,
    type: 'signoff.approved',
    at: '2026-11-16T19:00:00Z',
    actorId: 'U0OPS1',
    // Approved over capacity (issue 16's fact, as the capacity gate records it).
    data: {
      complete: true,
      conditions: null,
      overCapacity: true,
      overCapacityReason: 'Customer takes two lots',
    },
  });
  // Quality approves R10 with conditions Tue 11:00 (Mon 7 h + Tue 2 h = 9 h); the request clears.
  seedApproval(db, 1002, 'U0QA1', '2026-11-17T16:00:00Z', 'Ship in two lots');
  seedEvent(db, {
    requestId: 10,
    signOffId: 1002,
    type: 'signoff.approved',
    at: '2026-11-17T16:00:00Z',
    actorId: 'U0QA1',
    data: { complete: true, conditions: 'Ship in two lots' },
  });
  seedEvent(db, { requestId: 10, type: 'request.approved', at: '2026-11-17T16:00:00Z', data: {} });
  // Operations is reminded about R20 Tue 17:00 (8 h), approves Wed 10:00 (Tue 8 h + Wed 1 h = 9 h).
  seedEvent(db, { requestId: 20, signOffId: 2001, type: 'signoff.reminded', at: '2026-11-17T22:00:00Z' });
  seedEvent(db, {
    requestId: 20,
    signOffId: 2001,
    type: 'signoff.approved',
    at: '2026-11-18T15:00:00Z',
    actorId: 'U0OPS2',
    data: { complete: true, conditions: null },
  });
  // A first finance approval (not complete: quorum 2) is not a decision.
  seedEvent(db, {
    requestId: 20,
    signOffId: 2002,
    type: 'signoff.approved',
    at: '2026-11-18T16:00:00Z',
    actorId: 'U0FIN1',
    data: { complete: false, conditions: null },
  });
  // Finance rejects R20 Wed 12:00 (Tue 8 h + Wed 3 h = 11 h).
  seedEvent(db, {
    requestId: 20,
    signOffId: 2002,
    type: 'signoff.rejected',
    at: '2026-11-18T17:00:00Z',
    actorId: 'U0FIN2',
    data: { reason: 'Payment terms too long' },
  });
  seedEvent(db, {
    requestId: 20,
    signOffId: 2002,
    type: 'request.rejected',
    at: '2026-11-18T17:00:00Z',
    data: {},
  });
  // P1 withdrawn Tue.
  seedEvent(db, {
    requestId: 1,
    type: 'request.withdrawn',
    at: '2026-11-17T20:00:00Z',
    actorId: 'U0SELLER',
    data: { reason: 'Customer went elsewhere' },
  });
  // P2's operations sign-off escalated Mon 17:00 (Thu 8 + Fri 8 + Mon 8 = 24 h).
  seedEvent(db, { requestId: 2, signOffId: 201, type: 'signoff.escalated', at: '2026-11-16T22:00:00Z' });
  // Dates proposed at the weekend: R30 by operations (18 Dec: 14 days after 4 Dec); R40 by
  // operations (5 Jan) and people (27 Dec): the latest, 5 Jan, is 16 days after 20 Dec.
  seedEvent(db, {
    requestId: 30,
    signOffId: 3001,
    type: 'signoff.date_proposed',
    at: '2026-11-21T15:00:00Z',
    actorId: 'U0OPS1',
    data: { date: '2026-12-18', note: 'line full' },
  });
  seedEvent(db, {
    requestId: 40,
    signOffId: 4001,
    type: 'signoff.date_proposed',
    at: '2026-11-21T18:00:00Z',
    actorId: 'U0OPS1',
    data: { date: '2027-01-05', note: '' },
  });
  seedEvent(db, {
    requestId: 40,
    signOffId: 4003,
    type: 'signoff.date_proposed',
    at: '2026-11-21T19:00:00Z',
    actorId: 'U0HR1',
    data: { date: '2026-12-27', note: '' },
  });
  // Finance rejects R40 Sun 10:00: asked Sat 12:00, so 0 business hours. Leadership overrides Sun 11:00.
  seedEvent(db, {
    requestId: 40,
    signOffId: 4002,
    type: 'signoff.rejected',
    at: '2026-11-22T15:00:00Z',
    actorId: 'U0FIN1',
    data: { reason: 'payment terms too long.' },
  });
  seedEvent(db, {
    requestId: 40,
    signOffId: 4002,
    type: 'request.rejected',
    at: '2026-11-22T15:00:00Z',
    data: {},
  });
  seedEvent(db, {
    requestId: 40,
    type: 'request.overridden',
    at: '2026-11-22T16:00:00Z',
    actorId: 'U0CEO',
    data: { reason: 'Strategic customer' },
  });
  seedEvent(db, {
    requestId: 40,
    type: 'request.approved',
    at: '2026-11-22T16:00:00Z',
    data: { override: true },
  });
  // R30 was revised (Fri 17:00 local).
  seedEvent(db, { requestId: 30, type: 'request.revised', at: '2026-11-20T22:00:00Z', actorId: 'U0SELLER' });
  // Outside the week: must not count.
  seedEvent(db, { requestId: 50, type: 'signoff.reminded', signOffId: 201, at: '2026-11-23T05:00:00Z' });
  seedGoldenHistory(db);
}

/**
 * The eight weeks behind the golden week (Mon 21 Sep – Sun 15 Nov; EDT, UTC−4, until Sun 1 Nov):
 * weeks of 21 Sep, 28 Sep and 5 Oct are empty; one widgets request a week from 12 Oct to 2 Nov
 * ($10,000.00, 30 days, no discount, not rush); the week of 9 Nov holds P1 and P2 above. And the
 * promises of those weeks and of the golden week (requests 601–609, cleared on 1 Sep).
 */
export function seedGoldenHistory(db: Db): void {
  const weekly = [
    // [request, created (Tue 10:00 local), approved, approver]
    [71, '2026-10-13T14:00:00Z', '2026-10-13T15:00:00Z', 'U0OPS1'],
    [72, '2026-10-20T14:00:00Z', '2026-10-20T15:00:00Z', 'U0OPS2'],
    [74, '2026-11-03T15:00:00Z', '2026-11-06T17:00:00Z', 'U0OPS2'],
  ] as const;
  for (const [id, created, approved, by] of weekly) {
    seedRequest(db, {
      id,
      productLineId: 'widgets',
      valueMinor: 1_000_000,
      deliveryDate: '2026-12-31',
      createdAt: created,
      status: 'approved',
    });
    seedSignOff(db, {
      id: id * 100 + 1,
      requestId: id,
      functionId: 'operations',
      askedAt: created,
      status: 'approved',
      decidedAt: approved,
    });
    seedEvent(db, {
      requestId: id,
      signOffId: id * 100 + 1,
      type: 'signoff.approved',
      at: approved,
      actorId: by,
      data: { complete: true, conditions: null },
    });
    seedEvent(db, { requestId: id, type: 'request.approved', at: approved, data: {} });
  }
  // R74 (Tue 3 Nov 10:00 EST) escalated Fri 6 Nov 10:00, answered Fri 12:00: 2 business hours.
  seedEvent(db, { requestId: 74, signOffId: 7401, type: 'signoff.escalated', at: '2026-11-06T15:00:00Z' });
  // R73 (Tue 27 Oct 10:00 EDT) cleared at once on the fast lane: no sign-off.
  seedRequest(db, {
    id: 73,
    productLineId: 'widgets',
    valueMinor: 1_000_000,
    deliveryDate: '2026-12-31',
    createdAt: '2026-10-27T14:00:00Z',
    status: 'approved',
  });
  seedEvent(db, {
    requestId: 73,
    type: 'request.approved',
    at: '2026-10-27T14:00:00Z',
    data: { fastLane: true, reasons: ['within every ceiling'] },
  });

  // The promises' requests were submitted long before the window (1 Sep): they are not inflow.
  for (let id = 601; id <= 609; id++) {
    seedRequest(db, {
      id,
      productLineId: 'widgets',
      valueMinor: 1_000_000,
      deliveryDate: '2026-10-01',
      createdAt: '2026-09-01T14:00:00Z',
      status: 'approved',
    });
  }
  // Week of 12 Oct: on time; paid in full Thu 12 Nov (due 14 Oct + 30 = Fri 13 Nov).
  seedPromise(db, {
    requestId: 601,
    productLineId: 'widgets',
    promisedOn: '2026-10-14',
    state: 'delivered',
    deliveries: [{ on: '2026-10-14', quantity: 10 }],
    payments: [{ on: '2026-11-12', amountMinor: 1_000_000 }],
  });
  // Week of 19 Oct: a day early; due 20 Oct + 30 = Thu 19 Nov; $4,000.00 paid Wed 18 Nov.
  seedPromise(db, {
    requestId: 602,
    productLineId: 'widgets',
    promisedOn: '2026-10-21',
    state: 'delivered',
    deliveries: [{ on: '2026-10-20', quantity: 10 }],
    payments: [{ on: '2026-11-18', amountMinor: 400_000 }],
  });
  // Week of 26 Oct: two days late.
  seedPromise(db, {
    requestId: 603,
    productLineId: 'widgets',
    promisedOn: '2026-10-28',
    state: 'delivered',
    deliveries: [{ on: '2026-10-30', quantity: 10 }],
  });
  // Week of 2 Nov: on time.
  seedPromise(db, {
    requestId: 604,
    productLineId: 'widgets',
    promisedOn: '2026-11-04',
    state: 'delivered',
    deliveries: [{ on: '2026-11-04', quantity: 10 }],
  });
  // The golden week: on time (a quality issue Thu 19 Nov), part-delivered, open past due
  // (overridden), late by 3 days (fast lane).
  seedPromise(db, {
    requestId: 605,
    productLineId: 'widgets',
    promisedOn: '2026-11-18',
    state: 'delivered',
    deliveries: [{ on: '2026-11-17', quantity: 10 }],
    issues: ['2026-11-19'],
  });
  seedPromise(db, {
    requestId: 606,
    productLineId: 'gadgets',
    promisedOn: '2026-11-19',
    state: 'partly_delivered',
    deliveries: [{ on: '2026-11-19', quantity: 5 }],
  });
  seedPromise(db, {
    requestId: 607,
    productLineId: 'widgets',
    promisedOn: '2026-11-20',
    state: 'overdue',
    clearedVia: 'override',
  });
  seedPromise(db, {
    requestId: 609,
    productLineId: 'gadgets',
    promisedOn: '2026-11-18',
    state: 'delivered',
    clearedVia: 'fast_lane',
    deliveries: [{ on: '2026-11-21', quantity: 10 }],
  });
  // Next week's (Tue 24 Nov), slipped Fri 20 Nov to Wed 2 Dec: at risk.
  seedPromise(db, {
    requestId: 608,
    productLineId: 'widgets',
    promisedOn: '2026-11-24',
    state: 'at_risk',
    slips: [{ expectedOn: '2026-12-02', at: '2026-11-20T20:00:00Z' }],
  });
}
