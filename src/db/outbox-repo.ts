// The outbox table's one writer. `createOutbox` is the narrow port services enqueue through
// (inside their transaction); `createOutboxRepo` is the dispatcher's side (claim, settle, stats).
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { type Notification, orderingKeyOf } from '../services/notifications.js';
import type { Outbox } from '../services/ports.js';
import type { Db } from './create-db.js';
import { type OutboxRow, outbox } from './schema.js';

/**
 * Home publishes are coalesced: at most one per person per this window, whatever the burst.
 * Slack shows the last published Home at once when the person opens it, so a refresh that waits a
 * moment costs nothing, while one publish per click of a busy afternoon would hit rate limits.
 */
export const HOME_REFRESH_WINDOW_MS = 1500;

export function createOutbox(db: Db): Outbox {
  const sqlite = db.$client;
  const homeDue = prepareHomeDue(sqlite);
  const insertOutbox = sqlite.prepare(
    `INSERT INTO outbox (ordering_key, kind, payload, status, attempts, next_attempt_at, created_at, priority)
     VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
  );
  // A row somebody waits on raises its key's queued background rows: they are ahead of it in the
  // key's order, so they must not wait behind other keys' waves either (outbox_pending_idx range).
  const raiseKey = sqlite.prepare(
    `UPDATE outbox SET priority = 0 WHERE status = 'pending' AND ordering_key = ? AND priority <> 0`,
  );
  const insertRows = sqlite.transaction(
    (rows: readonly (readonly [string, string, string, number, number, number])[]) => {
      const raised = new Set<string>();
      for (const row of rows) {
        if (row[5] === 0 && !raised.has(row[0])) {
          raised.add(row[0]);
          raiseKey.run(row[0]);
        }
        insertOutbox.run(...row);
      }
    },
  );
  return {
    enqueue(list, at, options): void {
      const rows = list.flatMap((n): { n: Notification; due: Date }[] => {
        if (n.kind !== 'home.update') return [{ n, due: at }];
        const due = homeUpdateDue(homeDue, n.userId, at);
        return due ? [{ n, due }] : [];
      });
      // A statement prepared once, all rows or none (a savepoint inside the caller's transaction;
      // alone, BEGIN IMMEDIATE: the outbox worker writes the same file from its own connection).
      insertRows.immediate(
        rows.map(({ n, due }) => [
          orderingKeyOf(n),
          n.kind,
          JSON.stringify(n),
          due.getTime(),
          at.getTime(),
          priorityOf(n, options?.background === true),
        ]),
      );
    },
  };
}

/**
 * Background (1): a re-render nobody asked for, and the capacity fan-out that queues them. Every
 * other delivery is something a person is waiting on (0).
 */
function priorityOf(n: Notification, background: boolean): number {
  return background || n.kind === 'capacity.update' ? 1 : 0;
}

type HomeDueStatement = Database.Statement<
  [{ user: string; key: string }],
  { opened: number; queued: number; lastAt: number | null }
>;

function prepareHomeDue(sqlite: Database.Database): HomeDueStatement {
  return sqlite.prepare(
    `SELECT EXISTS (SELECT 1 FROM home_openers WHERE user_id = @user) AS opened,
            (SELECT count(*) FROM outbox WHERE status = 'pending' AND ordering_key = @key) AS queued,
            (SELECT delivered_at FROM outbox INDEXED BY outbox_pending_idx
               WHERE status = 'done' AND ordering_key = @key ORDER BY id DESC LIMIT 1) AS lastAt`,
  );
}

/**
 * When a Home refresh for this person should go out, or null when none is worth queueing: they
 * never opened Home, or two are already queued (one may be rendering now, from state older than
 * this change; the second covers every change after it, and is rendered when it goes out).
 * The first refresh after a quiet spell goes out at once; later ones wait out the window.
 */
function homeUpdateDue(stmt: HomeDueStatement, userId: string, at: Date): Date | null {
  const row = stmt.get({ user: userId, key: `home:${userId}` });
  if (row?.opened !== 1 || row.queued >= 2) return null;
  if (row.queued === 1) return new Date(at.getTime() + HOME_REFRESH_WINDOW_MS);
  return new Date(Math.max(at.getTime(), (row.lastAt ?? 0) + HOME_REFRESH_WINDOW_MS));
}

export interface OutboxStats {
  readonly pending: number;
  readonly failed: number;
  /** Creation time of the oldest pending delivery, or null when none is pending. */
  readonly oldestPendingAt: Date | null;
  /** Deliveries given up in the hour before `now`. */
  readonly failedLastHour: number;
}

export interface OutboxRepo {
  /** The head (lowest id) pending delivery of each ordering key, if it is due; oldest first. */
  nextDue(now: Date, limit: number): OutboxRow[];
  /**
   * Claims up to `limit` due heads for `owner` until `leaseUntil`, in one conditional UPDATE: a
   * row already leased to anyone is skipped, and so is every later row of its ordering key (the
   * leased one is still pending), so any number of processes deliver each row once and in order.
   * The same UPDATE counts the attempt as started (`attempts` + 1, `last_error` 'in_flight'),
   * before Slack is called, so a crash mid-call is visible: the rows come back with their
   * attempts counting this one. (A separate write per row for that was the outbox worker's most
   * frequent wait for SQLite's write lock.)
   */
  claimDue(now: Date, limit: number, owner: string, leaseUntil: Date): OutboxRow[];
  /** Extends `owner`'s leases on these rows (those it still holds). */
  renewLease(ids: readonly number[], owner: string, leaseUntil: Date): void;
  /** Owners holding a lease on a pending row now (to spot a dead predecessor's claims). */
  leaseHolders(now: Date): string[];
  /** Ends `owner`'s leases at once (it is known dead): its rows are claimable again. Returns how many. */
  releaseLeases(owner: string): number;
  maxId(): number;
  /** Marks the delivery done, and with it the identical pending ones queued up to `upToId`. */
  markDone(row: OutboxRow, at: Date, upToId: number): void;
  markRetry(id: number, attempts: number, nextAttemptAt: Date, error: string): void;
  /**
   * Records a delivery as given up and, in the same transaction, queues the reports that tell a
   * person how to fix it. A report already queued for the same request, person and error is not
   * queued again, so one cause is reported once however many deliveries it breaks.
   */
  markFailed(id: number, attempts: number, at: Date, error: string, reports?: readonly Notification[]): void;
  stats(now: Date): OutboxStats;
  /**
   * Deletes up to `limit` deliveries that went out before `before` (status done); pending and
   * failed ones stay. Returns how many were deleted: fewer than `limit` means none is left.
   */
  pruneDelivered(before: Date, limit: number): number;
  /**
   * Puts failed deliveries (of one request, or all) back in the queue once a person has fixed
   * the cause; the running bot's next poll delivers them. Reports are not requeued. Returns how many.
   */
  requeueFailed(requestId?: number): number;
}

/** An outbox row as SQLite returns it (column names, instants as epoch milliseconds). */
interface OutboxSql {
  id: number;
  ordering_key: string;
  kind: string;
  payload: string;
  status: OutboxRow['status'];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  claimed_by: string | null;
  lease_until: number | null;
  priority: number;
}

const toRow = (r: OutboxSql): OutboxRow => ({
  id: r.id,
  orderingKey: r.ordering_key,
  kind: r.kind,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at),
  lastError: r.last_error,
  createdAt: new Date(r.created_at),
  deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at),
  claimedBy: r.claimed_by,
  leaseUntil: r.lease_until === null ? null : new Date(r.lease_until),
  priority: r.priority,
});

export function createOutboxRepo(db: Db): OutboxRepo {
  const sqlite = db.$client;
  const writer = createOutbox(db);
  // Pending rows by priority, oldest first (outbox_pending_id_idx), keeping each key's head (no older pending
  // row of its key, checked on outbox_pending_idx) that is due; it stops after `limit` rows, so
  // its cost follows the batch size, not the backlog.
  const nextDueStmt = sqlite.prepare(`
    SELECT o.* FROM outbox o INDEXED BY outbox_pending_id_idx
    WHERE o.status = 'pending'
      AND o.next_attempt_at <= ?
      AND NOT EXISTS (
        SELECT 1 FROM outbox i INDEXED BY outbox_pending_idx
        WHERE i.status = 'pending' AND i.ordering_key = o.ordering_key AND i.id < o.id)
    ORDER BY o.priority, o.id
    LIMIT ?`);
  // The same heads, claimed: one statement, so it is atomic against every other connection (SQLite
  // runs one writer at a time). A head leased to another process holds back its whole key.
  const claimStmt = sqlite.prepare(`
    UPDATE outbox SET claimed_by = @owner, lease_until = @until,
      attempts = attempts + 1, last_error = 'in_flight'
    WHERE id IN (
      SELECT o.id FROM outbox o INDEXED BY outbox_pending_id_idx
      WHERE o.status = 'pending'
        AND o.next_attempt_at <= @now
        AND (o.lease_until IS NULL OR o.lease_until < @now)
        AND NOT EXISTS (
          SELECT 1 FROM outbox i INDEXED BY outbox_pending_idx
          WHERE i.status = 'pending' AND i.ordering_key = o.ordering_key AND i.id < o.id)
      ORDER BY o.priority, o.id
      LIMIT @limit)
    RETURNING *`);
  const renewStmt = sqlite.prepare(
    `UPDATE outbox SET lease_until = ?
     WHERE claimed_by = ? AND status = 'pending' AND id IN (SELECT value FROM json_each(?))`,
  );
  const holdersStmt = sqlite.prepare(
    `SELECT DISTINCT claimed_by AS owner FROM outbox
     WHERE status = 'pending' AND claimed_by IS NOT NULL AND lease_until >= ?`,
  );
  const releaseStmt = sqlite.prepare(
    `UPDATE outbox SET claimed_by = NULL, lease_until = NULL WHERE status = 'pending' AND claimed_by = ?`,
  );
  // The dispatcher's writes, prepared once (drizzle's builder compiles and prepares per call, which
  // was a tenth of the bot's CPU under load).
  const markDoneStmt = sqlite.prepare(
    `UPDATE outbox SET status = 'done', delivered_at = ?, attempts = ?, last_error = NULL,
       claimed_by = NULL, lease_until = NULL WHERE id = ?`,
  );
  const collapseStmt = sqlite.prepare(
    `UPDATE outbox SET status = 'done', delivered_at = ?
     WHERE status = 'pending' AND ordering_key = ? AND kind = ? AND payload = ? AND id <= ?`,
  );
  const markRetryStmt = sqlite.prepare(
    `UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_by = NULL, lease_until = NULL
     WHERE id = ?`,
  );
  // outbox_reports_idx holds only the reports, so this never reads the delivery history.
  const reportedStmt = sqlite.prepare(`
    SELECT 1 FROM outbox INDEXED BY outbox_reports_idx
    WHERE kind = 'delivery.failed'
      AND json_extract(payload, '$.requestId') = ?
      AND json_extract(payload, '$.userId') = ?
      AND json_extract(payload, '$.code') = ?`);
  const statsStmt = sqlite.prepare(`
    SELECT
      (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending,
      (SELECT count(*) FROM outbox WHERE status = 'failed') AS failed,
      (SELECT count(*) FROM outbox WHERE status = 'failed' AND delivered_at >= ?) AS failedLastHour,
      (SELECT min(created_at) FROM outbox WHERE status = 'pending') AS oldest`);
  const maxIdStmt = sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM outbox');
  // A range of outbox_delivered_idx: each batch reads only the rows it deletes.
  const pruneStmt = sqlite.prepare(`
    DELETE FROM outbox WHERE id IN (
      SELECT id FROM outbox INDEXED BY outbox_delivered_idx
      WHERE status = 'done' AND delivered_at < ? LIMIT ?)`);
  return {
    nextDue(now, limit) {
      return (nextDueStmt.all(now.getTime(), limit) as OutboxSql[]).map(toRow);
    },
    claimDue(now, limit, owner, leaseUntil) {
      // A read first: an idle poll (the usual case) takes no write lock.
      if (!nextDueStmt.get(now.getTime(), 1)) return [];
      const rows = claimStmt.all({
        owner,
        until: leaseUntil.getTime(),
        now: now.getTime(),
        limit,
      }) as OutboxSql[];
      // RETURNING gives no order; deliveries start by priority, oldest first.
      return rows.map(toRow).sort((a, b) => a.priority - b.priority || a.id - b.id);
    },
    renewLease(ids, owner, leaseUntil) {
      if (ids.length) renewStmt.run(leaseUntil.getTime(), owner, JSON.stringify(ids));
    },
    leaseHolders(now) {
      return (holdersStmt.all(now.getTime()) as { owner: string }[]).map((r) => r.owner);
    },
    releaseLeases(owner) {
      return releaseStmt.run(owner).changes;
    },
    pruneDelivered(before, limit) {
      return pruneStmt.run(before.getTime(), limit).changes;
    },
    maxId() {
      return (maxIdStmt.get() as { id: number }).id;
    },
    // Multi-statement writes take the write lock up front (BEGIN IMMEDIATE): with the main
    // thread and the outbox worker on two connections, a deferred transaction that read first
    // could fail with SQLITE_BUSY_SNAPSHOT, which busy_timeout does not retry.
    markDone(row, at, upToId) {
      sqlite
        .transaction(() => {
          markDoneStmt.run(at.getTime(), row.attempts, row.id);
          // Updates are rendered from the current state when delivered, so identical ones queued
          // before this delivery started are already satisfied: a burst of clicks is one update.
          if (row.kind.endsWith('.update'))
            collapseStmt.run(at.getTime(), row.orderingKey, row.kind, JSON.stringify(row.payload), upToId);
        })
        .immediate();
    },
    markRetry(id, attempts, nextAttemptAt, error) {
      markRetryStmt.run(attempts, nextAttemptAt.getTime(), error, id);
    },
    markFailed(id, attempts, at, error, reports = []) {
      sqlite
        .transaction(() => {
          db.update(outbox)
            .set({
              status: 'failed',
              attempts,
              lastError: error,
              deliveredAt: at,
              claimedBy: null,
              leaseUntil: null,
            })
            .where(eq(outbox.id, id))
            .run();
          writer.enqueue(
            reports.filter(
              (r) => r.kind === 'delivery.failed' && !reportedStmt.get(r.requestId, r.userId, r.code),
            ),
            at,
          );
        })
        .immediate();
    },
    requeueFailed(requestId) {
      return sqlite
        .prepare(
          // Due at once: created_at is in the past for any clock, the bot's or this command's.
          `UPDATE outbox SET status = 'pending', next_attempt_at = created_at, delivered_at = NULL,
             last_error = 'requeued: ' || coalesce(last_error, '')
           WHERE status = 'failed' AND kind <> 'delivery.failed'
             AND (? IS NULL OR json_extract(payload, '$.requestId') = ?)`,
        )
        .run(requestId ?? null, requestId ?? null).changes;
    },
    stats(now) {
      const row = statsStmt.get(now.getTime() - 3_600_000) as {
        pending: number;
        failed: number;
        failedLastHour: number;
        oldest: number | null;
      };
      return {
        pending: row.pending,
        failed: row.failed,
        failedLastHour: row.failedLastHour,
        oldestPendingAt: row.oldest === null ? null : new Date(row.oldest),
      };
    },
  };
}
