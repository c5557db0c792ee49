// The live verdict's triggers: every change of a week's load (submit, approve, reject, withdraw,
// expire, revise, a moved date, a capacity override) queues exactly the capacity.update rows of
// the weeks it touched, in the same transaction; lines without capacity queue none. Real SQLite,
// real migrations, services called as the listeners call them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createCapacityStore } from '../../src/db/capacity-repo.js';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createOutbox } from '../../src/db/outbox-repo.js';
import { createPromiseStore } from '../../src/db/promise-repo.js';
import { createRequestStore } from '../../src/db/request-repo.js';
import { createReminderStore } from '../../src/db/schedule-repo.js';
import { setCapacity } from '../../src/services/capacity.js';
import { decideSignOff } from '../../src/services/decide-signoff.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { answerCounter, proposeFeasibleDate, withdrawRequest } from '../../src/services/negotiate.js';
import { runReminders } from '../../src/services/reminders.js';
import { askForChanges, reviseRequest } from '../../src/services/revise-request.js';
import { submitRequest } from '../../src/services/submit-request.js';
import { exampleConfig, exampleConfigObject } from '../support/config.js';
import { FixedClock } from '../support/fixed-clock.js';

let db: Db;
let deps: ServiceDeps;
let clock: FixedClock;

function boot(config: Config) {
  db = createDb(':memory:');
  clock = new FixedClock('2026-11-23T15:00:00Z');
  deps = {
    store: createRequestStore(db),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    outbox: createOutbox(db),
    config,
    clock,
    onNotify: () => {},
  };
}
beforeEach(() => boot(exampleConfig({ rules: [{ require: ['operations'] }] })));
afterEach(() => closeDb(db));

/** The capacity.update rows queued since `since` (an outbox id), as [line, week]. */
function updatesSince(since: number): [string, string | null][] {
  return (
    db.$client
      .prepare("SELECT payload FROM outbox WHERE kind = 'capacity.update' AND id > ? ORDER BY id")
      .all(since) as { payload: string }[]
  ).map((r) => {
    const n = JSON.parse(r.payload) as { productLineId: string; weekStart: string | null };
    return [n.productLineId, n.weekStart];
  });
}
const lastId = () => db.$client.prepare('SELECT coalesce(max(id), 0) FROM outbox').pluck().get() as number;

const raw = (over: Record<string, string> = {}) => ({
  customer: 'Acme',
  productLineId: 'widgets',
  quantity: '100',
  value: '1000',
  deliveryDate: '2026-12-16',
  paymentTermsDays: '30',
  discountPercent: '0',
  specialRequirements: null,
  dealReference: null,
  ...over,
});
function submit(over: Record<string, string> = {}) {
  const res = submitRequest(deps, { sellerId: 'U0SELLER', sourceChannelId: null, raw: raw(over) });
  if (!res.ok) throw new Error(JSON.stringify(res.errors));
  return res.request;
}
const opsOf = (requestId: number) => deps.store.loadRequest(requestId)?.signOffs[0]?.id ?? 0;

describe('what queues a live re-render of a week', () => {
  it('when a request is submitted then its week is re-rendered; a line without capacity queues nothing', () => {
    const before = lastId();
    submit();
    submit({ productLineId: 'gadgets', deliveryDate: '2027-02-01' });
    expect(updatesSince(before)).toEqual([['widgets', '2026-12-14']]);
  });

  it('when a sign-off decides the request (approve or reject) then its week is re-rendered; a partial approval does not', () => {
    boot(exampleConfig({ rules: [{ require: ['finance'] }] })); // two approvals needed
    const r = submit();
    const before = lastId();
    const signOffId = opsOf(r.id);
    decideSignOff(deps, { signOffId, actorId: 'U0FIN1', verdict: { kind: 'approve' } });
    expect(updatesSince(before)).toEqual([]);
    decideSignOff(deps, { signOffId, actorId: 'U0FIN2', verdict: { kind: 'approve' } });
    expect(updatesSince(before)).toEqual([['widgets', '2026-12-14']]);
    const other = submit();
    const mid = lastId();
    decideSignOff(deps, {
      signOffId: opsOf(other.id),
      actorId: 'U0FIN1',
      verdict: { kind: 'reject', reason: 'no' },
    });
    expect(updatesSince(mid)).toEqual([['widgets', '2026-12-14']]);
  });

  it('when a request is withdrawn or expires then its week is re-rendered', () => {
    const a = submit();
    const b = submit({ deliveryDate: '2026-12-23' });
    const before = lastId();
    withdrawRequest(deps, { requestId: a.id, actorId: 'U0SELLER', reason: null });
    expect(updatesSince(before)).toEqual([['widgets', '2026-12-14']]);
    clock.set('2026-12-09T15:00:00Z'); // 16 days later: expire_after_days is 14
    const mid = lastId();
    expect(runReminders({ ...deps, reminders: createReminderStore(db) }).expired).toBe(1);
    expect(updatesSince(mid)).toEqual([['widgets', '2026-12-21']]);
    expect(b.id).toBe(2);
  });

  it('when a revision or an accepted date moves the load across weeks then both weeks are re-rendered', () => {
    const r = submit();
    // A revision answers an owner's request for changes (issue 20).
    askForChanges(deps, { signOffId: opsOf(r.id), actorId: 'U0OPS1', reason: 'a week later, please' });
    const before = lastId();
    const revised = reviseRequest(deps, {
      requestId: r.id,
      version: 1,
      actorId: 'U0SELLER',
      raw: raw({ deliveryDate: '2026-12-22' }),
    });
    expect(revised.ok).toBe(true);
    expect(updatesSince(before)).toEqual([
      ['widgets', '2026-12-14'],
      ['widgets', '2026-12-21'],
    ]);
    const signOffId = opsOf(r.id);
    proposeFeasibleDate(deps, { signOffId, actorId: 'U0OPS1', date: '2026-12-30', note: null });
    const mid = lastId();
    answerCounter(deps, { signOffId, actorId: 'U0SELLER', accept: true });
    expect(updatesSince(mid)).toEqual([
      ['widgets', '2026-12-21'],
      ['widgets', '2026-12-28'],
    ]);
  });

  it('when operations set the capacity of two weeks then both are re-rendered', () => {
    const before = lastId();
    const set = setCapacity(deps, {
      actor: { kind: 'user', userId: 'U0OPS1' },
      productLineId: 'widgets',
      from: '2026-12-14',
      to: '2026-12-27',
      capacity: 300,
    });
    expect(set.ok).toBe(true);
    expect(updatesSince(before)).toEqual([
      ['widgets', '2026-12-14'],
      ['widgets', '2026-12-21'],
    ]);
  });

  it('when the line spreads its load then one update covers every week of the line', () => {
    const rawConfig = exampleConfigObject();
    const lines = rawConfig.product_lines as Record<string, unknown>[];
    lines[0] = { ...lines[0], load: 'spread' };
    boot(exampleConfig({ product_lines: lines, rules: [{ require: ['operations'] }] }));
    const before = lastId();
    submit();
    expect(updatesSince(before)).toEqual([['widgets', null]]);
  });
});
