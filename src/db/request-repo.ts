import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { CommitRequest, RequestEvent, SignOff } from '../domain/request.js';
import type { NewRequest, Notification, RequestStore, SlackLocation } from '../services/ports.js';
import type { Db } from './create-db.js';
import { approvals, events, outbox, type RequestRow, requests, type SignOffRow, signOffs } from './schema.js';

export function createRequestStore(db: Db): RequestStore {
  const sqlite = db.$client;
  // The reads on every click and every outbox delivery, prepared once: building the SQL and
  // compiling the statement on each call was a large share of the bot's CPU under load (bench/).
  const id = sql.placeholder('id');
  const reads = {
    request: db.select().from(requests).where(eq(requests.id, id)).prepare(),
    signOffs: db
      .select()
      .from(signOffs)
      .where(eq(signOffs.requestId, id))
      .orderBy(asc(signOffs.id))
      .prepare(),
    approvals: db
      .select(getTableColumns(approvals))
      .from(approvals)
      .innerJoin(signOffs, eq(signOffs.id, approvals.signOffId))
      .where(eq(signOffs.requestId, id))
      .orderBy(asc(approvals.at))
      .prepare(),
    requestIdForSignOff: db
      .select({ requestId: signOffs.requestId })
      .from(signOffs)
      .where(eq(signOffs.id, id))
      .prepare(),
    parentLocation: db
      .select({ channelId: requests.channelId, messageTs: requests.messageTs })
      .from(requests)
      .where(eq(requests.id, id))
      .prepare(),
    signOffMessageTs: db
      .select({ ts: signOffs.messageTs })
      .from(signOffs)
      .where(eq(signOffs.id, id))
      .prepare(),
  };
  return {
    transaction<T>(fn: () => T): T {
      // better-sqlite3 transactions are synchronous; IMMEDIATE takes the write lock up front so
      // two processes deciding at once serialise instead of failing with SQLITE_BUSY mid-way.
      return sqlite.transaction(fn).immediate();
    },

    insertRequest(input: NewRequest): CommitRequest {
      const { facts } = input;
      const row = db
        .insert(requests)
        .values({
          sellerId: input.sellerId,
          customer: facts.customer,
          productLineId: facts.productLineId,
          quantity: facts.quantity,
          valueMinor: facts.valueMinor,
          currency: input.currency,
          deliveryDate: facts.deliveryDate,
          paymentTermsDays: facts.paymentTermsDays,
          discountPercent: facts.discountPercent,
          specialRequirements: facts.specialRequirements,
          dealReference: facts.dealReference,
          sourceChannelId: input.sourceChannelId,
          status: input.status,
          closedAt: input.status === 'pending' ? null : input.at,
          createdAt: input.at,
          updatedAt: input.at,
        })
        .returning()
        .get();
      const signOffRows = input.signOffs.length
        ? db
            .insert(signOffs)
            .values(
              input.signOffs.map((s) => ({
                requestId: row.id,
                functionId: s.functionId,
                label: s.label,
                owners: [...s.owners],
                approvalsNeeded: s.approvalsNeeded,
                requiredBy: [...s.requiredBy],
                askedAt: input.at,
              })),
            )
            .returning()
            .all()
        : [];
      return toRequest(
        row,
        signOffRows.sort((a, b) => a.id - b.id),
        [],
      );
    },

    loadRequest(requestId: number): CommitRequest | null {
      const row = reads.request.get({ id: requestId });
      if (!row) return null;
      const so = reads.signOffs.all({ id: requestId });
      const ap = so.length ? reads.approvals.all({ id: requestId }) : [];
      return toRequest(row, so, ap);
    },

    requestIdForSignOff(signOffId: number): number | null {
      return reads.requestIdForSignOff.get({ id: signOffId })?.requestId ?? null;
    },

    saveDecision(before: CommitRequest, after: CommitRequest, signOff: SignOff): boolean {
      const previous = before.signOffs.find((s) => s.id === signOff.id);
      if (!previous) return false;
      // Conditional on the state we decided from: zero rows changed means someone else won.
      const changed = db
        .update(signOffs)
        .set({
          status: signOff.status,
          decidedAt: signOff.decidedAt,
          rejectedBy: signOff.rejection?.userId ?? null,
          rejectionReason: signOff.rejection?.reason ?? null,
        })
        .where(and(eq(signOffs.id, signOff.id), eq(signOffs.status, 'pending')))
        .run().changes;
      if (changed !== 1) return false;
      const added = signOff.approvals.filter((a) => !previous.approvals.some((p) => p.userId === a.userId));
      for (const a of added) {
        const inserted = db
          .insert(approvals)
          .values({ signOffId: signOff.id, userId: a.userId, at: a.at, conditions: a.conditions })
          .onConflictDoNothing()
          .run().changes;
        if (inserted !== 1) throw new ConcurrentDecisionError();
      }
      if (after.status !== before.status) {
        const moved = db
          .update(requests)
          .set({
            status: after.status,
            closedAt: after.closedAt,
            updatedAt: signOff.decidedAt ?? after.createdAt,
          })
          .where(and(eq(requests.id, after.id), eq(requests.status, before.status)))
          .run().changes;
        if (moved !== 1) throw new ConcurrentDecisionError();
      }
      return true;
    },

    appendEvents(requestId: number, list: readonly RequestEvent[]): void {
      if (!list.length) return;
      db.insert(events)
        .values(
          list.map((e) => {
            const { type, at, ...rest } = e;
            const actorId = 'actorId' in e ? e.actorId : null;
            const signOffId = 'signOffId' in e ? e.signOffId : null;
            return { requestId, type, at, actorId, signOffId, data: rest };
          }),
        )
        .run();
    },

    enqueue(list: readonly Notification[], at: Date): void {
      if (!list.length) return;
      db.insert(outbox)
        .values(
          list.map((n) => ({
            orderingKey: `request:${n.requestId}`,
            kind: n.kind,
            payload: { ...n },
            nextAttemptAt: at,
            createdAt: at,
          })),
        )
        .run();
    },

    parentLocation(requestId: number): SlackLocation | null {
      const row = reads.parentLocation.get({ id: requestId });
      return row?.channelId && row.messageTs ? { channelId: row.channelId, messageTs: row.messageTs } : null;
    },

    signOffMessageTs(signOffId: number): string | null {
      return reads.signOffMessageTs.get({ id: signOffId })?.ts ?? null;
    },

    setParentLocation(requestId: number, location: SlackLocation): void {
      db.update(requests)
        .set({ channelId: location.channelId, messageTs: location.messageTs })
        .where(eq(requests.id, requestId))
        .run();
    },

    setSignOffMessageTs(signOffId: number, ts: string): void {
      db.update(signOffs).set({ messageTs: ts }).where(eq(signOffs.id, signOffId)).run();
    },
  };
}

/** Thrown inside a transaction to roll it back when a concurrent writer got there first. */
export class ConcurrentDecisionError extends Error {
  readonly code = 'concurrent_decision';
}

function toRequest(
  row: RequestRow,
  so: readonly SignOffRow[],
  ap: readonly (typeof approvals.$inferSelect)[],
): CommitRequest {
  return {
    id: row.id,
    version: row.version,
    sellerId: row.sellerId,
    status: row.status,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    facts: {
      customer: row.customer,
      productLineId: row.productLineId,
      quantity: row.quantity,
      valueMinor: row.valueMinor,
      deliveryDate: row.deliveryDate,
      paymentTermsDays: row.paymentTermsDays,
      discountPercent: row.discountPercent,
      specialRequirements: row.specialRequirements,
      dealReference: row.dealReference,
    },
    signOffs: so.map(
      (s): SignOff => ({
        id: s.id,
        functionId: s.functionId,
        label: s.label,
        owners: s.owners,
        approvalsNeeded: s.approvalsNeeded,
        status: s.status,
        requiredBy: s.requiredBy,
        askedAt: s.askedAt,
        decidedAt: s.decidedAt,
        rejection:
          s.status === 'rejected' && s.rejectedBy && s.decidedAt
            ? { userId: s.rejectedBy, at: s.decidedAt, reason: s.rejectionReason ?? '' }
            : null,
        approvals: ap
          .filter((a) => a.signOffId === s.id)
          .map((a) => ({ userId: a.userId, at: a.at, conditions: a.conditions })),
      }),
    ),
  };
}
