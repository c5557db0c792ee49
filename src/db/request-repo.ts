import { randomBytes } from 'node:crypto';
import { and, asc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { ClearedVia, PromiseEvent } from '../domain/promise.js';
import {
  type CommitRequest,
  factsOf,
  type LifecycleEvent,
  type RequestEvent,
  type SignOff,
} from '../domain/request.js';
import type { RequiredSignOff, RevisionPlan } from '../domain/revision.js';

import type { Notification } from '../services/notifications.js';
import type { NewRequest, Outbox, RequestStore, StoredEvent } from '../services/ports.js';
import type { Db } from './create-db.js';
import { clearedViaOf, insertPromiseOnClearance } from './promise-repo.js';
import { approvals, events, type RequestRow, requests, type SignOffRow, signOffs } from './schema.js';

export interface RequestStoreOptions {
  /** The business time zone: a promise's clearance day is the day there (default UTC). */
  readonly timeZone?: string;
  /**
   * What to deliver for events just appended (the webhooks that listed them, services/webhooks.ts),
   * enqueued through `outbox` in the transaction that appends the events: an event and its
   * webhooks commit together.
   */
  readonly onEvents?: {
    readonly outbox: Outbox;
    readonly deliveriesFor: (
      requestId: number,
      appended: readonly AppendedEvent[],
    ) => readonly Notification[];
  };
}

/** An event row as just inserted: its id is the webhook's de-duplication id. */
export interface AppendedEvent {
  readonly id: number;
  readonly type: string;
}

export function createRequestStore(db: Db, options: RequestStoreOptions = {}): RequestStore {
  const sqlite = db.$client;
  const timeZone = options.timeZone ?? 'UTC';
  // Every write below that sets a request's status to approved makes its promise here, in the
  // same transaction: one place, so no path (present or future) clears without a promise.
  const cleared = (before: { status: string } | null, after: CommitRequest, via: ClearedVia, at: Date) => {
    if (after.status === 'approved' && before?.status !== 'approved')
      insertPromiseOnClearance(db, after, clearedViaOf(after, via), at, timeZone);
  };
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
  };
  const store: RequestStore = {
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
          ...factsOf(facts),
          currency: input.currency,
          sourceChannelId: input.sourceChannelId,
          status: input.status,
          capacityCheck: input.capacityCheck ?? null,
          fastLane: input.fastLane ? [...input.fastLane] : null,
          buttonKey: newButtonKey(),
          sourceViewId: input.viewId ?? null,
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
                escalatedAt: s.escalatedAt ?? null,
              })),
            )
            .returning()
            .all()
        : [];
      const created = toRequest(
        row,
        signOffRows.sort((a, b) => a.id - b.id),
        [],
      );
      cleared(null, created, input.clearedVia ?? 'no_signoff_needed', input.at);
      return created;
    },

    // One request, the hot path (every click, every delivery): prepared reads (bench/).
    loadRequest(requestId: number): CommitRequest | null {
      const row = reads.request.get({ id: requestId });
      if (!row) return null;
      const so = reads.signOffs.all({ id: requestId });
      const ap = so.length ? reads.approvals.all({ id: requestId }) : [];
      return toRequest(row, so, ap);
    },

    saveRevision(
      before: CommitRequest,
      plan: RevisionPlan,
      at: Date,
      escalated: ReadonlySet<string> = new Set(),
    ): CommitRequest | null {
      const moved = db
        .update(requests)
        .set({
          version: plan.version,
          ...factsOf(plan.facts),
          updatedAt: at,
        })
        .where(
          and(
            eq(requests.id, before.id),
            eq(requests.version, before.version),
            eq(requests.status, 'pending'),
          ),
        )
        .run().changes;
      if (moved !== 1) return null;
      const askAgain = (id: number, r: RequiredSignOff) => {
        db.update(signOffs)
          .set({
            label: r.label,
            owners: [...r.owners],
            approvalsNeeded: r.approvalsNeeded,
            requiredBy: [...r.requiredBy],
            status: 'pending',
            askedAt: at,
            decidedAt: null,
            rejectedBy: null,
            rejectionReason: null,
            proposedDate: null,
            proposalNote: null,
            proposedBy: null,
            proposedAt: null,
            proposedSplit: null,
            retiredAt: null,
            ...(escalated.has(r.functionId) ? { escalatedAt: at } : {}),
          })
          .where(eq(signOffs.id, id))
          .run();
        db.delete(approvals).where(eq(approvals.signOffId, id)).run();
      };
      for (const r of plan.reset) askAgain(r.id, r);
      for (const s of plan.keep)
        db.update(signOffs)
          .set({ requiredBy: [...s.requiredBy] })
          .where(eq(signOffs.id, s.id))
          .run();
      for (const s of plan.retire)
        db.update(signOffs).set({ retiredAt: at, proposedDate: null }).where(eq(signOffs.id, s.id)).run();
      for (const r of plan.add) {
        // A function an earlier version retired comes back on its old row (one per function).
        const old = db
          .select({ id: signOffs.id })
          .from(signOffs)
          .where(and(eq(signOffs.requestId, before.id), eq(signOffs.functionId, r.functionId)))
          .get();
        if (old) askAgain(old.id, r);
        else
          db.insert(signOffs)
            .values({
              requestId: before.id,
              functionId: r.functionId,
              label: r.label,
              owners: [...r.owners],
              approvalsNeeded: r.approvalsNeeded,
              requiredBy: [...r.requiredBy],
              askedAt: at,
              escalatedAt: escalated.has(r.functionId) ? at : null,
            })
            .run();
      }
      return this.loadRequest(before.id);
    },

    requestIdForSignOff(signOffId: number): number | null {
      return reads.requestIdForSignOff.get({ id: signOffId })?.requestId ?? null;
    },

    requestIdForView(viewId: string): number | null {
      const row = sqlite.prepare('SELECT id FROM requests WHERE source_view_id = ?').get(viewId) as
        | { id: number }
        | undefined;
      return row?.id ?? null;
    },

    buttonKey(target: { readonly requestId: number } | { readonly signOffId: number }): string | null {
      const row = (
        'requestId' in target
          ? sqlite.prepare('SELECT button_key AS k FROM requests WHERE id = ?').get(target.requestId)
          : sqlite
              .prepare(
                'SELECT r.button_key AS k FROM sign_offs s JOIN requests r ON r.id = s.request_id WHERE s.id = ?',
              )
              .get(target.signOffId)
      ) as { k: string | null } | undefined;
      if (!row) return null;
      return row.k ?? '';
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
      insertNewApprovals(db, previous, signOff);
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
        cleared(before, after, 'signoffs', signOff.decidedAt ?? after.closedAt ?? after.createdAt);
      }
      return true;
    },

    saveTransition(before: CommitRequest, after: CommitRequest, at: Date): boolean {
      const moved = db
        .update(requests)
        .set({
          status: after.status,
          closedAt: after.closedAt,
          deliveryDate: after.facts.deliveryDate,
          splitPlan: after.split ? [...after.split] : null,
          overriddenBy: after.override?.userId ?? null,
          overrideReason: after.override?.reason ?? null,
          overriddenAt: after.override?.at ?? null,
          withdrawReason: after.withdrawReason ?? null,
          updatedAt: at,
        })
        .where(
          and(
            eq(requests.id, after.id),
            eq(requests.status, before.status),
            eq(requests.version, before.version),
            eq(requests.deliveryDate, before.facts.deliveryDate),
          ),
        )
        .run().changes;
      if (moved !== 1) return false;
      for (const s of after.signOffs) {
        const previous = before.signOffs.find((p) => p.id === s.id);
        if (!previous || JSON.stringify(previous) === JSON.stringify(s)) continue;
        const proposedBefore = previous.proposal?.date ?? null;
        const changed = db
          .update(signOffs)
          .set({
            status: s.status,
            decidedAt: s.decidedAt,
            rejectedBy: s.rejection?.userId ?? null,
            rejectionReason: s.rejection?.reason ?? null,
            proposedDate: s.proposal?.date ?? null,
            proposalNote: s.proposal?.note ?? null,
            proposedBy: s.proposal?.userId ?? null,
            proposedAt: s.proposal?.at ?? null,
            proposedSplit: s.proposal?.split ? [...s.proposal.split] : null,
          })
          .where(
            and(
              eq(signOffs.id, s.id),
              eq(signOffs.status, previous.status),
              proposedBefore === null
                ? isNull(signOffs.proposedDate)
                : eq(signOffs.proposedDate, proposedBefore),
            ),
          )
          .run().changes;
        if (changed !== 1) throw new ConcurrentDecisionError();
        insertNewApprovals(db, previous, s);
      }
      // Override, an accepted counter date, or a revision that left nothing to sign off.
      cleared(before, after, after.signOffs.length > 0 ? 'signoffs' : 'no_signoff_needed', at);
      return true;
    },

    appendEvents(requestId: number, list: readonly (RequestEvent | LifecycleEvent | PromiseEvent)[]): void {
      if (!list.length) return;
      // A savepoint inside the caller's transaction (every service appends inside one); alone,
      // BEGIN IMMEDIATE (two connections write this file: main and the outbox worker).
      sqlite
        .transaction(() => {
          const appended = db
            .insert(events)
            .values(
              list.map((e) => {
                const { type, at, ...rest } = e;
                const actorId = 'actorId' in e ? e.actorId : null;
                const signOffId = 'signOffId' in e ? e.signOffId : null;
                return { requestId, type, at, actorId, signOffId, data: rest };
              }),
            )
            .returning({ id: events.id, type: events.type })
            .all();
          const hooks = options.onEvents?.deliveriesFor(requestId, appended) ?? [];
          const at = list[0]?.at;
          if (hooks.length && at) options.onEvents?.outbox.enqueue(hooks, at);
        })
        .immediate();
    },

    history(requestId: number): StoredEvent[] {
      return db
        .select({
          type: events.type,
          actorId: events.actorId,
          signOffId: events.signOffId,
          at: events.at,
          data: events.data,
        })
        .from(events)
        .where(eq(events.requestId, requestId))
        .orderBy(asc(events.id))
        .all();
    },
  };
  return store;
}

/** Requests with their sign-offs and approvals, three indexed reads whatever the count. */
export function loadRequestsByIds(db: Db, ids: readonly number[]): Map<number, CommitRequest> {
  const out = new Map<number, CommitRequest>();
  if (!ids.length) return out;
  const unique = [...new Set(ids)];
  const rows = db.select().from(requests).where(inArray(requests.id, unique)).all();
  const so = db.select().from(signOffs).where(inArray(signOffs.requestId, unique)).all();
  so.sort((a, b) => a.id - b.id);
  const ap = so.length
    ? db
        .select()
        .from(approvals)
        .where(
          inArray(
            approvals.signOffId,
            so.map((s) => s.id),
          ),
        )
        .all()
        .sort((a, b) => a.at.getTime() - b.at.getTime())
    : [];
  for (const row of rows) {
    const mine = so.filter((s) => s.requestId === row.id);
    const ids = new Set(mine.map((s) => s.id));
    out.set(
      row.id,
      toRequest(
        row,
        mine,
        ap.filter((a) => ids.has(a.signOffId)),
      ),
    );
  }
  return out;
}

/**
 * Records the approvals `after` has that `before` had not (one row per approver). An approval
 * already stored means a concurrent decision won: the transaction is rolled back.
 */
function insertNewApprovals(db: Db, before: SignOff, after: SignOff): void {
  for (const a of after.approvals.filter((a) => !before.approvals.some((p) => p.userId === a.userId))) {
    const inserted = db
      .insert(approvals)
      .values({
        signOffId: after.id,
        userId: a.userId,
        at: a.at,
        conditions: a.conditions,
        onBehalfOf: a.onBehalfOf ?? null,
        overCapacityReason: a.overCapacityReason ?? null,
      })
      .onConflictDoNothing()
      .run().changes;
    if (inserted !== 1) throw new ConcurrentDecisionError();
  }
}

/** Thrown inside a transaction to roll it back when a concurrent writer got there first. */
export class ConcurrentDecisionError extends Error {
  readonly code = 'concurrent_decision';
}

/** 128 random bits: a button key cannot be guessed from a reference or an id. */
export function newButtonKey(): string {
  return randomBytes(16).toString('hex');
}

export function toRequest(
  row: RequestRow,
  so: readonly SignOffRow[],
  ap: readonly (typeof approvals.$inferSelect)[],
): CommitRequest {
  const request: CommitRequest = {
    id: row.id,
    version: row.version,
    sellerId: row.sellerId,
    key: row.buttonKey ?? '',
    status: row.status,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    capacityCheck: row.capacityCheck,
    override:
      row.overriddenBy && row.overriddenAt
        ? { userId: row.overriddenBy, at: row.overriddenAt, reason: row.overrideReason ?? '' }
        : null,
    withdrawReason: row.withdrawReason,
    fastLane: row.fastLane,
    split: row.splitPlan,
    facts: factsOf(row),
    signOffs: so.filter((s) => !s.retiredAt).map(toSignOff),
    retiredSignOffs: so.filter((s) => s.retiredAt).map(toSignOff),
  };
  return request;

  function toSignOff(s: SignOffRow): SignOff {
    return {
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
      proposal:
        s.proposedDate && s.proposedBy && s.proposedAt
          ? {
              userId: s.proposedBy,
              at: s.proposedAt,
              date: s.proposedDate,
              note: s.proposalNote,
              split: s.proposedSplit,
            }
          : null,
      approvals: ap
        .filter((a) => a.signOffId === s.id)
        .map((a) => ({
          userId: a.userId,
          at: a.at,
          conditions: a.conditions,
          onBehalfOf: a.onBehalfOf,
          overCapacityReason: a.overCapacityReason,
        })),
    };
  }
}
