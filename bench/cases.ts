// The ack-path cases, in the order they run at each history size. Each is measured against the
// bare Bolt app on the same kind of request (closed loop, then a fixed rate). To add one (an API
// route, a capacity re-render click, ...): append an entry; `needs` names cases whose work it uses
// (so `--cases=approve` also runs submit first).
import type Database from 'better-sqlite3';
import type { Config } from '../src/config.js';
import { ACTIONS } from '../src/slack/ids.js';
import {
  approveRequest,
  type ClickTarget,
  commandRequest,
  type SignedRequest,
  simpleRequest,
  submitRequest,
} from './lib/slack.js';

/** The bare Bolt request each case is compared with (bench/bare-bolt.mjs acks all three). */
export type BareCase = 'command' | 'action' | 'view';

export interface CaseContext {
  /** The bench's own connection to the bot's database (WAL: reads never block the bot). */
  readonly sqlite: Database.Database;
  readonly config: Config;
  readonly responseUrl: string;
  readonly seller: () => string;
  /** How many requests a case sends in all (warm-ups, runs, fixed-rate runs): a pool's size. */
  readonly budget: number;
  /** What a case leaves for later ones (e.g. submit's first new request id, for Approve). */
  readonly memo: Map<string, unknown>;
}

export interface AckCase {
  readonly name: string;
  readonly label: string;
  readonly bare: BareCase;
  readonly needs?: readonly string[];
  /** Called just before the case runs; returns the request generator. */
  prepare(ctx: CaseContext): () => SignedRequest;
}

const FIRST_NEW = 'submit.firstNewRequestId';

export const ACK_CASES: readonly AckCase[] = [
  {
    name: 'help',
    label: '/commit help (ack with usage, nothing after)',
    bare: 'command',
    prepare: (ctx) => () => commandRequest('help', ctx.seller(), ctx.responseUrl),
  },
  {
    name: 'modal',
    label: '/commit (ack, then views.open of the request modal)',
    bare: 'command',
    prepare: (ctx) => () =>
      commandRequest('Acme 120 widgets by 2027-03-15 $75k net 60', ctx.seller(), ctx.responseUrl),
  },
  {
    name: 'submit',
    label: 'submit the request modal (view_submission, stored before ack)',
    bare: 'view',
    prepare: (ctx) => {
      // Each submission makes one pending Operations sign-off: the pool of distinct clicks below.
      const row = ctx.sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM requests').get() as {
        id: number;
      };
      ctx.memo.set(FIRST_NEW, row.id);
      return () => submitRequest(ctx.seller(), simpleRequest());
    },
  },
  {
    name: 'approve',
    label: 'Approve, a distinct pending sign-off each click (decides, closes the request)',
    bare: 'action',
    needs: ['submit'],
    prepare: (ctx) => {
      const pool = pendingFromSubmit(ctx);
      if (pool.length < ctx.budget) throw new Error(`only ${pool.length} pending sign-offs to click`);
      let turn = 0;
      return () => approveRequest(pool[turn++] as ClickTarget, ACTIONS.approve, ctx.responseUrl);
    },
  },
  {
    name: 'refused',
    label: 'Approve on an already-decided sign-off (refused, private answer)',
    bare: 'action',
    needs: ['approve'],
    prepare: (ctx) => {
      const decided = pendingFromSubmit(ctx, 'any')[0];
      if (!decided) throw new Error('no sign-off made by the submit case');
      return () => approveRequest(decided, ACTIONS.approve, ctx.responseUrl);
    },
  },
];

function pendingFromSubmit(ctx: CaseContext, status: 'pending' | 'any' = 'pending'): ClickTarget[] {
  const firstNew = ctx.memo.get(FIRST_NEW);
  if (typeof firstNew !== 'number') throw new Error('the submit case has not run at this size');
  const rows = ctx.sqlite
    .prepare(
      `SELECT s.id, s.message_ts, r.message_ts AS parent_ts, r.button_key FROM sign_offs s JOIN requests r ON r.id = s.request_id
       WHERE r.id > ? AND (? = 'any' OR s.status = 'pending') AND s.function_id = 'operations'
         AND s.message_ts IS NOT NULL
       ORDER BY s.id`,
    )
    .all(firstNew, status) as { id: number; message_ts: string; parent_ts: string; button_key: string }[];
  return rows.map((row) => ({
    signOffId: row.id,
    version: 1,
    key: row.button_key,
    userId: 'U0OPS1',
    channelId: ctx.config.channels.requests,
    messageTs: row.message_ts,
    threadTs: row.parent_ts,
  }));
}

/** The cases `--cases=a,b` asks for, with what they need, in registry order; all by default. */
export function selectCases(names: readonly string[] | null): readonly AckCase[] {
  if (!names) return ACK_CASES;
  const known = new Set(ACK_CASES.map((c) => c.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new Error(`unknown case ${unknown.join(', ')}; one of ${[...known].join(', ')}`);
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of ACK_CASES.find((c) => c.name === name)?.needs ?? []) add(dep);
  };
  for (const n of names) add(n);
  return ACK_CASES.filter((c) => wanted.has(c.name));
}
