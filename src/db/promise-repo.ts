// Promises and their deliveries, slips, quality issues and payments. Child rows are append-only:
// a save inserts the entries the new promise has beyond the old one, and updates the promise row
// conditionally on the state it was loaded in (zero rows changed: someone else won, roll back).
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { localDate } from '../domain/calendar.js';
import {
  type ClearedVia,
  type CommitPromise,
  deliveredInFullOn,
  deliveredQuantity,
  dueOn,
  type PromiseState,
  paidMinor,
  paymentDueOn,
  promiseFromClearance,
} from '../domain/promise.js';
import type { CommitRequest } from '../domain/request.js';
import type { PromiseAsk, PromiseListQuery, PromiseStore } from '../services/ports.js';
import type { Db } from './create-db.js';
import {
  type PromiseRow,
  promiseDeliveries,
  promisePayments,
  promiseQualityIssues,
  promiseSlips,
  promises,
} from './schema.js';

export class ConcurrentPromiseError extends Error {
  readonly code = 'concurrent_promise';
}

/** The promise row's columns kept from the domain object on every save. */
function figures(p: CommitPromise, at: Date) {
  return {
    expectedOn: p.expectedOn,
    dueOn: dueOn(p),
    state: p.state,
    deliveredQuantity: deliveredQuantity(p),
    deliveredOn: deliveredInFullOn(p),
    paidMinor: paidMinor(p),
    paymentDueOn: paymentDueOn(p),
    cancelReason: p.cancellation?.reason ?? null,
    cancelledBy: p.cancellation?.by ?? null,
    cancelledAt: p.cancellation?.at ?? null,
    updatedAt: at,
  };
}

/**
 * Creates the promise of a request that has just been cleared, in the caller's transaction. The
 * request repo calls it from every write that sets a request's status to approved, so no path
 * (sign-offs, no sign-off needed, override, accepted counter date, fast lane, any future one) can
 * clear a request without its promise. A second call for the same request changes nothing.
 */
export function insertPromiseOnClearance(
  db: Db,
  request: CommitRequest,
  via: ClearedVia,
  at: Date,
  timeZone: string,
): void {
  const p = promiseFromClearance({
    requestId: request.id,
    sellerId: request.sellerId,
    customer: request.facts.customer,
    productLineId: request.facts.productLineId,
    quantity: request.facts.quantity,
    valueMinor: request.facts.valueMinor,
    paymentTermsDays: request.facts.paymentTermsDays,
    deliveryDate: request.facts.deliveryDate,
    at,
    day: localDate(at, timeZone),
    via,
  });
  db.insert(promises)
    .values({
      requestId: p.requestId,
      sellerId: p.sellerId,
      customer: p.customer,
      productLineId: p.productLineId,
      quantity: p.quantity,
      valueMinor: p.valueMinor,
      paymentTermsDays: p.paymentTermsDays,
      promisedOn: p.promisedOn,
      clearedAt: p.clearedAt,
      clearedOn: p.clearedOn,
      clearedVia: p.clearedVia,
      ...figures(p, at),
    })
    .onConflictDoNothing()
    .run();
}

/** How a request that is now approved was cleared, from the facts on it. */
export function clearedViaOf(request: CommitRequest, fallback: ClearedVia): ClearedVia {
  if (request.override) return 'override';
  return fallback;
}

const OPEN_STATES: readonly PromiseState[] = ['open', 'at_risk', 'overdue', 'partly_delivered'];

export function createPromiseStore(db: Db): PromiseStore {
  const loadMany = (rows: readonly PromiseRow[]): CommitPromise[] => {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.requestId);
    const group = <T extends { requestId: number }>(list: readonly T[]) => {
      const m = new Map<number, T[]>();
      for (const x of list) m.set(x.requestId, [...(m.get(x.requestId) ?? []), x]);
      return m;
    };
    const d = group(
      db
        .select()
        .from(promiseDeliveries)
        .where(inArray(promiseDeliveries.requestId, ids))
        .orderBy(asc(promiseDeliveries.id))
        .all(),
    );
    const s = group(
      db
        .select()
        .from(promiseSlips)
        .where(inArray(promiseSlips.requestId, ids))
        .orderBy(asc(promiseSlips.id))
        .all(),
    );
    const q = group(
      db
        .select()
        .from(promiseQualityIssues)
        .where(inArray(promiseQualityIssues.requestId, ids))
        .orderBy(asc(promiseQualityIssues.id))
        .all(),
    );
    const pay = group(
      db
        .select()
        .from(promisePayments)
        .where(inArray(promisePayments.requestId, ids))
        .orderBy(asc(promisePayments.id))
        .all(),
    );
    return rows.map((row) =>
      toPromise(
        row,
        d.get(row.requestId),
        s.get(row.requestId),
        q.get(row.requestId),
        pay.get(row.requestId),
      ),
    );
  };

  return {
    loadPromise(requestId: number): CommitPromise | null {
      const row = db.select().from(promises).where(eq(promises.requestId, requestId)).get();
      return row ? (loadMany([row])[0] ?? null) : null;
    },

    savePromise(before: CommitPromise, after: CommitPromise, at: Date): void {
      const changed = db
        .update(promises)
        .set({ ...figures(after, at), version: sql`${promises.version} + 1` })
        .where(
          and(
            eq(promises.requestId, before.requestId),
            eq(promises.state, before.state),
            eq(promises.deliveredQuantity, deliveredQuantity(before)),
            eq(promises.paidMinor, paidMinor(before)),
            eq(promises.dueOn, dueOn(before)),
          ),
        )
        .run().changes;
      if (changed !== 1) throw new ConcurrentPromiseError('promise changed meanwhile');
      const id = after.requestId;
      for (const x of after.deliveries.slice(before.deliveries.length))
        db.insert(promiseDeliveries)
          .values({ requestId: id, ...x })
          .run();
      for (const x of after.slips.slice(before.slips.length))
        db.insert(promiseSlips)
          .values({ requestId: id, ...x })
          .run();
      for (const x of after.issues.slice(before.issues.length))
        db.insert(promiseQualityIssues)
          .values({ requestId: id, ...x })
          .run();
      for (const x of after.payments.slice(before.payments.length))
        db.insert(promisePayments)
          .values({ requestId: id, ...x })
          .run();
      // A new due date gets its own asks: the ones made for the old date no longer hold.
      if (dueOn(before) !== dueOn(after))
        db.update(promises)
          .set({ askedOnTrackAt: null, askedDueAt: null, remindedAt: null })
          .where(eq(promises.requestId, id))
          .run();
    },

    listPromises(query: PromiseListQuery): CommitPromise[] {
      const states = query.states?.length ? query.states : null;
      const where = and(
        states ? inArray(promises.state, [...states]) : undefined,
        query.dueBefore ? sql`${promises.dueOn} < ${query.dueBefore}` : undefined,
        query.dueOnOrBefore ? lte(promises.dueOn, query.dueOnOrBefore) : undefined,
        query.sellerId ? eq(promises.sellerId, query.sellerId) : undefined,
      );
      const rows = db
        .select()
        .from(promises)
        .where(where)
        .orderBy(asc(promises.dueOn), asc(promises.requestId))
        .limit(query.limit ?? 100)
        .all();
      return loadMany(rows);
    },

    openPromisesDueBy(day: string): PromiseAsk[] {
      // promises_due_idx: open promises due on or before a day.
      return db
        .select({
          requestId: promises.requestId,
          dueOn: promises.dueOn,
          state: promises.state,
          askedOnTrackAt: promises.askedOnTrackAt,
          askedDueAt: promises.askedDueAt,
          remindedAt: promises.remindedAt,
        })
        .from(promises)
        .where(and(inArray(promises.state, [...OPEN_STATES]), lte(promises.dueOn, day)))
        .orderBy(asc(promises.dueOn), asc(promises.requestId))
        .all();
    },

    claimAsk(requestId: number, ask: 'on_track' | 'due' | 'reminder', due: string, at: Date): boolean {
      const column =
        ask === 'on_track'
          ? promises.askedOnTrackAt
          : ask === 'due'
            ? promises.askedDueAt
            : promises.remindedAt;
      const key = ask === 'on_track' ? 'askedOnTrackAt' : ask === 'due' ? 'askedDueAt' : 'remindedAt';
      return (
        db
          .update(promises)
          .set({ [key]: at })
          .where(and(eq(promises.requestId, requestId), isNull(column), eq(promises.dueOn, due)))
          .run().changes === 1
      );
    },

    dueMessageTs(requestId: number): string | null {
      return (
        db.select({ ts: promises.dueMessageTs }).from(promises).where(eq(promises.requestId, requestId)).get()
          ?.ts ?? null
      );
    },

    openLoadByDay(productLineId: string, from: string, toExclusive: string) {
      return db
        .select({
          day: promises.dueOn,
          quantity: sql<number>`sum(${promises.quantity} - ${promises.deliveredQuantity})`,
        })
        .from(promises)
        .where(
          and(
            eq(promises.productLineId, productLineId),
            inArray(promises.state, [...OPEN_STATES]),
            sql`${promises.dueOn} >= ${from}`,
            sql`${promises.dueOn} < ${toExclusive}`,
          ),
        )
        .groupBy(promises.dueOn)
        .orderBy(asc(promises.dueOn))
        .all();
    },

    setDueMessageTs(requestId: number, ts: string): void {
      db.update(promises).set({ dueMessageTs: ts }).where(eq(promises.requestId, requestId)).run();
    },
  };
}

function toPromise(
  row: PromiseRow,
  deliveries: readonly (typeof promiseDeliveries.$inferSelect)[] = [],
  slips: readonly (typeof promiseSlips.$inferSelect)[] = [],
  issues: readonly (typeof promiseQualityIssues.$inferSelect)[] = [],
  payments: readonly (typeof promisePayments.$inferSelect)[] = [],
): CommitPromise {
  return {
    requestId: row.requestId,
    sellerId: row.sellerId,
    customer: row.customer,
    productLineId: row.productLineId,
    quantity: row.quantity,
    valueMinor: row.valueMinor,
    paymentTermsDays: row.paymentTermsDays,
    promisedOn: row.promisedOn,
    expectedOn: row.expectedOn,
    clearedAt: row.clearedAt,
    clearedOn: row.clearedOn,
    clearedVia: row.clearedVia,
    state: row.state,
    deliveries: deliveries.map((d) => ({
      deliveredOn: d.deliveredOn,
      quantity: d.quantity,
      recordedBy: d.recordedBy,
      at: d.at,
    })),
    slips: slips.map((s) => ({
      expectedOn: s.expectedOn,
      reason: s.reason,
      recordedBy: s.recordedBy,
      at: s.at,
    })),
    issues: issues.map((q) => ({
      reportedOn: q.reportedOn,
      kind: q.kind,
      note: q.note,
      quantity: q.quantity,
      recordedBy: q.recordedBy,
      at: q.at,
    })),
    payments: payments.map((x) => ({
      paidOn: x.paidOn,
      amountMinor: x.amountMinor,
      recordedBy: x.recordedBy,
      at: x.at,
    })),
    cancellation:
      row.cancelReason && row.cancelledBy && row.cancelledAt
        ? { reason: row.cancelReason, by: row.cancelledBy, at: row.cancelledAt }
        : null,
  };
}
