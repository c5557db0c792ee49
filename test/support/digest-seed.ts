// Writes requests, sign-offs, approvals and events straight into the database with chosen ids
// and instants, so digest tests can state a week exactly (including events another feature
// produces, such as signoff.date_proposed and request.overridden).
import type { Db } from '../../src/db/create-db.js';
import {
  approvals,
  events,
  promiseDeliveries,
  promisePayments,
  promiseQualityIssues,
  promiseSlips,
  promises,
  requests,
  signOffs,
} from '../../src/db/schema.js';
import { addDays } from '../../src/domain/calendar.js';

export interface SeedRequest {
  id: number;
  productLineId: string;
  valueMinor: number;
  deliveryDate: string;
  createdAt: string;
  status?: 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'expired';
  sellerId?: string;
  paymentTermsDays?: number;
  discountPercent?: number;
}

export interface SeedSignOff {
  id: number;
  requestId: number;
  functionId: string;
  askedAt: string;
  status?: 'pending' | 'approved' | 'rejected';
  owners?: string[];
  decidedAt?: string;
}

export interface SeedEvent {
  requestId: number;
  signOffId?: number;
  type: string;
  at: string;
  actorId?: string;
  data?: Record<string, unknown>;
}

export function seedRequest(db: Db, r: SeedRequest): void {
  const at = new Date(r.createdAt);
  db.insert(requests)
    .values({
      id: r.id,
      sellerId: r.sellerId ?? 'U0SELLER',
      status: r.status ?? 'pending',
      customer: `Customer ${r.id}`,
      productLineId: r.productLineId,
      quantity: 10,
      valueMinor: r.valueMinor,
      currency: 'USD',
      deliveryDate: r.deliveryDate,
      paymentTermsDays: r.paymentTermsDays ?? 30,
      discountPercent: r.discountPercent ?? 0,
      createdAt: at,
      updatedAt: at,
    })
    .run();
}

export function seedSignOff(db: Db, s: SeedSignOff): void {
  db.insert(signOffs)
    .values({
      id: s.id,
      requestId: s.requestId,
      functionId: s.functionId,
      label: s.functionId,
      owners: s.owners ?? ['U0OWNER'],
      status: s.status ?? 'pending',
      requiredBy: ['seeded'],
      askedAt: new Date(s.askedAt),
      decidedAt: s.decidedAt ? new Date(s.decidedAt) : null,
    })
    .run();
}

export function seedApproval(
  db: Db,
  signOffId: number,
  userId: string,
  at: string,
  conditions: string | null,
): void {
  db.insert(approvals)
    .values({ signOffId, userId, at: new Date(at), conditions })
    .run();
}

export function seedEvent(db: Db, e: SeedEvent): void {
  db.insert(events)
    .values({
      requestId: e.requestId,
      signOffId: e.signOffId ?? null,
      type: e.type,
      actorId: e.actorId ?? null,
      at: new Date(e.at),
      data: e.data ?? {},
    })
    .run();
}

export interface SeedPromise {
  requestId: number;
  productLineId: string;
  promisedOn: string;
  clearedVia?: 'signoffs' | 'no_signoff_needed' | 'override' | 'fast_lane';
  state: 'open' | 'at_risk' | 'overdue' | 'delivered' | 'partly_delivered' | 'cancelled';
  quantity?: number;
  valueMinor?: number;
  paymentTermsDays?: number;
  deliveries?: { on: string; quantity: number }[];
  slips?: { expectedOn: string; at: string }[];
  issues?: string[];
  payments?: { on: string; amountMinor: number }[];
}

/**
 * A promise and its steps, with the figures the promise repo keeps on the row (delivered
 * quantity, delivered-in-full day, paid, payment due day) worked out as it does.
 */
export function seedPromise(db: Db, p: SeedPromise): void {
  const quantity = p.quantity ?? 10;
  const valueMinor = p.valueMinor ?? 1_000_000;
  const terms = p.paymentTermsDays ?? 30;
  const deliveries = p.deliveries ?? [];
  const delivered = deliveries.reduce((s, d) => s + d.quantity, 0);
  const fullOn =
    delivered >= quantity
      ? (deliveries
          .map((d) => d.on)
          .sort()
          .at(-1) ?? null)
      : null;
  const paid = (p.payments ?? []).reduce((s, x) => s + x.amountMinor, 0);
  const dueOn = fullOn ? addDays(fullOn, terms) : null;
  const expectedOn = p.slips?.at(-1)?.expectedOn ?? null;
  const at = new Date(`${p.promisedOn}T12:00:00Z`);
  db.insert(promises)
    .values({
      requestId: p.requestId,
      sellerId: 'U0SELLER',
      customer: `Customer ${p.requestId}`,
      productLineId: p.productLineId,
      quantity,
      valueMinor,
      paymentTermsDays: terms,
      promisedOn: p.promisedOn,
      expectedOn,
      dueOn: expectedOn ?? p.promisedOn,
      clearedAt: new Date('2026-09-01T15:00:00Z'),
      clearedOn: '2026-09-01',
      clearedVia: p.clearedVia ?? 'signoffs',
      state: p.state,
      deliveredQuantity: delivered,
      deliveredOn: fullOn,
      paidMinor: paid,
      paymentDueOn: dueOn,
      updatedAt: at,
    })
    .run();
  for (const d of deliveries) {
    db.insert(promiseDeliveries)
      .values({ requestId: p.requestId, deliveredOn: d.on, quantity: d.quantity, recordedBy: 'U0OPS1', at })
      .run();
  }
  for (const s of p.slips ?? []) {
    db.insert(promiseSlips)
      .values({
        requestId: p.requestId,
        expectedOn: s.expectedOn,
        reason: 'seeded',
        recordedBy: 'U0OPS1',
        at: new Date(s.at),
      })
      .run();
  }
  for (const day of p.issues ?? []) {
    db.insert(promiseQualityIssues)
      .values({
        requestId: p.requestId,
        reportedOn: day,
        kind: 'rework',
        note: 'seeded',
        recordedBy: 'U0QA1',
        at,
      })
      .run();
  }
  for (const x of p.payments ?? []) {
    db.insert(promisePayments)
      .values({ requestId: p.requestId, paidOn: x.on, amountMinor: x.amountMinor, recordedBy: 'U0FIN1', at })
      .run();
  }
}
