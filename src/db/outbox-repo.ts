import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from './create-db.js';
import { type OutboxRow, outbox } from './schema.js';

export interface OutboxStats {
  readonly pending: number;
  readonly failed: number;
  /** Creation time of the oldest pending delivery, or null when none is pending. */
  readonly oldestPendingAt: Date | null;
}

export interface OutboxRepo {
  /** The head (lowest id) pending delivery of each ordering key, if it is due; oldest first. */
  nextDue(now: Date, limit: number): OutboxRow[];
  maxId(): number;
  /** Marks the delivery done, and with it the identical pending ones queued up to `upToId`. */
  markDone(row: OutboxRow, at: Date, upToId: number): void;
  markRetry(id: number, attempts: number, nextAttemptAt: Date, error: string): void;
  markFailed(id: number, attempts: number, at: Date, error: string): void;
  stats(): OutboxStats;
}

export function createOutboxRepo(db: Db): OutboxRepo {
  const sqlite = db.$client;
  const nextDueStmt = sqlite.prepare(`
    SELECT o.id FROM outbox o
    WHERE o.status = 'pending'
      AND o.id = (SELECT min(i.id) FROM outbox i WHERE i.status = 'pending' AND i.ordering_key = o.ordering_key)
      AND o.next_attempt_at <= ?
    ORDER BY o.id
    LIMIT ?`);
  const maxIdStmt = sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM outbox');
  return {
    nextDue(now, limit) {
      const ids = (nextDueStmt.all(now.getTime(), limit) as { id: number }[]).map((r) => r.id);
      if (!ids.length) return [];
      return db
        .select()
        .from(outbox)
        .where(sql`${outbox.id} IN (${sql.join(ids, sql`, `)})`)
        .orderBy(outbox.id)
        .all();
    },
    maxId() {
      return (maxIdStmt.get() as { id: number }).id;
    },
    markDone(row, at, upToId) {
      sqlite.transaction(() => {
        db.update(outbox)
          .set({ status: 'done', deliveredAt: at, attempts: row.attempts + 1, lastError: null })
          .where(eq(outbox.id, row.id))
          .run();
        // Updates are rendered from the current state when delivered, so identical ones queued
        // before this delivery started are already satisfied: a burst of clicks is one update.
        if (row.kind.endsWith('.update')) {
          db.update(outbox)
            .set({ status: 'done', deliveredAt: at })
            .where(
              and(
                eq(outbox.status, 'pending'),
                eq(outbox.orderingKey, row.orderingKey),
                eq(outbox.kind, row.kind),
                sql`${outbox.payload} = ${JSON.stringify(row.payload)}`,
                lte(outbox.id, upToId),
              ),
            )
            .run();
        }
      })();
    },
    markRetry(id, attempts, nextAttemptAt, error) {
      db.update(outbox).set({ attempts, nextAttemptAt, lastError: error }).where(eq(outbox.id, id)).run();
    },
    markFailed(id, attempts, at, error) {
      db.update(outbox)
        .set({ status: 'failed', attempts, lastError: error, deliveredAt: at })
        .where(eq(outbox.id, id))
        .run();
    },
    stats() {
      const row = sqlite
        .prepare(
          `SELECT
             (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending,
             (SELECT count(*) FROM outbox WHERE status = 'failed') AS failed,
             (SELECT min(created_at) FROM outbox WHERE status = 'pending') AS oldest`,
        )
        .get() as { pending: number; failed: number; oldest: number | null };
      return {
        pending: row.pending,
        failed: row.failed,
        oldestPendingAt: row.oldest === null ? null : new Date(row.oldest),
      };
    },
  };
}
