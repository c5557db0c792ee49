// Regression tests for the holes found by attacking the running bot (issue 20). Each test is named
// after the hole it closes, drives the real bot over signed HTTP (or real processes), and asserts
// the database and what the Slack stand-in received.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { closeDb, createDb, MIGRATIONS_FOLDER } from '../../src/db/create-db.js';
import { ACTIONS, CALLBACKS, CHANGES_BLOCKS, OVERRIDE_BLOCKS, REJECT_BLOCKS } from '../../src/slack/ids.js';
import { exampleConfig } from '../support/config.js';
import {
  blockAction,
  type StateValues,
  slashCommand,
  stateValue,
  viewSubmission,
} from '../support/fixtures.js';
import { Harness, type HarnessOptions } from '../support/harness.js';

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };

let h: Harness;
let started = false;
async function boot(options: HarnessOptions = {}): Promise<Harness> {
  h = await Harness.start(options);
  started = true;
  return h;
}
afterEach(async () => {
  if (started) await h.stop();
  started = false;
});

const textOf = (call: RecordedCall | undefined) =>
  `${String(call?.args.text)}\n${JSON.stringify(call?.args.blocks ?? [])}`;
const tsOf = (call: RecordedCall | undefined) => (call?.response as { ts?: string } | undefined)?.ts ?? '';
const isDm = (c: RecordedCall) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D');
const isThread = (c: RecordedCall) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string';

function buttonValue(blocks: unknown, actionId: string): string {
  for (const b of (blocks ?? []) as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
}

function query<T>(sql: string, path = h.dbPath): T[] {
  const sqlite = new Database(path, { readonly: true });
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}

async function clickThread(userId: string, actionId: string, ask: RecordedCall) {
  return h.click(userId, actionId, buttonValue(ask.args.blocks, actionId), tsOf(ask));
}

/** Clicks a button on the parent message of request `n` (1-based, oldest first). */
async function clickParent(userId: string, actionId: string, n = 1) {
  await h.runtime.dispatcher.drain();
  const parent = h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts)[n - 1];
  return h.slack.interaction(
    blockAction({
      userId,
      actionId,
      value: buttonValue(parent?.blocks, actionId),
      channelId: 'C0REQUESTS',
      messageTs: parent?.ts ?? '',
    }),
  );
}

async function modalOpened(callbackId: string, count = 1) {
  const opened = await h.standIn.waitFor(
    (c) => c.method === 'views.open' && (c.args.view as { callback_id: string }).callback_id === callbackId,
    { count },
  );
  const view = opened[count - 1]?.args.view as { private_metadata: string } | undefined;
  return view?.private_metadata ?? '';
}

function submitModal(userId: string, callbackId: string, privateMetadata: string, values: StateValues) {
  return h.slack.interaction(viewSubmission({ userId, callbackId, privateMetadata, values }));
}

const text = (blockId: string, value: string | null): StateValues => ({
  [blockId]: { [`${blockId}_input`]: stateValue.text(value) },
});
/** The private_metadata a request-level modal carries for request `id`, as the bot renders it. */
function requestMeta(id: number): Record<string, unknown> {
  const row = query<{ version: number; k: string }>(
    `SELECT version, button_key AS k FROM requests WHERE id = ${id}`,
  )[0];
  return { r: id, v: row?.version, k: row?.k };
}
const ephemerals = (count: number) => h.standIn.waitFor('chat.postEphemeral', { count });

function count(table: string): number {
  return Number(query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n);
}

describe('hole 2: future timestamps were accepted', () => {
  it.each([
    ['one hour ahead', 3600],
    ['74 years ahead', 74 * 365 * 86_400],
    ['six minutes ahead', 360],
  ])('when a request is signed %s then every path answers 401 and nothing changes', async (_name, offset) => {
    await boot();
    const command = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }), {
      timestampOffsetSeconds: offset,
    });
    expect(command.status).toBe(401);
    const submission = await h.slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel: null }),
        values: h.requestValues({}),
      }),
      { timestampOffsetSeconds: offset },
    );
    expect(submission.status).toBe(401);
    const event = await h.slack.event(
      { type: 'event_callback', event: { type: 'app_home_opened', user: 'U0SELLER', tab: 'home' } },
      { timestampOffsetSeconds: offset },
    );
    expect(event.status).toBe(401);
    expect(count('requests')).toBe(0);
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
    expect(h.standIn.callsTo('views.publish')).toHaveLength(0);
  });

  it('when a request is signed four minutes ahead then it is still served', async () => {
    await boot();
    const res = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }), {
      timestampOffsetSeconds: 240,
    });
    expect(res.status).toBe(200);
    await h.standIn.waitFor((c) => c.method === 'views.open');
  });
});

describe('hole 10e: unknown paths answered 400', () => {
  it('when a path the bot does not serve is asked then 404, and a known path with the wrong method gets 405', async () => {
    await boot();
    const base = `http://127.0.0.1:${h.runtime.port}`;
    const signedElsewhere = await h.slack.post(
      '/slack/other',
      'command=%2Fcommit',
      'application/x-www-form-urlencoded',
    );
    expect(signedElsewhere.status).toBe(404);
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${base}/nothing-here`, { method: 'POST', body: '{}' })).status).toBe(404);
    const getEvents = await fetch(`${base}/slack/events`);
    expect(getEvents.status).toBe(405);
    expect(getEvents.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/healthz`, { method: 'POST', body: '' })).status).toBe(405);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(count('requests')).toBe(0);
  });
});

const root = new URL('../..', import.meta.url).pathname;
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('hole 8: files were world-readable', () => {
  it('when the bot runs under umask 022 then the database, -wal and -shm are 0600', async () => {
    await boot();
    expect(modeOf(h.dbPath)).toBe(0o600);
    expect(modeOf(`${h.dbPath}-wal`)).toBe(0o600);
    expect(modeOf(`${h.dbPath}-shm`)).toBe(0o600);
  });

  it('when db:migrate creates a database in a missing folder under umask 022 then the folder is 0700 and the file 0600, and an old 0644 file is made 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-modes-'));
    try {
      const path = join(dir, 'data', 'nested', 'cg.db');
      const run = () =>
        spawnSync('sh', ['-c', 'umask 022 && exec npx tsx src/cli.ts migrate'], {
          cwd: root,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: path },
          encoding: 'utf8',
        });
      const first = run();
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(modeOf(join(dir, 'data', 'nested'))).toBe(0o700);
      expect(modeOf(path)).toBe(0o600);
      // A database an older version left readable by everyone.
      chmodSync(path, 0o644);
      expect(run().status).toBe(0);
      expect(modeOf(path)).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hole 4: a leader could override their own rejected request', () => {
  const twoLeaders = () => exampleConfig({ leadership: ['U0CEO', 'U0COO'] });

  it('when a leader who is the seller clicks Override or forges its form then they are refused privately, and another leader may override', async () => {
    await boot({ config: twoLeaders() });
    await h.submitRequest('U0CEO', { productLineId: 'gadgets' });
    const [ask] = await h.standIn.waitFor(isThread);
    await clickThread('U0OPS1', ACTIONS.reject, ask as RecordedCall);
    const meta = await modalOpened(CALLBACKS.rejectModal);
    await submitModal('U0OPS1', CALLBACKS.rejectModal, meta, text(REJECT_BLOCKS.reason, 'Line 2 is full'));
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('Do not commit'));

    await clickParent('U0CEO', ACTIONS.override);
    const [refusal] = await ephemerals(1);
    expect(String(refusal?.args.user)).toBe('U0CEO');
    expect(String(refusal?.args.text)).toContain('You asked for CG-1, so you cannot override its rejection');
    expect(String(refusal?.args.text)).toContain('<@U0COO>');
    expect(h.standIn.callsTo('views.open')).toHaveLength(1); // the reject modal only
    const forged = await submitModal(
      'U0CEO',
      CALLBACKS.overrideModal,
      JSON.stringify(requestMeta(1)),
      text(OVERRIDE_BLOCKS.reason, 'My own deal'),
    );
    expect(forged.status).toBe(200);
    expect(query('SELECT status, overridden_by FROM requests')).toEqual([
      { status: 'rejected', overridden_by: null },
    ]);

    await clickParent('U0COO', ACTIONS.override);
    const overrideMeta = await modalOpened(CALLBACKS.overrideModal);
    await submitModal(
      'U0COO',
      CALLBACKS.overrideModal,
      overrideMeta,
      text(OVERRIDE_BLOCKS.reason, 'Strategic'),
    );
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('approved by override'));
    expect(query('SELECT status, overridden_by FROM requests')).toEqual([
      { status: 'approved', overridden_by: 'U0COO' },
    ]);
  });
});

describe('hole 10: smaller holes', () => {
  const command = async (userId: string, text: string, n: number) => {
    const res = await h.slack.slashCommand(slashCommand({ user_id: userId, text }));
    expect(res.status).toBe(200);
    const replies = await h.standIn.waitFor(
      (c) => c.method === 'chat.postEphemeral' || c.method === 'response_url',
      { count: n },
    );
    return String(replies[n - 1]?.args.text);
  };

  it('when someone who owns nothing, or an owner with an end in 9999, sends /commit away then it is refused and no delegation is stored', async () => {
    await boot();
    expect(await command('U0NOBODY', 'away 2026-11-24 2026-11-30 <@U0OPS2|olga>', 1)).toContain(
      'Only owners of a function and leadership',
    );
    expect(await command('U0OPS1', 'away 2026-11-24 9999-12-31 <@U0OPS2|olga>', 2)).toContain(
      'at most a year ahead',
    );
    expect(count('delegations')).toBe(0);
    expect(await command('U0OPS1', 'away 2026-11-24 2027-11-20 <@U0OPS2|olga>', 3)).toContain(
      'decides your sign-offs',
    );
    expect(await command('U0CEO', 'away 2026-11-24 2026-11-30 <@U0OPS2|olga>', 4)).toContain(
      'decides your sign-offs',
    );
    expect(count('delegations')).toBe(2);
  });

  it('when the same view is submitted again with a new trigger then no second request is made', async () => {
    await boot();
    const submit = () =>
      h.slack.interaction(
        viewSubmission({
          userId: 'U0SELLER',
          callbackId: CALLBACKS.requestModal,
          privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
          values: h.requestValues({ productLineId: 'gadgets' }),
          viewId: 'V0SAMEVIEW',
        }),
      );
    expect((await submit()).status).toBe(200);
    expect((await submit()).status).toBe(200);
    await h.runtime.dispatcher.drain();
    expect(count('requests')).toBe(1);
    expect(h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts)).toHaveLength(1);
  });

  it('when a seller forges a revise with no change request open then it is refused and the version stays 1', async () => {
    await boot();
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    await h.standIn.waitFor(isThread);
    const forged = await h.slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel: null, revise: requestMeta(1) }),
        values: h.requestValues({ productLineId: 'gadgets', quantity: '99' }),
      }),
    );
    expect(JSON.stringify(forged.json())).toContain('No owner has asked for changes to CG-1');
    expect(query('SELECT version, quantity FROM requests')).toEqual([{ version: 1, quantity: 10 }]);
    expect(count("events WHERE type = 'request.revised'")).toBe(0);
  });

  it.each([
    [
      'an action id with a made-up suffix',
      (b: Record<string, unknown>) => ({
        ...b,
        actions: [{ ...(b.actions as object[])[0], action_id: 'signoff_approve:x' }],
      }),
    ],
    ['no user', (b: Record<string, unknown>) => ({ ...b, user: undefined })],
  ])('when a block_actions has %s then it is answered at once and nothing changes', async (_name, tamper) => {
    await boot();
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await h.standIn.waitFor(isThread);
    const payload = blockAction({
      userId: 'U0OPS1',
      actionId: ACTIONS.approve,
      value: buttonValue(ask?.args.blocks, ACTIONS.approve),
      channelId: 'C0REQUESTS',
      messageTs: tsOf(ask),
    }) as unknown as Record<string, unknown>;
    // Unanswered, Bolt would give up after Slack's 3 s with a 404: a 200 is the bot's own answer.
    const res = await h.slack.interaction(tamper(payload));
    expect(res.status).toBe(200);
    expect(query('SELECT status FROM sign_offs')).toEqual([{ status: 'pending' }]);
  });
});

describe('hole 9: free text was not limited on the server', () => {
  async function rejectForm() {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await h.standIn.waitFor(isThread);
    await clickThread('U0OPS1', ACTIONS.reject, ask as RecordedCall);
    return modalOpened(CALLBACKS.rejectModal);
  }

  it('when a forged reject reason has 10,000 characters then the form says so and nothing is stored or sent', async () => {
    await boot();
    const meta = await rejectForm();
    const res = await submitModal(
      'U0OPS1',
      CALLBACKS.rejectModal,
      meta,
      text(REJECT_BLOCKS.reason, 'x'.repeat(10_000)),
    );
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: {
        [REJECT_BLOCKS.reason]: 'Keep this under 2,000 characters (it has 10,000). Nothing was saved.',
      },
    });
    expect(query('SELECT status, rejection_reason FROM sign_offs')).toEqual([
      { status: 'pending', rejection_reason: null },
    ]);
    const forgedRequest = await h.submitRequest('U0SELLER', { customer: 'A'.repeat(10_000) });
    expect(JSON.stringify(forgedRequest.json())).toContain('Keep this under 150 characters');
    expect(count('requests')).toBe(1);
    await h.runtime.dispatcher.drain();
    expect(h.standIn.calls.some((c) => JSON.stringify(c.args).includes('x'.repeat(2001)))).toBe(false);
  });

  it('when a reason carries NUL, other controls and a lone surrogate then they are dropped before storing and never reach Slack', async () => {
    await boot();
    const meta = await rejectForm();
    const res = await submitModal(
      'U0OPS1',
      CALLBACKS.rejectModal,
      meta,
      text(REJECT_BLOCKS.reason, 'Line\u0000 2\u0007 is\ud800 full\n\tsorry \ud83d\ude00'),
    );
    expect(res.status).toBe(200);
    expect(query('SELECT rejection_reason FROM sign_offs')).toEqual([
      { rejection_reason: 'Line 2 is full\n\tsorry \ud83d\ude00' },
    ]);
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('Line 2 is full'));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for exactly those characters.
    const bad = /[\u0000\u0007]|\\u0000|\\ud800/;
    expect(h.standIn.calls.filter((c) => bad.test(JSON.stringify(c.args)))).toEqual([]);
  });
});

describe('hole 1: after a restore, old buttons decided other requests', () => {
  function backup(target: string) {
    return spawnSync('npx', ['tsx', 'src/cli.ts', 'backup', target], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: h.dbPath },
      encoding: 'utf8',
    });
  }

  /** Stops the bot, puts the copy where DATABASE_PATH points (as the README's restore says), starts. */
  async function restore(copy: string) {
    await h.runtime.stop();
    for (const f of [`${h.dbPath}-wal`, `${h.dbPath}-shm`]) rmSync(f, { force: true });
    copyFileSync(copy, h.dbPath);
    await h.restart();
  }

  it('when a backup is restored and an owner clicks Approve on a message from after the backup then it is refused as out of date, the new request keeps its own reference and nothing is decided', async () => {
    await boot();
    await h.submitRequest('U0SELLER', { customer: 'Alpha' });
    await h.standIn.waitFor(isThread);
    const copy = join(h.dir, 'b.db');
    const backedUp = backup(copy);
    expect(backedUp.stderr).toBe('');
    expect(backedUp.status).toBe(0);
    await h.submitRequest('U0SELLER', { customer: 'Bravo' });
    const [, bravoAsk] = await h.standIn.waitFor(isThread, { count: 2 });
    expect(textOf(bravoAsk)).toContain('CG-2');
    await h.runtime.dispatcher.drain();

    await restore(copy);
    expect(query<{ customer: string }>('SELECT customer FROM requests')).toEqual([{ customer: 'Alpha' }]);
    expect(h.logs.some((l) => l.includes('the requests channel shows CG-2'))).toBe(true);
    await h.submitRequest('U0SELLER', { customer: 'Charlie' });
    await h.runtime.dispatcher.drain();
    // Charlie is never given CG-2, which Slack already showed for Bravo.
    expect(query('SELECT id, customer FROM requests ORDER BY id')).toEqual([
      { id: 1, customer: 'Alpha' },
      { id: 3, customer: 'Charlie' },
    ]);
    const parents = h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts);
    expect(parents.map((m) => /CG-\d+/.exec(m.text)?.[0])).toEqual(['CG-1', 'CG-2', 'CG-3']);

    // Bravo's old Approve and Reject (sign-off ids are reused too) decide nothing.
    await clickThread('U0OPS1', ACTIONS.approve, bravoAsk as RecordedCall);
    await clickThread('U0OPS1', ACTIONS.reject, bravoAsk as RecordedCall);
    const refusals = await ephemerals(2);
    for (const r of refusals) expect(String(r.args.text)).toContain('Those buttons are out of date');
    expect(query('SELECT status FROM sign_offs ORDER BY id')).toEqual([
      { status: 'pending' },
      { status: 'pending' },
    ]);
    expect(query('SELECT status FROM requests ORDER BY id')).toEqual([
      { status: 'pending' },
      { status: 'pending' },
    ]);
    expect(h.standIn.calls.filter((c) => isDm(c) && textOf(c).includes('You may commit'))).toEqual([]);
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);

    // Charlie's own button still works.
    const asks = await h.standIn.waitFor(isThread, { count: 3 });
    await clickThread('U0OPS1', ACTIONS.approve, asks[2] as RecordedCall);
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit CG-3'));
  });

  it('when a forged click carries the right ids but no key or a wrong key then it is refused as out of date', async () => {
    await boot();
    await h.submitRequest('U0SELLER', {});
    const [ask] = await h.standIn.waitFor(isThread);
    const value = JSON.parse(buttonValue(ask?.args.blocks, ACTIONS.approve)) as {
      s: number;
      v: number;
      k: string;
    };
    expect(value.k).toMatch(/^[0-9a-f]{32}$/);
    await h.click('U0OPS1', ACTIONS.approve, JSON.stringify({ s: value.s, v: value.v }), tsOf(ask));
    await h.click('U0OPS1', ACTIONS.approve, JSON.stringify({ ...value, k: '0'.repeat(32) }), tsOf(ask));
    const refusals = await ephemerals(2);
    for (const r of refusals) expect(String(r.args.text)).toContain('out of date');
    expect(query('SELECT status FROM sign_offs')).toEqual([{ status: 'pending' }]);
  });
});

describe('migrations 0007-0008 on a database made by the previous schema', () => {
  it('when a 0006 database with requests is migrated then the request gets a button key of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-migrate-'));
    try {
      const old = join(dir, 'migrations');
      cpSync(MIGRATIONS_FOLDER, old, { recursive: true });
      const journalPath = join(old, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
      writeFileSync(
        journalPath,
        JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx <= 6) }),
      );
      const path = join(dir, 'cg.db');
      const before = createDb(path, { migrate: false });
      migrate(before, { migrationsFolder: old });
      const insert = before.$client.prepare(
        `INSERT INTO requests (seller_id, customer, product_line_id, quantity, value_minor, currency, delivery_date,
           payment_terms_days, discount_percent, created_at, updated_at)
         VALUES ('U0SELLER', ?, 'gadgets', 1, 100, 'USD', '2027-01-01', 30, 0, 0, 0)`,
      );
      insert.run('Old one');
      insert.run('Old two');
      closeDb(before);
      const after = createDb(path);
      const keys = after.$client
        .prepare('SELECT button_key FROM requests ORDER BY id')
        .pluck()
        .all() as string[];
      closeDb(after);
      expect(keys).toHaveLength(2);
      for (const k of keys) expect(k).toMatch(/^[0-9a-f]{32}$/);
      expect(keys[0]).not.toBe(keys[1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hole 5: a quorum that can never be met waited silently', () => {
  it('when a finance owner asks for a request needing both finance approvals then leadership is told at once with the reason, and start-up warned', async () => {
    await boot();
    expect(h.logs.some((l) => l.includes('functions.finance: approvals: 2 needs more owners'))).toBe(true);
    expect(h.logs.some((l) => l.includes('functions.operations: approvals'))).toBe(false);
    await h.submitRequest('U0FIN1', { productLineId: 'gadgets', value: '60000' });
    const [escalation] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && textOf(c).includes('can never be cleared by Finance'),
    );
    expect(textOf(escalation)).toContain('CG-1');
    expect(textOf(escalation)).toContain('needs 2 distinct approvals');
    const opened = h.standIn.callsTo('conversations.open').map((c) => c.args.users);
    expect(opened).toContain('U0CEO');
    expect(
      query(
        "SELECT s.function_id AS fn, s.escalated_at IS NOT NULL AS escalated, e.data FROM sign_offs s LEFT JOIN events e ON e.sign_off_id = s.id AND e.type = 'signoff.escalated' ORDER BY s.id",
      ),
    ).toEqual([
      { fn: 'operations', escalated: 0, data: null },
      { fn: 'finance', escalated: 1, data: expect.stringContaining('quorum_unreachable') },
    ]);
  });

  it("when a revision re-routes a finance owner's request to finance then leadership is told at once, as at submit", async () => {
    await boot();
    await h.submitRequest('U0FIN1', { productLineId: 'gadgets' });
    const [ops] = await h.standIn.waitFor(isThread);
    expect(query('SELECT function_id AS fn FROM sign_offs')).toEqual([{ fn: 'operations' }]);
    await clickThread('U0OPS1', ACTIONS.requestChanges, ops as RecordedCall);
    const meta = await modalOpened(CALLBACKS.changesModal);
    await submitModal('U0OPS1', CALLBACKS.changesModal, meta, text(CHANGES_BLOCKS.reason, 'Bigger order?'));
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('asks you to change'));

    const revised = await h.slack.interaction(
      viewSubmission({
        userId: 'U0FIN1',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel: null, revise: requestMeta(1) }),
        values: h.requestValues({ productLineId: 'gadgets', value: '60000' }),
      }),
    );
    expect(revised.status).toBe(200);
    await h.standIn.waitFor((c) => isThread(c) && textOf(c).includes('CG-1 v2'));
    await h.runtime.dispatcher.drain();
    const escalations = h.standIn.calls.filter(
      (c) => c.method === 'chat.postMessage' && textOf(c).includes('can never be cleared by Finance'),
    );
    expect(escalations).toHaveLength(1);
    expect(textOf(escalations[0])).toContain('needs 2 distinct approvals');
    expect(h.standIn.callsTo('conversations.open').map((c) => c.args.users)).toContain('U0CEO');
    expect(
      query(
        "SELECT s.function_id AS fn, s.escalated_at IS NOT NULL AS escalated, e.data FROM sign_offs s LEFT JOIN events e ON e.sign_off_id = s.id AND e.type = 'signoff.escalated' ORDER BY s.id",
      ),
    ).toEqual([
      { fn: 'operations', escalated: 0, data: null },
      { fn: 'finance', escalated: 1, data: expect.stringContaining('quorum_unreachable') },
    ]);
  });

  it('when a seller who owns nothing asks for the same request then nobody is escalated to', async () => {
    await boot();
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets', value: '60000' });
    await h.standIn.waitFor(isThread, { count: 2 });
    await h.runtime.dispatcher.drain();
    expect(h.standIn.calls.filter((c) => textOf(c).includes('can never be cleared'))).toEqual([]);
    expect(count("events WHERE type = 'signoff.escalated'")).toBe(0);
  });
});

describe('hole 6: anyone could read any request', () => {
  async function show(userId: string, n: number) {
    await h.slack.slashCommand(slashCommand({ user_id: userId, text: 'show CG-1' }));
    const replies = await h.standIn.waitFor(
      (c) => c.method === 'response_url' || c.method === 'chat.postEphemeral',
      {
        count: n,
      },
    );
    return textOf(replies[n - 1]);
  }

  it('when someone who is not the seller, an owner, a delegate or leadership asks /commit show then they are told whom to ask and see nothing of it', async () => {
    await boot();
    await h.submitRequest('U0SELLER', { customer: 'Secretive Corp', productLineId: 'gadgets' });
    await h.standIn.waitFor(isThread);
    const refused = await show('U0NOBODY', 1);
    expect(refused).toContain('Only the seller of CG-1');
    expect(refused).toContain('Ask <@U0SELLER> or <@U0CEO>');
    expect(refused).not.toContain('Secretive');
    expect(refused).not.toContain('10,000');
    // Quality owns no sign-off of this request: refused as well.
    expect(await show('U0QA1', 2)).not.toContain('Secretive');
    for (const [i, reader] of ['U0SELLER', 'U0OPS1', 'U0CEO'].entries())
      expect(await show(reader, 3 + i)).toContain('Secretive Corp');
    await h.slack.slashCommand(
      slashCommand({ user_id: 'U0OPS2', text: 'away 2026-11-23 2026-11-30 <@U0DELEGATE|dee>' }),
    );
    await h.standIn.waitFor((c) => c.method === 'response_url' || c.method === 'chat.postEphemeral', {
      count: 6,
    });
    expect(await show('U0DELEGATE', 7)).toContain('Secretive Corp');
  });
});

describe('hole 3: write failures were invisible', () => {
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${h.runtime.port}/healthz`);
    return { status: res.status, body: (await res.json()) as { status: string; database: string } };
  };
  const writeErrors = () => h.logs.filter((l) => l.includes('the database cannot be written'));

  /** A seller asks, the owner's ask arrives; returns it. */
  async function pendingAsk() {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await h.standIn.waitFor(isThread);
    await h.runtime.dispatcher.drain();
    return ask as RecordedCall;
  }

  /** Every way a person reaches the bot gets the apology, at once. */
  async function everyoneIsAnswered(ask: RecordedCall) {
    const command = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }));
    expect(command.status).toBe(200);
    expect(JSON.stringify(command.json())).toContain('cannot save anything right now');
    const click = await clickThread('U0OPS1', ACTIONS.approve, ask);
    expect(click.status).toBe(200);
    const [eph] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postEphemeral' && textOf(c).includes('cannot save anything right now'),
    );
    expect(eph?.args.user).toBe('U0OPS1');
    const submission = await h.submitRequest('U0SELLER', { customer: 'During the outage' });
    expect(JSON.stringify(submission.json())).toContain('cannot save anything right now');
  }

  // As root, chmod does not stop writes; the immutable attribute does (ext4 and most Linux
  // filesystems). Where chattr is not permitted (not root, another filesystem) the test is skipped.
  const chattrWorks = (() => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-chattr-'));
    const f = join(dir, 'probe');
    writeFileSync(f, '');
    const ok = run('chattr', ['+i', f]).status === 0;
    if (ok) run('chattr', ['-i', f]);
    rmSync(dir, { recursive: true, force: true });
    return ok;
  })();

  it.skipIf(!chattrWorks)(
    'when the database file is made read-only under the running bot then everyone gets an apology, one error is logged, /healthz is 503, and all recovers by itself',
    async () => {
      await boot();
      const ask = await pendingAsk();
      const files = [h.dbPath, `${h.dbPath}-wal`];
      expect(run('chattr', ['+i', ...files]).status).toBe(0);
      try {
        await everyoneIsAnswered(ask);
        const bad = await health();
        expect(bad.status).toBe(503);
        expect(bad.body.database).toMatch(/^sqlite_(ioerr|readonly)/);
        expect(writeErrors()).toHaveLength(1);
      } finally {
        run('chattr', ['-i', ...files]);
      }
      expect((await health()).status).toBe(200);
      expect(h.logs.some((l) => l.includes('the database takes writes again'))).toBe(true);
      await clickThread('U0OPS1', ACTIONS.approve, ask);
      await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit CG-1'));
      expect(query('SELECT status FROM requests')).toEqual([{ status: 'approved' }]);
      expect(writeErrors()).toHaveLength(1);
    },
  );

  const mountWorks = (() => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-mount-'));
    const ok = run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status === 0;
    if (ok) run('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
    return ok;
  })();

  it.skipIf(!mountWorks)(
    'when the disk is full under the running bot then everyone gets an apology, one error is logged, /healthz is 503, and all recovers once there is room',
    async () => {
      const mountPoint = mkdtempSync(join(tmpdir(), 'cg-full-'));
      expect(run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]).status).toBe(0);
      try {
        await boot({ dir: join(mountPoint, 'data') });
        const ask = await pendingAsk();
        const filler = join(mountPoint, 'filler');
        run('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']); // until the disk is full
        await everyoneIsAnswered(ask);
        const bad = await health();
        expect(bad.status).toBe(503);
        expect(bad.body.database).toBe('disk_full');
        expect(writeErrors()).toHaveLength(1);
        rmSync(filler);
        expect((await health()).status).toBe(200);
        await clickThread('U0OPS1', ACTIONS.approve, ask);
        await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit CG-1'));
        expect(query('SELECT status FROM requests')).toEqual([{ status: 'approved' }]);
        await h.stop();
        started = false;
      } finally {
        run('umount', ['-l', mountPoint]);
        rmSync(mountPoint, { recursive: true, force: true });
      }
    },
  );

  it('when the database file is deleted under the running bot then everyone gets an apology, /healthz is 503, the data is saved beside it, and a restart never reuses CG-1', async () => {
    await boot();
    const ask = await pendingAsk();
    for (const f of [h.dbPath, `${h.dbPath}-wal`, `${h.dbPath}-shm`]) rmSync(f, { force: true });
    await everyoneIsAnswered(ask);
    const bad = await health();
    expect(bad.status).toBe(503);
    expect(bad.body.database).toBe('database_file_deleted');
    expect(h.logs.filter((l) => l.includes('was deleted under the running bot'))).toHaveLength(1);
    const saved = await waitForLog(/the deleted database was saved to (\S+):/);
    expect(query<{ customer: string }>('SELECT customer FROM requests', saved)).toEqual([
      { customer: 'Acme Corp' },
    ]);

    // Restarted on the missing file: it starts, says so loudly, and continues above CG-1.
    await h.restart();
    expect(h.logs.some((l) => l.includes('the database is empty but the requests channel shows CG-1'))).toBe(
      true,
    );
    await h.submitRequest('U0SELLER', { customer: 'After the loss' });
    expect(query('SELECT id, customer FROM requests')).toEqual([{ id: 2, customer: 'After the loss' }]);
  });

  async function waitForLog(pattern: RegExp): Promise<string> {
    for (let i = 0; i < 200; i++) {
      for (const l of h.logs) {
        const m = pattern.exec(l);
        if (m?.[1]) return m[1];
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no log line matching ${pattern}`);
  }
});
