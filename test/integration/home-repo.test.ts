// App Home's queries against a real (in-memory, migrated) database: what they return, that each
// is served by an index (so a million stored requests cost no more than a hundred), and how Home
// refreshes are queued and coalesced by the store.
import { beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/create-db.js';
import { createHomeRepo, HOME_SQL } from '../../src/db/home-repo.js';
import { createOutbox, HOME_REFRESH_WINDOW_MS } from '../../src/db/outbox-repo.js';
import { createRequestStore } from '../../src/db/request-repo.js';
import type { CommitRequest } from '../../src/domain/request.js';
import type { NewSignOff, RequestStore } from '../../src/services/ports.js';

let db: Db;
let store: RequestStore;
const at = new Date('2026-11-25T15:00:00Z');

const ops: NewSignOff = {
  functionId: 'operations',
  label: 'Operations',
  owners: ['U0OPS1', 'U0OPS2'],
  approvalsNeeded: 1,
  requiredBy: ['always'],
};
const quality: NewSignOff = { ...ops, functionId: 'quality', label: 'Quality', owners: ['S0QUALITY'] };

function insert(sellerId: string, when: Date, signOffs: NewSignOff[] = [ops]): CommitRequest {
  return store.insertRequest({
    sellerId,
    facts: {
      customer: 'Acme',
      productLineId: 'widgets',
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
    at: when,
    status: 'pending',
    signOffs,
  });
}

const minutesAgo = (m: number) => new Date(at.getTime() - m * 60_000);

beforeEach(() => {
  db = createDb(':memory:');
  store = createRequestStore(db);
});

describe('App Home queries', () => {
  it('when an owner has sign-offs waiting then only actionable ones are listed, oldest first', () => {
    const home = createHomeRepo(db);
    const newer = insert('U0SELLER', minutesAgo(10));
    const older = insert('U0SELLER', minutesAgo(60));
    const own = insert('U0OPS1', minutesAgo(90)); // their own request: another owner decides
    const closed = insert('U0SELLER', minutesAgo(120), [ops, quality]);
    db.$client.prepare("UPDATE requests SET status = 'rejected' WHERE id = ?").run(closed.id);
    const approvedByThem = insert('U0SELLER', minutesAgo(30), [{ ...ops, approvalsNeeded: 2 }]);
    db.$client
      .prepare('INSERT INTO sign_off_approvals (sign_off_id, user_id, at) VALUES (?, ?, ?)')
      .run(approvedByThem.signOffs[0]?.id, 'U0OPS1', at.getTime());

    expect(home.pendingFor('U0OPS1', ['U0OPS1']).map((r) => r.requestId)).toEqual([older.id, newer.id]);
    expect(home.pendingFor('U0OPS2', ['U0OPS2']).map((r) => r.requestId)).toEqual([
      own.id,
      older.id,
      approvedByThem.id,
      newer.id,
    ]);
    // The owner-id resolver is the extension point for groups and delegates.
    expect(home.pendingFor('U0QA1', ['U0QA1'])).toEqual([]);
    insert('U0SELLER', minutesAgo(5), [quality]);
    expect(home.pendingFor('U0QA1', ['U0QA1', 'S0QUALITY'])).toHaveLength(1);
  });

  it('when a seller has open and closed requests then open ones and the latest closed ones are returned', () => {
    const home = createHomeRepo(db);
    const ids = Array.from({ length: 8 }, (_, i) => insert('U0SELLER', minutesAgo(100 - i)).id);
    insert('U0OTHER', minutesAgo(1));
    for (const id of ids.slice(0, 6))
      db.$client.prepare("UPDATE requests SET status = 'approved' WHERE id = ?").run(id);
    expect(home.sellerRequestIds('U0SELLER', 3)).toEqual({
      open: [ids[7], ids[6]],
      recent: [ids[5], ids[4], ids[3]],
    });
  });

  it('when the week has activity then figures count only that week, overrides apart', () => {
    const home = createHomeRepo(db);
    const monday = new Date('2026-11-23T05:00:00Z');
    const next = new Date('2026-11-30T05:00:00Z');
    const r = insert('U0SELLER', at);
    insert('U0SELLER', new Date(monday.getTime() - 1));
    const event = db.$client.prepare('INSERT INTO events (request_id, type, at, data) VALUES (?, ?, ?, ?)');
    event.run(r.id, 'request.approved', at.getTime(), '{}');
    event.run(r.id, 'request.approved', at.getTime(), '{"override":true}');
    event.run(r.id, 'request.overridden', at.getTime(), '{"reason":"x"}');
    event.run(r.id, 'request.rejected', monday.getTime() - 1, '{}');
    expect(home.weekFigures(monday, next)).toEqual({
      inflow: 1,
      cleared: 1,
      blocked: 0,
      overrides: 1,
      pendingRequests: 2,
      pendingByFunction: [{ functionId: 'operations', label: 'Operations', count: 2 }],
    });
  });

  it.each(Object.entries(HOME_SQL))(
    'when %s runs then it is served by an index, never a scan of a big table',
    (_, sql) => {
      const explain = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const positional = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x');
      const plan = (sql.includes('@from') ? explain.all({ from: 0, to: 1 }) : explain.all(...positional)) as {
        detail: string;
      }[];
      const scans = plan
        .map((p) => p.detail)
        .filter((d) => /^SCAN (r|s|a|requests|sign_offs|events|sign_off_approvals)\b/.test(d));
      expect(scans).toEqual([]);
    },
  );
});

describe('queueing Home refreshes', () => {
  const homeRows = (userId: string) =>
    db.$client
      .prepare('SELECT status, next_attempt_at AS due FROM outbox WHERE ordering_key = ? ORDER BY id')
      .all(`home:${userId}`) as { status: string; due: number }[];

  it('when someone never opened Home then no refresh is queued for them', () => {
    createOutbox(db).enqueue([{ kind: 'home.update', userId: 'U0NEVER' }], at);
    expect(homeRows('U0NEVER')).toEqual([]);
  });

  it('when many changes come at once then at most two refreshes wait, the second after the window', () => {
    createHomeRepo(db).recordOpened('U0OPS1', at);
    for (let i = 0; i < 50; i++) createOutbox(db).enqueue([{ kind: 'home.update', userId: 'U0OPS1' }], at);
    expect(homeRows('U0OPS1')).toEqual([
      { status: 'pending', due: at.getTime() },
      { status: 'pending', due: at.getTime() + HOME_REFRESH_WINDOW_MS },
    ]);
  });

  it('when Home was just published then the next refresh waits out the window', () => {
    createHomeRepo(db).recordOpened('U0OPS1', at);
    createOutbox(db).enqueue([{ kind: 'home.update', userId: 'U0OPS1' }], at);
    db.$client.prepare("UPDATE outbox SET status = 'done', delivered_at = ?").run(at.getTime());
    const later = new Date(at.getTime() + 200);
    createOutbox(db).enqueue([{ kind: 'home.update', userId: 'U0OPS1' }], later);
    expect(homeRows('U0OPS1')[1]).toEqual({ status: 'pending', due: at.getTime() + HOME_REFRESH_WINDOW_MS });
  });
});
