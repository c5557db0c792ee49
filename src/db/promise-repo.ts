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
  const { reads, writes } = preparePromiseStatements(db);
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
    // One promise, the hot path (every button, modal and API step): prepared reads (bench/).
    loadPromise(requestId: number): CommitPromise | null {
      const key = { id: requestId };
      const row = reads.promise.get(key);
      if (!row) return null;
      return toPromise(
        row,
        reads.deliveries.all(key),
        reads.slips.all(key),
        reads.issues.all(key),
        reads.payments.all(key),
      );
    },

    savePromise(before: CommitPromise, after: CommitPromise, at: Date): void {
      const f = figures(after, at);
      const changed = writes.promise.run({
        ...f,
        // SET values are bound raw (preparePromiseStatements): instants as epoch milliseconds.
        cancelledAt: f.cancelledAt?.getTime() ?? null,
        updatedAt: f.updatedAt.getTime(),
        id: before.requestId,
        beforeState: before.state,
        beforeDelivered: deliveredQuantity(before),
        beforePaid: paidMinor(before),
        beforeDueOn: dueOn(before),
      }).changes;
      if (changed !== 1) throw new ConcurrentPromiseError('promise changed meanwhile');
      const id = after.requestId;
      for (const x of after.deliveries.slice(before.deliveries.length))
        writes.delivery.run({ requestId: id, ...x });
      for (const x of after.slips.slice(before.slips.length)) writes.slip.run({ requestId: id, ...x });
      for (const x of after.issues.slice(before.issues.length))
        writes.issue.run({ requestId: id, ...x, quantity: x.quantity ?? null });
      for (const x of after.payments.slice(before.payments.length))
        writes.payment.run({ requestId: id, ...x });
      // A new due date gets its own asks: the ones made for the old date no longer hold.
      if (dueOn(before) !== dueOn(after)) writes.clearAsks.run({ id });
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
      return reads.openDueBy.all({ day });
    },

    claimAsk(requestId: number, ask: 'on_track' | 'due' | 'reminder', due: string, at: Date): boolean {
      return writes.claimAsk[ask].run({ id: requestId, due, at: at.getTime() }).changes === 1;
    },

    dueMessageTs(requestId: number): string | null {
      return reads.dueMessageTs.get({ id: requestId })?.ts ?? null;
    },

    openLoadByDay(productLineId: string, from: string, toExclusive: string) {
      return reads.openLoadByDay.all({ line: productLineId, from, to: toExclusive });
    },

    setDueMessageTs(requestId: number, ts: string): void {
      writes.setDueMessageTs.run({ id: requestId, ts });
    },
  };
}

/**
 * The statements of every click, modal, API step and scheduler tick on a promise, prepared once
 * per store: building the SQL with drizzle's query builder and compiling it on each call was about
 * half of an API delivery's time (bench/promise-repo.ts, bench/api.ts). An insert's values and a
 * WHERE's are bound through their column, encoded as the builder would (instants to epoch
 * milliseconds); an update's SET values are bound raw (`raw` below), so their callers pass what
 * SQLite stores: instants as epoch milliseconds (`instant` in schema.ts is timestamp_ms).
 */
function preparePromiseStatements(db: Db) {
  const p = sql.placeholder;
  // An update's SET takes no placeholder in drizzle's types: bound raw, as SQLite stores the value.
  const raw = (name: string) => sql`${p(name)}`;
  const id = p('id');
  const byRequest = <
    T extends
      | typeof promiseDeliveries
      | typeof promiseSlips
      | typeof promiseQualityIssues
      | typeof promisePayments,
  >(
    table: T,
  ) => db.select().from(table).where(eq(table.requestId, id)).orderBy(asc(table.id)).prepare();
  const reads = {
    promise: db.select().from(promises).where(eq(promises.requestId, id)).prepare(),
    deliveries: byRequest(promiseDeliveries),
    slips: byRequest(promiseSlips),
    issues: byRequest(promiseQualityIssues),
    payments: byRequest(promisePayments),
    // promises_due_idx: open promises due on or before a day.
    openDueBy: db
      .select({
        requestId: promises.requestId,
        dueOn: promises.dueOn,
        state: promises.state,
        askedOnTrackAt: promises.askedOnTrackAt,
        askedDueAt: promises.askedDueAt,
        remindedAt: promises.remindedAt,
      })
      .from(promises)
      .where(and(inArray(promises.state, [...OPEN_STATES]), lte(promises.dueOn, p('day'))))
      .orderBy(asc(promises.dueOn), asc(promises.requestId))
      .prepare(),
    dueMessageTs: db
      .select({ ts: promises.dueMessageTs })
      .from(promises)
      .where(eq(promises.requestId, id))
      .prepare(),
    openLoadByDay: db
      .select({
        day: promises.dueOn,
        quantity: sql<number>`sum(${promises.quantity} - ${promises.deliveredQuantity})`,
      })
      .from(promises)
      .where(
        and(
          eq(promises.productLineId, p('line')),
          inArray(promises.state, [...OPEN_STATES]),
          sql`${promises.dueOn} >= ${p('from')}`,
          sql`${promises.dueOn} < ${p('to')}`,
        ),
      )
      .groupBy(promises.dueOn)
      .orderBy(asc(promises.dueOn))
      .prepare(),
  };
  const claimAsk = (column: 'askedOnTrackAt' | 'askedDueAt' | 'remindedAt') =>
    db
      .update(promises)
      .set({ [column]: raw('at') })
      .where(and(eq(promises.requestId, id), isNull(promises[column]), eq(promises.dueOn, p('due'))))
      .prepare();
  const writes = {
    promise: db
      .update(promises)
      .set({
        expectedOn: raw('expectedOn'),
        dueOn: raw('dueOn'),
        state: raw('state'),
        deliveredQuantity: raw('deliveredQuantity'),
        deliveredOn: raw('deliveredOn'),
        paidMinor: raw('paidMinor'),
        paymentDueOn: raw('paymentDueOn'),
        cancelReason: raw('cancelReason'),
        cancelledBy: raw('cancelledBy'),
        cancelledAt: raw('cancelledAt'),
        updatedAt: raw('updatedAt'),
        version: sql`${promises.version} + 1`,
      })
      .where(
        and(
          eq(promises.requestId, id),
          eq(promises.state, p('beforeState')),
          eq(promises.deliveredQuantity, p('beforeDelivered')),
          eq(promises.paidMinor, p('beforePaid')),
          eq(promises.dueOn, p('beforeDueOn')),
        ),
      )
      .prepare(),
    delivery: db
      .insert(promiseDeliveries)
      .values({
        requestId: p('requestId'),
        deliveredOn: p('deliveredOn'),
        quantity: p('quantity'),
        recordedBy: p('recordedBy'),
        at: p('at'),
      })
      .prepare(),
    slip: db
      .insert(promiseSlips)
      .values({
        requestId: p('requestId'),
        expectedOn: p('expectedOn'),
        reason: p('reason'),
        recordedBy: p('recordedBy'),
        at: p('at'),
      })
      .prepare(),
    issue: db
      .insert(promiseQualityIssues)
      .values({
        requestId: p('requestId'),
        reportedOn: p('reportedOn'),
        kind: p('kind'),
        note: p('note'),
        quantity: p('quantity'),
        recordedBy: p('recordedBy'),
        at: p('at'),
      })
      .prepare(),
    payment: db
      .insert(promisePayments)
      .values({
        requestId: p('requestId'),
        paidOn: p('paidOn'),
        amountMinor: p('amountMinor'),
        recordedBy: p('recordedBy'),
        at: p('at'),
      })
      .prepare(),
    clearAsks: db
      .update(promises)
      .set({ askedOnTrackAt: null, askedDueAt: null, remindedAt: null })
      .where(eq(promises.requestId, id))
      .prepare(),
    claimAsk: {
      on_track: claimAsk('askedOnTrackAt'),
      due: claimAsk('askedDueAt'),
      reminder: claimAsk('remindedAt'),
    },
    setDueMessageTs: db
      .update(promises)
      .set({ dueMessageTs: raw('ts') })
      .where(eq(promises.requestId, id))
      .prepare(),
  };
  return { reads, writes };
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
