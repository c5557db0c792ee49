// The durable scheduler against a real SQLite file: the digest is claimed exactly once at its
// local time, made up after downtime, never twice under concurrent ticks, two processes or a
// restart; reminders and escalations fire once each, across nights and weekends; expiry closes a
// request as 'expired'. The clock is injected: nothing waits for real time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCapacityStore } from '../../src/db/capacity-repo.js';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createOutbox } from '../../src/db/outbox-repo.js';
import { createPromiseStore } from '../../src/db/promise-repo.js';
import { createRequestStore } from '../../src/db/request-repo.js';
import { createJobRunStore, createReminderStore } from '../../src/db/schedule-repo.js';
import { events, jobRuns, outbox, requests, signOffs } from '../../src/db/schema.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { runDueDigest } from '../../src/services/digest-schedule.js';
import { runReminders, runRemindersPaced } from '../../src/services/reminders.js';
import { submitRequest } from '../../src/services/submit-request.js';
import { exampleConfig } from '../support/config.js';
import { FixedClock } from '../support/fixed-clock.js';

const config = exampleConfig();
const logger = createLogger('error', () => {});

function schedulerOn(db: Db, clock: FixedClock): Scheduler {
  const services: ServiceDeps = {
    store: createRequestStore(db),
    outbox: createOutbox(db),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config,
    clock,
    onNotify: () => {},
  };
  const jobRunStore = createJobRunStore(db);
  const reminders = createReminderStore(db);
  return new Scheduler({
    tasks: [
      { name: 'weekly_digest', run: () => runDueDigest({ ...services, jobRuns: jobRunStore }) },
      { name: 'reminders', run: () => runReminders({ ...services, reminders }) },
    ],
    logger,
  });
}

const digestPosts = (db: Db) =>
  db
    .select()
    .from(outbox)
    .all()
    .filter((r) => r.kind === 'digest.post')
    .map((r) => r.payload.weekStart);

describe('scheduler: the weekly digest', () => {
  let dir: string;
  let path: string;
  let open: Db[];
  const connect = () => {
    const db = createDb(path);
    open.push(db);
    return db;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'commit-gate-sched-'));
    path = join(dir, 'db.sqlite');
    open = [];
  });
  afterEach(() => {
    for (const db of open) closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  });

  it('when Monday 09:00 local comes then last week is claimed exactly once, not a minute before', async () => {
    const db = connect();
    const clock = new FixedClock('2026-11-23T13:58:00Z');
    const scheduler = schedulerOn(db, clock);
    await scheduler.tick();
    // A new install does not post the slot that passed before it ever ran (the week of 9 Nov).
    expect(digestPosts(db)).toEqual([]);
    clock.set('2026-11-23T13:59:59Z');
    await scheduler.tick();
    expect(digestPosts(db)).toEqual([]);
    clock.set('2026-11-23T14:00:00Z');
    await scheduler.tick();
    clock.advance(60_000);
    await scheduler.tick();
    clock.set('2026-11-29T23:00:00Z');
    await scheduler.tick();
    expect(digestPosts(db)).toEqual(['2026-11-16']);
    expect(
      db
        .select()
        .from(jobRuns)
        .all()
        .map((r) => [r.job, r.period]),
    ).toEqual([
      ['weekly_digest', 'first_seen'],
      ['weekly_digest', '2026-11-16'],
    ]);
  });

  it('when the bot was down over the slot then the missed digest is posted on start, once', async () => {
    const before = connect();
    const clock = new FixedClock('2026-11-20T12:00:00Z');
    await schedulerOn(before, clock).tick();
    expect(digestPosts(before)).toEqual([]);
    closeDb(before);
    // Down from Friday until Tuesday afternoon.
    clock.set('2026-11-24T19:00:00Z');
    const after = connect();
    await schedulerOn(after, clock).tick();
    expect(digestPosts(after)).toEqual(['2026-11-16']);
    // And a restart right after changes nothing.
    closeDb(after);
    const again = connect();
    await schedulerOn(again, clock).tick();
    expect(digestPosts(again)).toEqual(['2026-11-16']);
  });

  it('when two ticks and two processes race at the slot then one digest is queued', async () => {
    const clock = new FixedClock('2026-11-23T14:00:00Z');
    const a = connect();
    const b = connect();
    const sa = schedulerOn(a, clock);
    const sb = schedulerOn(b, clock);
    await Promise.all([sa.tick(), sb.tick(), sa.tick(), sb.tick()]);
    // Both connections' claims, straight at the store too.
    const claimA = createJobRunStore(a).claim('weekly_digest', '2026-11-16', clock.now(), []);
    const claimB = createJobRunStore(b).claim('weekly_digest', '2026-11-16', clock.now(), []);
    expect([claimA, claimB]).toEqual([false, false]);
    expect(digestPosts(a)).toEqual(['2026-11-16']);
  });

  it('when the week contains the autumn DST change then the digest is claimed at 09:00 EST', async () => {
    const db = connect();
    const clock = new FixedClock('2026-11-02T13:00:00Z'); // 08:00 EST (it would be 09:00 EDT)
    const scheduler = schedulerOn(db, clock);
    await scheduler.tick();
    expect(digestPosts(db)).toEqual([]);
    clock.set('2026-11-02T14:00:00Z');
    await scheduler.tick();
    expect(digestPosts(db)).toEqual(['2026-10-26']);
  });
});

describe('scheduler: reminders, escalation and expiry', () => {
  let db: Db;
  let clock: FixedClock;
  let services: ServiceDeps;
  beforeEach(() => {
    db = createDb(':memory:');
    // Friday 20 Nov 2026, 15:00 New York.
    clock = new FixedClock('2026-11-20T20:00:00Z');
    services = {
      store: createRequestStore(db),
      outbox: createOutbox(db),
      capacity: createCapacityStore(db),
      promises: createPromiseStore(db),
      config,
      clock,
      onNotify: () => {},
    };
  });
  afterEach(() => closeDb(db));

  const submit = () => {
    const result = submitRequest(services, {
      sellerId: 'U0SELLER',
      sourceChannelId: null,
      raw: {
        customer: 'Acme',
        productLineId: 'gadgets',
        quantity: '10',
        value: '10000',
        deliveryDate: '2027-03-01',
        paymentTermsDays: '30',
        discountPercent: '0',
      },
    });
    if (!result.ok) throw new Error('seed request invalid');
    return result.request;
  };
  const run = () => runReminders({ ...services, reminders: createReminderStore(db) });
  const kinds = () =>
    db
      .select()
      .from(outbox)
      .all()
      .map((r) => r.kind)
      .filter((k) => k === 'signoff.remind' || k === 'leadership.escalate' || k === 'seller.outcome');
  const eventTypes = () =>
    db
      .select()
      .from(events)
      .all()
      .map((e) => e.type)
      .filter((t) => t !== 'request.submitted');

  it('when a sign-off waits across the night and the weekend then one reminder, then one escalation', () => {
    const request = submit();
    expect(request.signOffs.map((s) => s.functionId)).toEqual(['operations']);
    clock.set('2026-11-23T19:59:00Z'); // Mon 14:59: 7 h 59 min of business time
    expect(run()).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    clock.set('2026-11-23T20:00:00Z'); // Mon 15:00: 8 h
    expect(run()).toEqual({ reminded: 1, escalated: 0, expired: 0 });
    expect(run()).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    clock.set('2026-11-25T19:59:00Z');
    expect(run()).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    clock.set('2026-11-25T20:00:00Z'); // Wed 15:00: 24 h
    expect(run()).toEqual({ reminded: 0, escalated: 1, expired: 0 });
    clock.set('2026-11-27T20:00:00Z');
    expect(run()).toEqual({ reminded: 0, escalated: 0, expired: 0 });
    expect(kinds()).toEqual(['signoff.remind', 'leadership.escalate']);
    expect(eventTypes()).toEqual(['signoff.reminded', 'signoff.escalated']);
    const so = db.select().from(signOffs).all()[0];
    expect(so?.remindedAt).toEqual(new Date('2026-11-23T20:00:00Z'));
    expect(so?.escalatedAt).toEqual(new Date('2026-11-25T20:00:00Z'));
  });

  it('when the bot was down past both thresholds then each fires once on the next run', () => {
    submit();
    clock.set('2026-11-30T15:00:00Z');
    expect(run()).toEqual({ reminded: 1, escalated: 1, expired: 0 });
    // A second process (another store on the same database) finds nothing left to claim.
    expect(runReminders({ ...services, reminders: createReminderStore(db) })).toEqual({
      reminded: 0,
      escalated: 0,
      expired: 0,
    });
  });

  it('when 14 calendar days pass then the request expires once: no approval, no rejection, the seller is told', () => {
    const request = submit();
    clock.set('2026-12-04T19:59:00Z'); // 14 days later, one minute early
    expect(run().expired).toBe(0);
    clock.set('2026-12-04T20:00:00Z');
    expect(run().expired).toBe(1);
    expect(run().expired).toBe(0);
    const row = db.select().from(requests).all()[0];
    expect(row?.status).toBe('expired');
    expect(row?.closedAt).toEqual(new Date('2026-12-04T20:00:00Z'));
    expect(eventTypes()).toContain('request.expired');
    expect(eventTypes()).not.toContain('request.approved');
    expect(eventTypes()).not.toContain('request.rejected');
    expect(kinds()).toContain('seller.outcome');
    expect(services.store.loadRequest(request.id)?.status).toBe('expired');
  });

  it('when the scheduler catches up on many reminders then it hands the loop back between slices, and a sign-off decided meanwhile is not reminded', async () => {
    const asked = Array.from({ length: 20 }, () => submit());
    clock.set('2026-11-23T20:00:00Z'); // Mon 15:00: 8 business hours for all of them
    let slices = 0;
    let finished = false;
    const count = () => {
      slices++;
      if (!finished) setImmediate(count);
    };
    setImmediate(count);
    const run = runRemindersPaced({ ...services, reminders: createReminderStore(db) });
    // An ack between two slices: the last request's owner approves before its turn comes.
    const last = asked[asked.length - 1]?.signOffs[0]?.id ?? 0;
    db.update(signOffs)
      .set({ status: 'approved', decidedAt: clock.now() })
      .where(eq(signOffs.id, last))
      .run();
    const result = await run;
    finished = true;
    expect(result).toEqual({ reminded: 19, escalated: 0, expired: 0 });
    expect(slices).toBeGreaterThanOrEqual(2);
    expect(kinds().filter((k) => k === 'signoff.remind')).toHaveLength(19);
    expect(runReminders({ ...services, reminders: createReminderStore(db) })).toEqual({
      reminded: 0,
      escalated: 0,
      expired: 0,
    });
  });
});
