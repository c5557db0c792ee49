// Writes requests, sign-offs, approvals and events straight into the database with chosen ids
// and instants, so digest tests can state a week exactly (including events another feature
// produces, such as signoff.date_proposed and request.overridden).
import type { Db } from '../../src/db/create-db.js';
import { approvals, events, requests, signOffs } from '../../src/db/schema.js';

export interface SeedRequest {
  id: number;
  productLineId: string;
  valueMinor: number;
  deliveryDate: string;
  createdAt: string;
  status?: 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'expired';
  sellerId?: string;
}

export interface SeedSignOff {
  id: number;
  requestId: number;
  functionId: string;
  askedAt: string;
  status?: 'pending' | 'approved' | 'rejected';
  owners?: string[];
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
      paymentTermsDays: 30,
      discountPercent: 0,
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
