// Delivered outbox rows are deleted after 30 days, once a day, in batches; pending and failed
// deliveries are never touched (a person still has to see or requeue them).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createOutboxRepo } from '../../src/db/outbox-repo.js';
import { outbox } from '../../src/db/schema.js';
import { OUTBOX_PRUNE_EVERY_MS, outboxPruner } from '../../src/jobs/outbox-prune.js';
import { createLogger } from '../../src/logger.js';
import { FixedClock } from '../support/fixed-clock.js';

const DAY = 24 * 3_600_000;
const NOW = new Date('2026-11-23T15:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

let db: Db;
beforeEach(() => {
  db = createDb(':memory:');
});
afterEach(() => closeDb(db));

function row(key: string, status: 'pending' | 'done' | 'failed', deliveredDaysAgo: number | null) {
  const at = daysAgo(deliveredDaysAgo ?? 40);
  db.insert(outbox)
    .values({
      orderingKey: key,
      kind: 'thread.post',
      payload: { key },
      status,
      nextAttemptAt: at,
      createdAt: at,
      deliveredAt: deliveredDaysAgo === null ? null : at,
    })
    .run();
}

const keys = () =>
  db
    .select({ key: outbox.orderingKey })
    .from(outbox)
    .orderBy(outbox.id)
    .all()
    .map((r) => r.key);

describe('pruning delivered outbox rows', () => {
  it('when rows were delivered over 30 days ago then they are deleted in batches and everything else stays', async () => {
    for (let i = 0; i < 5; i++) row(`old-${i}`, 'done', 31 + i);
    row('recent', 'done', 29);
    row('pending', 'pending', null);
    row('failed', 'failed', 45);
    const logs: string[] = [];
    const prune = outboxPruner({
      repo: createOutboxRepo(db),
      clock: new FixedClock(NOW),
      logger: createLogger('info', (l) => logs.push(l)),
      batch: 2,
    });
    expect(await prune()).toBe(5);
    expect(keys()).toEqual(['recent', 'pending', 'failed']);
    expect(logs.join('\n')).toContain('pruned delivered outbox rows');
  });

  it('when it ran less than a day ago then it waits; a day later it runs again', async () => {
    const clock = new FixedClock(NOW);
    const prune = outboxPruner({
      repo: createOutboxRepo(db),
      clock,
      logger: createLogger('error', () => {}),
    });
    expect(await prune()).toBe(0);
    row('old', 'done', 31);
    clock.advance(OUTBOX_PRUNE_EVERY_MS - 60_000);
    expect(await prune()).toBeNull();
    expect(keys()).toEqual(['old']);
    clock.advance(60_000);
    expect(await prune()).toBe(1);
    expect(keys()).toEqual([]);
  });
});
