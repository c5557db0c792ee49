// Promise services against a real SQLite database with the real migrations: every path that
// clears a request makes its promise; each step writes its rows, its event and its outbox rows in
// one transaction, with the permission rules of INTERFACE.md, and refusals change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createCapacityStore } from '../../src/db/capacity-repo.js';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createOutbox } from '../../src/db/outbox-repo.js';
import { ConcurrentPromiseError, createPromiseStore } from '../../src/db/promise-repo.js';
import { createRequestStore } from '../../src/db/request-repo.js';
import { events, outbox, promiseDeliveries, promiseSlips, promises } from '../../src/db/schema.js';
import { userActor } from '../../src/domain/actor.js';
import { decideSignOff } from '../../src/services/decide-signoff.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { answerCounter, overrideRequest, proposeFeasibleDate } from '../../src/services/negotiate.js';
import {
  cancelPromise,
  confirmOnTrack,
  listPromises,
  loadPromise,
  recordDelivery,
  recordPayment,
  recordSlip,
  reportQualityIssue,
} from '../../src/services/promises.js';
import { submitRequest } from '../../src/services/submit-request.js';
import { exampleConfig } from '../support/config.js';
import { FixedClock } from '../support/fixed-clock.js';

let db: Db;
let deps: ServiceDeps;
let clock: FixedClock;

// 15:00 UTC = 10:00 in New York on Monday 14 Dec 2026.
const START = '2026-12-14T15:00:00Z';

function setup(config: Config) {
  db = createDb(':memory:');
  clock = new FixedClock(START);
  deps = {
    store: createRequestStore(db, { timeZone: config.timezone }),
    outbox: createOutbox(db),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config,
    clock,
    onNotify: () => {},
  };
}

const opsOnly = () => exampleConfig({ rules: [{ require: ['operations'] }] });

beforeEach(() => setup(opsOnly()));
afterEach(() => closeDb(db));

function submit(overrides: Record<string, string> = {}) {
  const r = submitRequest(deps, {
    sellerId: 'U0SELLER',
    sourceChannelId: null,
    raw: {
      customer: 'Acme',
      productLineId: 'gadgets',
      quantity: '100',
      value: '5000',
      deliveryDate: '2027-02-26',
      paymentTermsDays: '30',
      discountPercent: '0',
      ...overrides,
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.request;
}

/** A request cleared by Operations' sign-off (U0OPS1). */
function cleared() {
  const request = submit();
  const signOff = request.signOffs[0];
  if (!signOff) throw new Error('no sign-off');
  const d = decideSignOff(deps, { signOffId: signOff.id, actorId: 'U0OPS1', verdict: { kind: 'approve' } });
  expect(d.ok).toBe(true);
  return request.id;
}

const ops = userActor('U0OPS1');
const eventTypes = (requestId: number) => deps.store.history(requestId).map((e) => e.type);

describe('every path that clears a request makes its promise', () => {
  it('when a sign-off completes the request then its promise is open, cleared via sign-offs, promised its date', () => {
    const id = cleared();
    expect(loadPromise(deps, id)).toMatchObject({
      state: 'open',
      clearedVia: 'signoffs',
      promisedOn: '2027-02-26',
      quantity: 100,
      valueMinor: 500_000,
      clearedOn: '2026-12-14',
    });
  });

  it('when no sign-off is needed at submit then the promise is cleared via no_signoff_needed', () => {
    closeDb(db);
    setup(exampleConfig({ rules: [] }));
    const request = submit();
    expect(request.status).toBe('approved');
    expect(loadPromise(deps, request.id)?.clearedVia).toBe('no_signoff_needed');
  });

  it('when leadership overrides a rejection then the promise is cleared via override', () => {
    const request = submit();
    const signOffId = request.signOffs[0]?.id ?? -1;
    decideSignOff(deps, { signOffId, actorId: 'U0OPS1', verdict: { kind: 'reject', reason: 'no slot' } });
    expect(loadPromise(deps, request.id)).toBeNull();
    const o = overrideRequest(deps, { requestId: request.id, actorId: 'U0CEO', reason: 'key account' });
    expect(o.ok).toBe(true);
    expect(loadPromise(deps, request.id)?.clearedVia).toBe('override');
  });

  it('when the seller accepts a counter date then the promise is for the accepted date', () => {
    const request = submit();
    const signOffId = request.signOffs[0]?.id ?? -1;
    expect(
      proposeFeasibleDate(deps, { signOffId, actorId: 'U0OPS1', date: '2027-03-05', note: null }).ok,
    ).toBe(true);
    expect(answerCounter(deps, { signOffId, actorId: 'U0SELLER', accept: true }).ok).toBe(true);
    expect(loadPromise(deps, request.id)).toMatchObject({ clearedVia: 'signoffs', promisedOn: '2027-03-05' });
  });

  it('when a request is stored as cleared by the fast lane then its promise says so', () => {
    const r = deps.store.transaction(() =>
      deps.store.insertRequest({
        sellerId: 'U0SELLER',
        facts: {
          customer: 'Acme',
          productLineId: 'gadgets',
          quantity: 5,
          valueMinor: 1000,
          deliveryDate: '2027-02-26',
          paymentTermsDays: 30,
          discountPercent: 0,
          specialRequirements: null,
          dealReference: null,
        },
        currency: 'USD',
        sourceChannelId: null,
        at: clock.now(),
        signOffs: [],
        status: 'approved',
        clearedVia: 'fast_lane',
      }),
    );
    expect(loadPromise(deps, r.id)?.clearedVia).toBe('fast_lane');
  });

  it('when a request is still pending or rejected then it has no promise and steps are refused as not cleared', () => {
    const request = submit();
    expect(recordDelivery(deps, { requestId: request.id, actor: ops })).toMatchObject({
      ok: false,
      reason: 'not_cleared',
      status: 'pending',
    });
    expect(recordDelivery(deps, { requestId: 999, actor: ops })).toMatchObject({
      ok: false,
      reason: 'unknown_request',
    });
  });
});

describe('steps', () => {
  it('when an operations owner records a full delivery then the row, the event and the outbox rows are written', () => {
    const id = cleared();
    const before = db.select().from(outbox).all().length;
    clock.set('2027-02-26T20:00:00Z');
    const r = recordDelivery(deps, { requestId: id, actor: ops });
    expect(r).toMatchObject({ ok: true, promise: { state: 'delivered' } });
    expect(db.select().from(promiseDeliveries).all()).toMatchObject([
      { requestId: id, deliveredOn: '2027-02-26', quantity: 100, recordedBy: 'U0OPS1' },
    ]);
    expect(db.select().from(promises).get()).toMatchObject({
      state: 'delivered',
      deliveredQuantity: 100,
      deliveredOn: '2027-02-26',
      paymentDueOn: '2027-03-28',
    });
    const last = deps.store.history(id).at(-1);
    expect(last).toMatchObject({
      type: 'promise.delivered',
      actorId: 'U0OPS1',
      data: { inFull: true, onTime: true, quantity: 100 },
    });
    const kinds = db
      .select()
      .from(outbox)
      .all()
      .slice(before)
      .map((o) => o.kind);
    expect(kinds).toContain('parent.update');
    expect(kinds).toContain('promise.notice');
    expect(kinds).not.toContain('promise.seller_told');
  });

  it('when a part is delivered with a date for the rest then the seller is told first and a slip is stored', () => {
    const id = cleared();
    const before = db.select().from(outbox).all().length;
    clock.set('2027-02-26T20:00:00Z');
    const r = recordDelivery(deps, { requestId: id, actor: ops, quantity: 60, restExpectedOn: '2027-03-04' });
    expect(r).toMatchObject({ ok: true, promise: { state: 'partly_delivered', expectedOn: '2027-03-04' } });
    expect(db.select().from(promiseSlips).all()).toHaveLength(1);
    expect(db.select().from(promises).get()).toMatchObject({ dueOn: '2027-03-04', deliveredQuantity: 60 });
    const kinds = db
      .select()
      .from(outbox)
      .all()
      .slice(before)
      .map((o) => o.kind);
    expect(kinds[0]).toBe('promise.seller_told');
  });

  it('when a slip is recorded by the seller then it is stored, the promise is at risk and the seller is not DMed', () => {
    const id = cleared();
    const before = db.select().from(outbox).all().length;
    const r = recordSlip(deps, {
      requestId: id,
      actor: userActor('U0SELLER'),
      expectedOn: '2027-03-10',
      reason: 'customer asked to move',
    });
    expect(r).toMatchObject({ ok: true, promise: { state: 'at_risk', promisedOn: '2027-02-26' } });
    const kinds = db
      .select()
      .from(outbox)
      .all()
      .slice(before)
      .map((o) => o.kind);
    expect(kinds).not.toContain('promise.seller_told');
    // Submitted again (a double click): recorded once.
    const again = recordSlip(deps, {
      requestId: id,
      actor: userActor('U0SELLER'),
      expectedOn: '2027-03-10',
      reason: 'customer asked to move',
    });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(db.select().from(promiseSlips).all()).toHaveLength(1);
  });

  it('when someone without the role takes a step then it is refused, names who may, and changes nothing', () => {
    const id = cleared();
    const rows = () => [db.select().from(events).all().length, db.select().from(outbox).all().length];
    const was = rows();
    expect(recordDelivery(deps, { requestId: id, actor: userActor('U0FIN1') })).toMatchObject({
      ok: false,
      reason: 'not_allowed',
      allowed: ['Operations owners'],
    });
    expect(recordPayment(deps, { requestId: id, actor: ops })).toMatchObject({
      reason: 'not_allowed',
      allowed: ['Finance owners'],
    });
    expect(cancelPromise(deps, { requestId: id, actor: ops, reason: 'x' })).toMatchObject({
      reason: 'not_allowed',
      allowed: ['the seller', 'leadership'],
    });
    expect(reportQualityIssue(deps, { requestId: id, actor: ops, kind: 'rework', note: 'x' })).toMatchObject({
      reason: 'not_allowed',
      allowed: ['Quality owners'],
    });
    expect(rows()).toEqual(was);
  });

  it('when the seller is also a confirmer then they still may not confirm their own delivery', () => {
    closeDb(db);
    setup(
      exampleConfig({
        rules: [{ require: ['quality'] }],
        functions: {
          operations: { label: 'Operations', owners: ['U0SELLER', 'U0OPS1'] },
          quality: { label: 'Quality', owners: ['U0QA1'] },
          finance: { label: 'Finance', owners: ['U0FIN1'] },
        },
      }),
    );
    const request = submit();
    decideSignOff(deps, {
      signOffId: request.signOffs[0]?.id ?? -1,
      actorId: 'U0QA1',
      verdict: { kind: 'approve' },
    });
    expect(recordDelivery(deps, { requestId: request.id, actor: userActor('U0SELLER') })).toMatchObject({
      reason: 'not_allowed',
      ownRequest: true,
    });
  });

  it('when the API records a delivery then no role is checked and the history says api', () => {
    const id = cleared();
    clock.set('2027-02-26T20:00:00Z');
    expect(
      recordDelivery(deps, { requestId: id, actor: { kind: 'api', name: 'api' }, quantity: 10 }).ok,
    ).toBe(true);
    expect(deps.store.history(id).at(-1)).toMatchObject({ type: 'promise.delivered', actorId: 'api' });
  });

  it('when quality, payment, on track and cancel are recorded by their owners then each is an event', () => {
    const id = cleared();
    const on = confirmOnTrack(deps, { requestId: id, actor: userActor('U0OPS2') });
    expect(on).toMatchObject({ ok: true, duplicate: false });
    expect(confirmOnTrack(deps, { requestId: id, actor: ops })).toMatchObject({ ok: true, duplicate: true });
    clock.set('2027-02-26T20:00:00Z');
    recordDelivery(deps, { requestId: id, actor: ops });
    expect(
      reportQualityIssue(deps, {
        requestId: id,
        actor: userActor('U0QA1'),
        kind: 'rework',
        note: 'dented',
        quantity: 3,
      }).ok,
    ).toBe(true);
    expect(recordPayment(deps, { requestId: id, actor: userActor('U0FIN2'), amountMinor: 100_000 }).ok).toBe(
      true,
    );
    expect(recordPayment(deps, { requestId: id, actor: userActor('U0FIN2') })).toMatchObject({
      ok: true,
      promise: { payments: [{ amountMinor: 100_000 }, { amountMinor: 400_000 }] },
    });
    expect(cancelPromise(deps, { requestId: id, actor: userActor('U0SELLER'), reason: 'x' })).toMatchObject({
      reason: 'already_delivered',
    });
    expect(eventTypes(id).filter((t) => t.startsWith('promise.'))).toEqual([
      'promise.on_track',
      'promise.delivered',
      'promise.issue_reported',
      'promise.paid',
      'promise.paid',
    ]);
  });

  it('when promises are listed then the soonest due comes first and states filter', () => {
    const a = cleared();
    closeDb(db);
    setup(opsOnly());
    const first = cleared();
    const later = submit({ deliveryDate: '2027-03-20' });
    decideSignOff(deps, {
      signOffId: later.signOffs[0]?.id ?? -1,
      actorId: 'U0OPS1',
      verdict: { kind: 'approve' },
    });
    const sooner = submit({ deliveryDate: '2027-01-20' });
    decideSignOff(deps, {
      signOffId: sooner.signOffs[0]?.id ?? -1,
      actorId: 'U0OPS1',
      verdict: { kind: 'approve' },
    });
    expect(a).toBe(first);
    expect(listPromises(deps).map((p) => p.requestId)).toEqual([sooner.id, first, later.id]);
    recordSlip(deps, { requestId: first, actor: ops, expectedOn: '2027-04-01', reason: 'late parts' });
    expect(listPromises(deps, { states: ['at_risk'] }).map((p) => p.requestId)).toEqual([first]);
    expect(listPromises(deps, { dueBefore: '2027-03-01' }).map((p) => p.requestId)).toEqual([sooner.id]);
  });

  it('when capacity asks for the open promised load then slips move it, deliveries and cancellations free it', () => {
    const a = cleared();
    const b = cleared();
    const load = () => deps.promises.openLoadByDay('gadgets', '2027-01-01', '2027-04-01');
    expect(load()).toEqual([{ day: '2027-02-26', quantity: 200 }]);
    recordSlip(deps, { requestId: a, actor: ops, expectedOn: '2027-03-05', reason: 'parts' });
    clock.set('2027-02-26T20:00:00Z');
    recordDelivery(deps, { requestId: b, actor: ops, quantity: 30 });
    expect(load()).toEqual([
      { day: '2027-02-26', quantity: 70 },
      { day: '2027-03-05', quantity: 100 },
    ]);
    cancelPromise(deps, { requestId: a, actor: userActor('U0SELLER'), reason: 'cancelled' });
    expect(load()).toEqual([{ day: '2027-02-26', quantity: 70 }]);
    const plan = db.$client
      .prepare(
        `EXPLAIN QUERY PLAN SELECT due_on, sum(quantity - delivered_quantity) FROM promises
         WHERE product_line_id = ? AND state IN ('open','at_risk','overdue','partly_delivered') AND due_on >= ? AND due_on < ?
         GROUP BY due_on`,
      )
      .all('gadgets', '2027-01-01', '2027-04-01') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('promises_line_open_idx');
  });
});

describe('the promise store', () => {
  it('when a copy loaded before another change is saved then it is refused and writes nothing', () => {
    const id = cleared();
    const stale = deps.promises.loadPromise(id);
    if (!stale) throw new Error('no promise');
    recordDelivery(deps, { requestId: id, actor: ops, quantity: 10 });
    const entry = { deliveredOn: '2026-12-14', quantity: 5, recordedBy: 'U0OPS1', at: clock.now() };
    const withEntry = (p: typeof stale) => ({
      ...p,
      state: 'partly_delivered' as const,
      deliveries: [...p.deliveries, entry],
    });
    const deliveries = () =>
      db
        .select()
        .from(promiseDeliveries)
        .all()
        .map((d) => d.quantity);

    expect(() => deps.promises.savePromise(stale, withEntry(stale), clock.now())).toThrow(
      ConcurrentPromiseError,
    );
    expect(deliveries()).toEqual([10]);

    const fresh = deps.promises.loadPromise(id);
    if (!fresh) throw new Error('no promise');
    deps.promises.savePromise(fresh, withEntry(fresh), clock.now());
    expect(deliveries()).toEqual([10, 5]);
    expect(deps.promises.loadPromise(id)?.deliveries.map((d) => d.at)).toEqual([clock.now(), clock.now()]);
  });
});
