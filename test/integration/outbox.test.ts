// The dispatcher against a real (in-memory, migrated) database and a scripted Slack: order per
// request, retry until a day has passed, give up on permanent errors, report each cause once.
import { describe, expect, it, vi } from 'vitest';
import { createDb } from '../../src/db/create-db.js';
import { createOutbox, createOutboxRepo } from '../../src/db/outbox-repo.js';
import { createProcessedRepo } from '../../src/db/processed-repo.js';
import { createRequestStore } from '../../src/db/request-repo.js';
import { OutboxDispatcher } from '../../src/jobs/outbox.js';
import { createLogger } from '../../src/logger.js';
import type { DeliveryFailure, Notification } from '../../src/services/notifications.js';
import { createReportsFor } from '../../src/slack/delivery/reports.js';
import { deliveryKey, idempotency, PROCESSED_KEY_TTL_MS } from '../../src/slack/middleware/idempotency.js';
import { exampleConfig } from '../support/config.js';
import { FixedClock } from '../support/fixed-clock.js';

class ScriptedFailure extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super(failure.code);
  }
}

function setup(script: (n: Notification, attempt: number) => DeliveryFailure | null) {
  const db = createDb(':memory:');
  const store = createRequestStore(db);
  const repo = createOutboxRepo(db);
  const clock = new FixedClock('2026-11-23T15:00:00Z');
  const config = exampleConfig();
  const delivered: string[] = [];
  const tries = new Map<string, number>();
  const request = store.insertRequest({
    sellerId: 'U0SELLER',
    facts: {
      customer: 'Acme',
      productLineId: 'gadgets',
      quantity: 1,
      valueMinor: 100,
      deliveryDate: '2027-01-01',
      paymentTermsDays: 30,
      discountPercent: 0,
      specialRequirements: null,
      dealReference: null,
    },
    currency: 'USD',
    sourceChannelId: null,
    at: clock.now(),
    status: 'pending',
    signOffs: [
      {
        functionId: 'operations',
        label: 'Operations',
        owners: ['U0OPS1'],
        approvalsNeeded: 1,
        requiredBy: ['x'],
      },
      { functionId: 'quality', label: 'Quality', owners: ['U0QA1'], approvalsNeeded: 1, requiredBy: ['x'] },
    ],
  });
  const name = (n: Notification) =>
    n.kind === 'delivery.failed'
      ? `report→${n.userId}:${n.code}`
      : `${n.kind}${'signOffId' in n ? `#${n.signOffId}` : ''}`;
  const dispatcher = new OutboxDispatcher({
    repo,
    clock,
    logger: createLogger('error', () => undefined),
    pollMs: 60_000,
    baseBackoffMs: 1000,
    reportsFor: createReportsFor({ config, store }),
    classify: (e) => (e instanceof ScriptedFailure ? e.failure : { kind: 'retry', code: 'unknown' }),
    deliver: async (n) => {
      const key = name(n);
      const attempt = (tries.get(key) ?? 0) + 1;
      tries.set(key, attempt);
      const failure = script(n, attempt);
      if (failure) throw new ScriptedFailure(failure);
      // As the notifier does: a thread post needs its parent.
      if (n.kind === 'signoff.post' && !delivered.includes('parent.post'))
        throw new ScriptedFailure({ kind: 'permanent', code: 'parent_not_posted' });
      delivered.push(key);
      return { channelId: null, messageTs: null };
    },
  });
  const [a, b] = request.signOffs;
  createOutbox(db).enqueue(
    [
      { kind: 'parent.post', requestId: request.id },
      { kind: 'signoff.post', requestId: request.id, signOffId: a?.id ?? 0 },
      { kind: 'signoff.post', requestId: request.id, signOffId: b?.id ?? 0 },
    ],
    clock.now(),
  );
  return { db, repo, clock, dispatcher, delivered, tries };
}

describe('outbox dispatcher', () => {
  it('when a delivery fails transiently then the request’s later deliveries wait for it, in order', async () => {
    const { dispatcher, delivered, clock } = setup((n, attempt) =>
      n.kind === 'parent.post' && attempt < 3 ? { kind: 'retry', code: 'http_500' } : null,
    );
    await dispatcher.drain();
    expect(delivered).toEqual([]);
    clock.advance(1000);
    await dispatcher.drain();
    clock.advance(2000);
    await dispatcher.drain();
    expect(delivered).toEqual(['parent.post', 'signoff.post#1', 'signoff.post#2']);
  });

  it('when Slack fails transiently for a whole day then the delivery is given up and the seller told once', async () => {
    const { dispatcher, delivered, clock, repo } = setup((n) =>
      n.kind === 'parent.post' ? { kind: 'retry', code: 'http_503' } : null,
    );
    for (let hour = 0; hour <= 24; hour++) {
      await dispatcher.drain();
      clock.advance(3_600_000);
    }
    await dispatcher.drain();
    expect(delivered).toEqual(['report→U0SELLER:gave_up_retrying:http_503']);
    expect(repo.stats(clock.now())).toMatchObject({ pending: 0, failed: 3 });
  });

  it('when the same cause breaks several deliveries then it is reported once; an unreachable seller moves the report to leadership', async () => {
    const { dispatcher, delivered } = setup((n) => {
      if (n.kind === 'signoff.post') return { kind: 'permanent', code: 'not_in_channel' };
      if (n.kind === 'delivery.failed' && n.userId === 'U0SELLER')
        return { kind: 'permanent', code: 'user_disabled' };
      return null;
    });
    await dispatcher.drain();
    expect(delivered).toEqual(['parent.post', 'report→U0CEO:not_in_channel']);
  });
});

describe('outbox dispatcher slots', () => {
  it('when one delivery is slow then it holds one slot: later rows of other requests go out while it is in flight, its own request’s wait', async () => {
    const db = createDb(':memory:');
    const clock = new FixedClock('2026-11-23T15:00:00Z');
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const delivered: number[] = [];
    const dispatcher = new OutboxDispatcher({
      repo: createOutboxRepo(db),
      clock,
      logger: createLogger('error', () => undefined),
      pollMs: 60_000,
      concurrency: 2,
      classify: () => ({ kind: 'retry', code: 'unknown' }),
      deliver: async (n) => {
        if (n.kind === 'parent.post' && n.requestId === 1) await slow;
        if ('requestId' in n) delivered.push(n.requestId);
        return { channelId: null, messageTs: null };
      },
    });
    createOutbox(db).enqueue(
      [1, 2, 3, 4, 1].map((requestId) => ({ kind: 'parent.post', requestId }) as const),
      clock.now(),
    );
    const draining = dispatcher.drain();
    // Three requests' rows through one slot while request 1's first row holds the other.
    await vi.waitFor(() => expect(delivered).toEqual([2, 3, 4]));
    release();
    await draining;
    expect(delivered).toEqual([2, 3, 4, 1, 1]);
  });
});

describe('idempotency keys', () => {
  it('when a key is claimed twice then the second claim fails, and keys older than a day are pruned', async () => {
    const db = createDb(':memory:');
    const keys = createProcessedRepo(db);
    const clock = new FixedClock('2026-11-23T15:00:00Z');
    expect(keys.claim('event:Ev1', clock.now())).toBe(true);
    expect(keys.claim('event:Ev1', clock.now())).toBe(false);
    clock.advance(PROCESSED_KEY_TTL_MS + 1);
    const middleware = idempotency({ keys, clock, logger: createLogger('error', () => undefined) });
    let reached = 0;
    const args = {
      body: { type: 'event_callback', event_id: 'Ev2' },
      context: {},
      next: async () => {
        reached++;
      },
    };
    // The first delivery after an hour prunes; Ev1 is forgotten, Ev2 passes once.
    await middleware(args as unknown as Parameters<typeof middleware>[0]);
    await middleware(args as unknown as Parameters<typeof middleware>[0]);
    expect(reached).toBe(1);
    expect(db.$client.prepare('SELECT key FROM processed_interactions').pluck().all()).toEqual(['event:Ev2']);
  });

  it('when a payload is an event, a click or a command then its key is Slack’s own unique id', () => {
    expect(deliveryKey({ type: 'event_callback', event_id: 'Ev9' })).toBe('event:Ev9');
    expect(deliveryKey({ type: 'block_actions', trigger_id: 't1', actions: [{ action_ts: '1.2' }] })).toBe(
      'trigger:t1:1.2',
    );
    expect(deliveryKey({ command: '/commit', trigger_id: 't2' })).toBe('trigger:t2');
    expect(deliveryKey({ type: 'url_verification' })).toBeNull();
    expect(deliveryKey(null)).toBeNull();
  });
});
