// The outbox table's own rules: the dispatcher takes the due head of each ordering key, oldest
// first; delivered rows are deleted after 30 days, a capped slice per run, in batches; pending and failed
// deliveries are never deleted (a person still has to see or requeue them); a claim leases a row
// to one process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createOutbox, createOutboxRepo } from '../../src/db/outbox-repo.js';
import { outbox } from '../../src/db/schema.js';
import { leaseOwner, ownerIsGone } from '../../src/jobs/outbox-lease.js';
import { outboxPruner } from '../../src/jobs/outbox-prune.js';
import { createLogger } from '../../src/logger.js';
import type { Notification } from '../../src/services/notifications.js';
import { FixedClock } from '../support/fixed-clock.js';

const DAY = 24 * 3_600_000;
const NOW = new Date('2026-11-23T15:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

let db: Db;
beforeEach(() => {
  db = createDb(':memory:');
});
afterEach(() => closeDb(db));

function row(
  key: string,
  status: 'pending' | 'done' | 'failed',
  deliveredDaysAgo: number | null,
  nextAttemptAt?: Date,
) {
  const at = daysAgo(deliveredDaysAgo ?? 40);
  db.insert(outbox)
    .values({
      orderingKey: key,
      kind: 'thread.post',
      payload: { key },
      status,
      nextAttemptAt: nextAttemptAt ?? at,
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

  it('when more rows are due than one run may delete then the rest go on later runs, and a caught-up run deletes nothing', async () => {
    for (let i = 0; i < 7; i++) row(`old-${i}`, 'done', 31);
    row('recent', 'done', 29);
    const prune = outboxPruner({
      repo: createOutboxRepo(db),
      clock: new FixedClock(NOW),
      logger: createLogger('error', () => {}),
      batch: 2,
      maxPerRun: 3,
    });
    expect(await prune()).toBe(3);
    expect(keys()).toEqual(['old-3', 'old-4', 'old-5', 'old-6', 'recent']);
    expect(await prune()).toBe(3);
    expect(await prune()).toBe(1);
    expect(await prune()).toBe(0);
    expect(keys()).toEqual(['recent']);
  });
});

describe('next due deliveries', () => {
  it('when keys have several pending rows then only each key’s oldest is due, oldest first, up to the limit', () => {
    row('a', 'done', 1);
    row('a', 'pending', null); // id 2: head of a
    row('b', 'pending', null, new Date(NOW.getTime() + 60_000)); // id 3: head of b, backing off
    row('a', 'pending', null); // id 4: waits behind 2
    row('b', 'pending', null); // id 5: waits behind 3, though due itself
    row('c', 'failed', 2);
    row('c', 'pending', null); // id 7: head of c (a failed row does not block)
    row('d', 'pending', null); // id 8
    const repo = createOutboxRepo(db);
    expect(repo.nextDue(NOW, 10).map((r) => r.id)).toEqual([2, 7, 8]);
    expect(repo.nextDue(NOW, 2).map((r) => r.id)).toEqual([2, 7]);
    const [head] = repo.nextDue(NOW, 1);
    if (!head) throw new Error('no head');
    repo.markDone(head, NOW, head.id);
    expect(repo.nextDue(NOW, 10).map((r) => r.id)).toEqual([4, 7, 8]);
    expect(repo.nextDue(new Date(NOW.getTime() + 60_000), 10).map((r) => r.id)).toEqual([3, 4, 7, 8]);
  });
});

describe('claiming due deliveries with a lease', () => {
  it('when two connections claim at once then each row goes to one, a leased head holds back its key, and an expired lease is claimable again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'commit-gate-lease-'));
    const a = createDb(join(dir, 'cg.db'));
    const b = createDb(join(dir, 'cg.db'));
    try {
      const previous = db;
      db = a;
      row('a', 'pending', null); // 1: head of a
      row('a', 'pending', null); // 2: behind 1
      row('b', 'pending', null); // 3
      row('c', 'pending', null); // 4
      db = previous;
      const lease = new Date(NOW.getTime() + 60_000);
      const first = createOutboxRepo(a).claimDue(NOW, 2, 'host:1:1', lease);
      const longer = new Date(NOW.getTime() + 120_000);
      const second = createOutboxRepo(b).claimDue(NOW, 10, 'host:2:2', longer);
      expect(first.map((r) => r.id)).toEqual([1, 3]);
      // Row 2 waits behind row 1, which the first holds: the second takes only what is free.
      expect(second.map((r) => r.id)).toEqual([4]);
      expect(createOutboxRepo(b).claimDue(NOW, 10, 'host:2:2', lease)).toEqual([]);
      expect(createOutboxRepo(b).leaseHolders(NOW).sort()).toEqual(['host:1:1', 'host:2:2']);
      // The first dies holding 1 and 3: after the lease, the second takes them (and row 2 still waits).
      const later = new Date(lease.getTime() + 1);
      expect(
        createOutboxRepo(b)
          .claimDue(later, 10, 'host:2:2', new Date(later.getTime() + 60_000))
          .map((r) => r.id),
      ).toEqual([1, 3]);
    } finally {
      closeDb(a);
      closeDb(b);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when an attempt settles then its lease is cleared, and releasing a gone owner frees its rows at once', () => {
    row('a', 'pending', null); // 1
    row('b', 'pending', null); // 2
    const repo = createOutboxRepo(db);
    const lease = new Date(NOW.getTime() + 60_000);
    const [one, two] = repo.claimDue(NOW, 10, 'host:1:1', lease);
    if (!one || !two) throw new Error('nothing claimed');
    repo.markRetry(one.id, 1, NOW, 'http_500');
    expect(repo.claimDue(NOW, 10, 'host:2:2', lease).map((r) => r.id)).toEqual([1]);
    expect(repo.releaseLeases('host:1:1')).toBe(1);
    expect(repo.claimDue(NOW, 10, 'host:3:3', lease).map((r) => r.id)).toEqual([2]);
  });
});

describe('lease owners', () => {
  it('when an owner is on this host then it is gone if its pid has exited or is an earlier life of ours', () => {
    const me = leaseOwner();
    const [host, pid] = me.split(':');
    expect(ownerIsGone(me, me)).toBe(false);
    expect(ownerIsGone(`${host}:${pid}:1`, me)).toBe(true);
    expect(ownerIsGone(`${host}:${process.ppid}:1`, me)).toBe(false);
    expect(ownerIsGone(`${host}:999999999:1`, me)).toBe(true);
    expect(ownerIsGone('elsewhere:999999999:1', me)).toBe(false);
  });
});

describe('background deliveries', () => {
  const notice = (requestId: number, signOffId: number): Notification => ({
    kind: 'signoff.update',
    requestId,
    signOffId,
  });
  const claimOrder = (repo: ReturnType<typeof createOutboxRepo>, limit = 10) =>
    repo.claimDue(NOW, limit, 'host:1:1', new Date(NOW.getTime() + 60_000)).map((r) => r.payload);

  it('when a wave of re-renders is queued then a delivery somebody waits on goes out first, and the wave after it in id order', () => {
    const writer = createOutbox(db);
    writer.enqueue([notice(1, 11), notice(2, 21), notice(3, 31)], NOW, { background: true });
    writer.enqueue([notice(9, 91)], NOW);
    expect(claimOrder(createOutboxRepo(db), 2)).toEqual([notice(9, 91), notice(1, 11)]);
    expect(claimOrder(createOutboxRepo(db))).toEqual([notice(2, 21), notice(3, 31)]);
  });

  it('when a delivery somebody waits on joins a key with queued re-renders then those are raised with it and the key keeps its order', () => {
    const writer = createOutbox(db);
    writer.enqueue([notice(1, 11), notice(2, 21)], NOW, { background: true });
    writer.enqueue([notice(7, 71)], NOW);
    writer.enqueue([notice(2, 22)], NOW);
    const repo = createOutboxRepo(db);
    // Request 2's re-render is raised (it is ahead of the click's row in its key): it goes with the
    // raised rows in id order, before request 1's wave; the click's own row follows its key's head.
    expect(claimOrder(repo, 2)).toEqual([notice(2, 21), notice(7, 71)]);
    // Request 2's second row waits for its leased head; request 1's wave is what is left.
    expect(claimOrder(repo)).toEqual([notice(1, 11)]);
    const priorities = db
      .select({ key: outbox.orderingKey, priority: outbox.priority })
      .from(outbox)
      .orderBy(outbox.id)
      .all();
    expect(priorities).toEqual([
      { key: 'request:1', priority: 1 },
      { key: 'request:2', priority: 0 },
      { key: 'request:7', priority: 0 },
      { key: 'request:2', priority: 0 },
    ]);
  });

  it('when a capacity figure changes then its fan-out is background without being asked', () => {
    const writer = createOutbox(db);
    writer.enqueue([{ kind: 'capacity.update', productLineId: 'widgets', weekStart: '2026-12-07' }], NOW);
    writer.enqueue([notice(4, 41)], NOW);
    expect(claimOrder(createOutboxRepo(db)).map((p) => p.kind)).toEqual([
      'signoff.update',
      'capacity.update',
    ]);
  });
});

describe('a claim counts the attempt', () => {
  it('when a row is claimed then its attempt is recorded in the same write, before any call: a crash after it leaves the row marked in flight, and the next claim counts the second attempt', () => {
    row('a', 'pending', null);
    const repo = createOutboxRepo(db);
    const lease = new Date(NOW.getTime() + 60_000);
    expect(repo.claimDue(NOW, 10, 'host:1:1', lease).map((r) => r.attempts)).toEqual([1]);
    expect(db.select({ attempts: outbox.attempts, error: outbox.lastError }).from(outbox).all()).toEqual([
      { attempts: 1, error: 'in_flight' },
    ]);
    // The process died mid-call: once its claim is released, the retry is attempt 2 (uncertain).
    repo.releaseLeases('host:1:1');
    expect(repo.claimDue(NOW, 10, 'host:2:2', lease).map((r) => r.attempts)).toEqual([2]);
  });
});
