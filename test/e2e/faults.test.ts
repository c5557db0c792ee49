// Slack misbehaving, end to end: rate limits, 500s, timeouts and permanent errors on the calls
// the outbox makes. Whatever Slack does, every message lands exactly once, in thread order, or
// is recorded as undeliverable and a person is told, once, how to fix it.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { assertValidMessage } from '../support/block-kit.js';
import { Harness, type HarnessOptions } from '../support/harness.js';
import { childEnv } from '../support/processes.js';

type Block = { elements?: { action_id?: string; value?: string }[] };

let h: Harness;
const root = new URL('../..', import.meta.url).pathname;

function runCli(args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', args, {
      cwd: root,
      env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: h.dbPath }),
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.once('exit', (status) => resolve({ status, stdout }));
  });
}

afterEach(async () => {
  await h.stop();
});

async function start(options: HarnessOptions = {}) {
  h = await Harness.start(options);
}

const succeeded = (c: RecordedCall) => c.status === 200 && c.response.ok === true;
const threadPost = (c: RecordedCall) =>
  c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string' && succeeded(c);
const tsOf = (c: RecordedCall) => String(c.response.ts);

function buttonValue(message: { blocks: readonly unknown[] }, actionId: string): string {
  for (const b of message.blocks as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
}

function query<T>(sql: string): T[] {
  const db = new Database(h.dbPath, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

function outboxByStatus(): Record<string, number> {
  const rows = query<{ status: string; n: number }>(
    'SELECT status, count(*) AS n FROM outbox GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** The four-function request: operations, quality, finance (two approvals), people. */
function submitBigRequest(customer = 'Acme Corp') {
  return h.submitRequest('U0SELLER', {
    customer,
    productLineId: 'widgets',
    quantity: '120',
    value: '75000',
    deliveryDate: '2026-12-01',
    paymentTermsDays: '60',
  });
}

async function approveAll(thread: readonly RecordedCall[]) {
  const owners: Record<string, string[]> = {
    Operations: ['U0OPS1'],
    Quality: ['U0QA1'],
    Finance: ['U0FIN1', 'U0FIN2'],
    People: ['U0HR1'],
  };
  for (const call of thread) {
    const label = Object.keys(owners).find((l) => String(call.args.text).includes(`${l} sign-off`));
    const message = h.standIn.message('C0REQUESTS', tsOf(call));
    if (!label || !message) throw new Error(`unexpected thread message ${String(call.args.text)}`);
    for (const owner of owners[label] ?? []) {
      const res = await h.click(owner, ACTIONS.approve, buttonValue(message, ACTIONS.approve), tsOf(call));
      expect(res.status).toBe(200);
    }
  }
}

function everyStoredMessageIsValid(channel: string) {
  for (const m of h.standIn.messages(channel)) assertValidMessage({ text: m.text, blocks: [...m.blocks] });
}

describe('transient Slack failures', () => {
  it('when chat.postMessage answers 500s and a 429 with Retry-After and chat.update answers 500s then every message lands exactly once, in thread order', async () => {
    await start();
    h.standIn.failNext('chat.postMessage', { status: 500 }, 2);
    h.standIn.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    h.standIn.failNext('chat.postMessage', { status: 503 });
    await submitBigRequest();
    const thread = await h.standIn.waitFor(threadPost, { count: 4, timeoutMs: 10_000 });

    // The 429's Retry-After was honoured: nothing was sent to Slack before it ran out.
    const posts = h.standIn.callsTo('chat.postMessage');
    const limited = posts.findIndex((c) => c.status === 429);
    const next = posts[limited + 1];
    expect(limited).toBeGreaterThanOrEqual(0);
    expect(next && next.at.getTime() - (posts[limited] as RecordedCall).at.getTime()).toBeGreaterThanOrEqual(
      1000,
    );

    const stored = h.standIn.messages('C0REQUESTS');
    expect(stored.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(stored.filter((m) => m.thread_ts).map((m) => m.text.match(/(\w+) sign-off/)?.[1])).toEqual([
      'Operations',
      'Quality',
      'Finance',
      'People',
    ]);

    h.standIn.failNext('chat.update', { status: 500 }, 3);
    h.standIn.failNext('conversations.open', { status: 502 });
    await approveAll(thread);
    await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER' && succeeded(c),
    );
    await h.runtime.dispatcher.drain();

    expect(h.standIn.messages('DU0SELLER')).toHaveLength(1);
    expect(h.standIn.messages('DU0SELLER')[0]?.text).toContain('You may commit CG-1');
    const after = h.standIn.messages('C0REQUESTS');
    expect(after.filter((m) => !m.thread_ts)[0]?.blocks).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'section' })]),
    );
    expect(JSON.stringify(after.find((m) => !m.thread_ts)?.blocks)).toContain('CG-1 is cleared');
    for (const m of after.filter((x) => x.thread_ts))
      expect(JSON.stringify(m.blocks)).not.toContain(ACTIONS.approve);
    everyStoredMessageIsValid('C0REQUESTS');
    expect(outboxByStatus()).toEqual({ done: expect.any(Number) });
    expect(query<{ status: string }>('SELECT status FROM requests')).toEqual([{ status: 'approved' }]);
  });

  it('when Slack times out on a post it then made anyway then the retry finds that post instead of posting twice', async () => {
    await start({ slackTimeoutMs: 300 });
    // Slack answers after the bot stopped waiting, but does post: the classic duplicate.
    h.standIn.failNext('chat.postMessage', { delayMs: 700 });
    h.standIn.failNext('chat.update', { delayMs: 700 });
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await h.standIn.waitFor(threadPost, { timeoutMs: 10_000 });
    // It did time out, and looked before posting again.
    expect(h.logs.some((l) => l.includes('delivery will be retried') && l.includes('request_error'))).toBe(
      true,
    );
    expect(h.standIn.callsTo('conversations.history').length).toBeGreaterThanOrEqual(1);
    expect(h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts)).toHaveLength(1);

    const message = h.standIn.message('C0REQUESTS', tsOf(ask as RecordedCall));
    h.standIn.failNext('chat.postMessage', { delayMs: 700 });
    await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(message ?? { blocks: [] }, ACTIONS.approve),
      tsOf(ask as RecordedCall),
    );
    await h.standIn.waitFor((c) => c.method === 'conversations.history' && c.args.channel === 'DU0SELLER', {
      timeoutMs: 10_000,
    });
    await h.runtime.dispatcher.drain();
    expect(h.standIn.messages('DU0SELLER')).toHaveLength(1);
    expect(h.standIn.messages('C0REQUESTS')).toHaveLength(2);
    expect(JSON.stringify(h.standIn.messages('C0REQUESTS')[0]?.blocks)).toContain('CG-1 is cleared');
    expect(outboxByStatus()).toEqual({ done: expect.any(Number) });
  });
});

describe('an install without the history scopes', () => {
  it('when the look for an earlier post is refused with missing_scope then the post goes ahead rather than being lost', async () => {
    await start();
    // Start-up reads the channel once too (the highest CG-n posted, for restores).
    const atStart = h.standIn.callsTo('conversations.history').length;
    h.standIn.failNext('chat.postMessage', { status: 500 });
    h.standIn.failNext('conversations.history', { error: 'missing_scope' });
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    await h.standIn.waitFor(threadPost);
    await h.runtime.dispatcher.drain();
    expect(h.standIn.callsTo('conversations.history')).toHaveLength(atStart + 1);
    expect(h.standIn.messages('C0REQUESTS')).toHaveLength(2);
    expect(outboxByStatus()).toEqual({ done: 2 });
  });
});

describe('concurrent decisions', () => {
  it('when every owner clicks at the same moment while chat.update fails then each decision counts once, one of two rival owners is refused, and the seller hears once', async () => {
    await start();
    await submitBigRequest();
    const thread = await h.standIn.waitFor(threadPost, { count: 4, timeoutMs: 10_000 });
    await h.runtime.dispatcher.drain();
    h.standIn.failNext('chat.update', { status: 500 }, 4);
    const byLabel = (label: string) =>
      thread.find((c) => String(c.args.text).includes(`${label} sign-off`)) as RecordedCall;
    const click = (owner: string, label: string) => {
      const call = byLabel(label);
      const message = h.standIn.message('C0REQUESTS', tsOf(call));
      return h.click(
        owner,
        ACTIONS.approve,
        buttonValue(message ?? { blocks: [] }, ACTIONS.approve),
        tsOf(call),
      );
    };
    const responses = await Promise.all([
      click('U0OPS1', 'Operations'),
      click('U0OPS2', 'Operations'),
      click('U0QA1', 'Quality'),
      click('U0FIN1', 'Finance'),
      click('U0FIN2', 'Finance'),
      click('U0HR1', 'People'),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
    await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER' && succeeded(c),
      {
        timeoutMs: 10_000,
      },
    );
    const [refusal] = await h.standIn.waitFor('chat.postEphemeral');
    expect(String(refusal?.args.text)).toMatch(/already approved by <@U0OPS[12]>/);
    await h.runtime.dispatcher.drain();

    expect(query('SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type')).toEqual([
      { type: 'request.approved', n: 1 },
      { type: 'request.submitted', n: 1 },
      { type: 'signoff.approved', n: 5 },
    ]);
    expect(h.standIn.callsTo('chat.postEphemeral')).toHaveLength(1);
    expect(h.standIn.messages('DU0SELLER')).toHaveLength(1);
    for (const m of h.standIn.messages('C0REQUESTS'))
      expect(JSON.stringify(m.blocks)).not.toContain(ACTIONS.approve);
    expect(outboxByStatus()).toEqual({ done: expect.any(Number) });
  });
});

describe('permanent Slack errors', () => {
  it('when the bot is not in the requests channel then the request is kept, nothing is retried forever, and the seller is told once how to fix it', async () => {
    await start();
    h.standIn.fail('chat.postMessage', { error: 'not_in_channel', times: 1 });
    const res = await submitBigRequest();
    expect(res.status).toBe(200);
    const [dm] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER' && succeeded(c),
    );
    await h.runtime.dispatcher.drain();
    expect(String(dm?.args.text)).toContain('could not post CG-1 in the requests channel (not_in_channel)');
    expect(JSON.stringify(dm?.args.blocks)).toContain('/invite @commit-gate');
    assertValidMessage({ text: String(dm?.args.text), blocks: dm?.args.blocks as unknown[] });
    // Once: the four sign-off posts that could not follow are consequences, not new causes.
    expect(h.standIn.messages('DU0SELLER')).toHaveLength(1);
    expect(h.standIn.messages('DU0CEO')).toHaveLength(0);

    const failed = query<{ kind: string; last_error: string }>(
      "SELECT kind, last_error FROM outbox WHERE status = 'failed' ORDER BY id",
    );
    expect(failed).toEqual([
      { kind: 'parent.post', last_error: 'not_in_channel' },
      ...Array(4).fill({ kind: 'signoff.post', last_error: 'parent_not_posted' }),
    ]);
    expect(outboxByStatus().pending).toBeUndefined();
    expect(query('SELECT status FROM requests')).toEqual([{ status: 'pending' }]);
    const health = await fetch(`http://127.0.0.1:${h.runtime.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', outbox: { failedLastHour: 5 } });
    expect(
      h.logs.some((l) => l.includes('"delivery given up"') && l.includes('"code":"not_in_channel"')),
    ).toBe(true);

    // The bot is invited; the operator requeues, and what was missing is posted once, in order.
    const retried = await runCli(['run', '--silent', 'outbox:retry', '--', 'CG-1']);
    expect(retried).toMatchObject({
      status: 0,
      stdout: 'requeued 5 failed deliveries; the running bot sends them within seconds\n',
    });
    await h.standIn.waitFor(threadPost, { count: 4, timeoutMs: 10_000 });
    await h.runtime.dispatcher.drain();
    const labels = h.standIn
      .messages('C0REQUESTS')
      .map((m) => (m.thread_ts ? m.text.match(/(\w+) sign-off/)?.[1] : 'parent'));
    expect(labels).toEqual(['parent', 'Operations', 'Quality', 'Finance', 'People']);
    expect(h.standIn.messages('DU0SELLER')).toHaveLength(1);
    expect(outboxByStatus()).toEqual({ done: expect.any(Number) });
  });

  it('when the seller cannot receive DMs then leadership is told once, in the seller’s stead', async () => {
    await start();
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await h.standIn.waitFor(threadPost);
    h.standIn.fail('chat.postMessage', { error: 'user_disabled', times: 1 });
    // chat.update keeps working; the outcome DM to the seller is the one that fails.
    const message = h.standIn.message('C0REQUESTS', tsOf(ask as RecordedCall));
    const outcome = h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0CEO' && succeeded(c),
    );
    // The first postMessage after this click is the seller's outcome DM.
    await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(message ?? { blocks: [] }, ACTIONS.approve),
      tsOf(ask as RecordedCall),
    );
    const [report] = await outcome;
    await h.runtime.dispatcher.drain();
    const text = JSON.stringify(report?.args.blocks);
    expect(text).toContain('tell <@U0SELLER> the outcome of CG-1 (approved)');
    expect(text).toContain('I could not reach the seller <@U0SELLER>');
    expect(h.standIn.messages('DU0CEO')).toHaveLength(1);
    expect(h.standIn.messages('DU0SELLER')).toHaveLength(0);
    expect(query("SELECT kind, last_error FROM outbox WHERE status = 'failed'")).toEqual([
      { kind: 'seller.outcome', last_error: 'user_disabled' },
    ]);
  });
});

describe('/healthz', () => {
  it('when deliveries have been stuck for longer than the threshold then it answers 503, and 200 again once Slack recovers', async () => {
    await start();
    const url = `http://127.0.0.1:${h.runtime.port}/healthz`;
    expect(await (await fetch(url)).json()).toMatchObject({ status: 'ok', database: 'ok' });
    h.standIn.fail('chat.postMessage', { status: 500, times: 100_000 });
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    await h.standIn.waitFor('chat.postMessage');
    h.clock.jump(11 * 60_000);
    const stuck = await fetch(url);
    expect(stuck.status).toBe(503);
    expect(await stuck.json()).toMatchObject({
      status: 'degraded',
      database: 'ok',
      outbox: { status: 'stuck', pending: 2, stuckAfterSeconds: 600 },
    });
    h.standIn.fail('chat.postMessage', { times: 0 });
    h.runtime.dispatcher.kick();
    await h.standIn.waitFor(threadPost, { timeoutMs: 10_000 });
    await h.runtime.dispatcher.drain();
    const healed = await fetch(url);
    expect(healed.status).toBe(200);
    expect(await healed.json()).toMatchObject({ status: 'ok', outbox: { pending: 0 } });
  });
});
