// The golden week's rows (America/New_York, week of Mon 16 Nov 2026), shared by the digest
// tests and the CLI test. The figures each row produces are worked out in
// test/integration/digest-golden-week.test.ts.
import type { Db } from '../../src/db/create-db.js';
import { seedApproval, seedEvent, seedRequest, seedSignOff } from './digest-seed.js';

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
    data: { complete: true, conditions: null },
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
  // Outside the week: must not count.
  seedEvent(db, { requestId: 50, type: 'signoff.reminded', signOffId: 201, at: '2026-11-23T05:00:00Z' });
}
