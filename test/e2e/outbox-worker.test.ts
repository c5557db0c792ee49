// The outbox in its worker thread (jobs/outbox-worker.ts), as production runs it: the delivery
// guarantees hold across the two threads and their two SQLite connections (exactly once, in
// order per request), the worker reads the test's clock, and a worker that dies takes the
// process down with exit code 1 (the container restarts it; nothing is lost).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { type RecordedCall, SlackStandIn } from '../../dev/slack-stand-in.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import { botCommand, requestFormValues, root } from '../support/bot-process.js';
import { exampleConfig, exampleConfigObject } from '../support/config.js';
import { blockAction, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';
import { childEnv } from '../support/processes.js';

const SELLERS = Array.from({ length: 8 }, (_, i) => `U0SELL${String(i).padStart(2, '0')}`);
const ok = (c: RecordedCall) => c.status === 200 && c.response.ok === true;
const isPost = (c: RecordedCall) => c.method === 'chat.postMessage' && ok(c);

let h: Harness | undefined;
let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  child?.kill('SIGKILL');
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function approveValue(call: RecordedCall): string {
  const blocks = (call.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
  const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.approve)?.value;
  if (!value) throw new Error('no Approve button');
  return value;
}

function deliveredLines(logs: readonly string[]): Record<string, unknown>[] {
  return logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'delivered' || l.msg === 'already delivered');
}

describe('the outbox worker thread', () => {
  it('when the main thread writes then it never checkpoints the WAL itself: the worker copies the log into the database file, off the acks’ event loop', async () => {
    h = await Harness.start({ config: exampleConfig(), outbox: 'worker' });
    const main = h.runtime.db.$client;
    expect(main.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(h.dbPath).size;
    // About 3,000 pages through the main connection, far past SQLite's auto-checkpoint threshold.
    main.exec('CREATE TABLE ballast (b BLOB)');
    const insert = main.prepare('INSERT INTO ballast (b) VALUES (zeroblob(4000))');
    main.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run();
    })();
    // Only a checkpoint moves pages from the WAL into the file; main's connection did none.
    await vi.waitFor(() => expect(statSync(h?.dbPath ?? '').size).toBeGreaterThan(before + 10_000_000), {
      timeout: 10_000,
      interval: 100,
    });
  });

  it('when 8 sellers submit at once and all are approved at once then every delivery runs on the worker, each message is posted once, and each request is told in order: parent, sign-off, then its update and the seller', async () => {
    h = await Harness.start({
      config: exampleConfig({ rules: [{ require: ['operations'] }] }),
      outbox: 'worker',
    });
    const bot = h;
    const submitted = await Promise.all(
      SELLERS.map((seller, i) =>
        bot.slack.interaction(
          viewSubmission({
            userId: seller,
            callbackId: CALLBACKS.requestModal,
            privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
            values: requestFormValues({ customer: `Customer ${i}`, quantity: '10', value: '1000' }),
          }),
        ),
      ),
    );
    expect(submitted.map((r) => r.status)).toEqual(SELLERS.map(() => 200));
    await bot.runtime.dispatcher.drain();
    const asks = bot.standIn.calls.filter((c) => isPost(c) && typeof c.args.thread_ts === 'string');
    expect(asks).toHaveLength(SELLERS.length);

    const clicked = await Promise.all(
      asks.map((ask) =>
        bot.slack.interaction(
          blockAction({
            userId: 'U0OPS1',
            actionId: ACTIONS.approve,
            value: approveValue(ask),
            channelId: 'C0REQUESTS',
            messageTs: String(ask.response.ts),
            threadTs: String(ask.args.thread_ts),
          }),
        ),
      ),
    );
    expect(clicked.map((r) => r.status)).toEqual(asks.map(() => 200));
    await bot.runtime.dispatcher.drain();

    // Exactly once: one parent and one sign-off message per request, one outcome per seller.
    const channel = bot.standIn.messages('C0REQUESTS');
    const parents = channel.filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(SELLERS.length);
    expect(channel.filter((m) => m.thread_ts)).toHaveLength(SELLERS.length);
    for (const seller of SELLERS) {
      const outcomes = bot.standIn.messages(`D${seller}`);
      expect(outcomes, seller).toHaveLength(1);
      expect(outcomes[0]?.text).toContain('You may commit');
    }
    // Order per request, in the order Slack received the calls.
    const calls = bot.standIn.calls;
    for (const parent of parents) {
      const at = (match: (c: RecordedCall) => boolean) => calls.findIndex((c) => ok(c) && match(c));
      const posted = at(
        (c) => c.method === 'chat.postMessage' && !c.args.thread_ts && c.response.ts === parent.ts,
      );
      const asked = at((c) => c.method === 'chat.postMessage' && c.args.thread_ts === parent.ts);
      const updated = at((c) => c.method === 'chat.update' && c.args.ts === parent.ts);
      expect(posted).toBeGreaterThanOrEqual(0);
      expect(asked).toBeGreaterThan(posted);
      expect(updated).toBeGreaterThan(asked);
      expect(JSON.stringify(bot.standIn.message('C0REQUESTS', parent.ts)?.blocks)).toContain('is cleared');
    }

    // The worker thread made every delivery (its log lines carry thread: outbox).
    const delivered = deliveredLines(bot.logs);
    expect(delivered.length).toBeGreaterThanOrEqual(SELLERS.length * 4);
    expect(delivered.filter((l) => l.thread !== 'outbox')).toEqual([]);
    const db = new Database(bot.dbPath, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) FROM outbox WHERE status <> 'done'").pluck().get()).toBe(0);
      // Nothing was retried, so nothing could have gone out twice.
      expect(db.prepare('SELECT count(*) FROM outbox WHERE attempts > 1').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('when the clock stands still then a retry waits for it, and goes out as soon as the clock moves: the worker reads the test clock', async () => {
    h = await Harness.start({ outbox: 'worker' });
    h.clock.freeze();
    // The first post fails with an error worth retrying: the retry is due 20 ms later on the clock.
    h.standIn.failNext('chat.postMessage', { error: 'internal_error' });
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && !ok(c));
    // Real time passes (the worker polls every 25 ms), the frozen clock does not: nothing is due.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await h.runtime.dispatcher.drain();
    expect(h.standIn.calls.filter(isPost)).toEqual([]);
    expect(
      h.logs.some((l) => l.includes('delivery will be retried') && l.includes('"thread":"outbox"')),
    ).toBe(true);

    h.clock.jump(60_000);
    await h.standIn.waitFor((c) => isPost(c) && !c.args.thread_ts);
    await h.runtime.dispatcher.drain();
    expect(h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts)).toHaveLength(1);
  });

  it('when the worker thread dies then the bot exits with code 1 and says why (the container restarts it)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'commit-gate-worker-death-'));
    writeFileSync(join(dir, 'commit-gate.yml'), stringify(exampleConfigObject()));
    const standIn = await SlackStandIn.start();
    try {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const dbPath = join(dir, 'cg.db');
      const output: string[] = [];
      const bot = spawn(...botCommand(), {
        cwd: root,
        env: childEnv({
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          COMMIT_GATE_CONFIG: join(dir, 'commit-gate.yml'),
          DATABASE_PATH: dbPath,
          SLACK_BOT_TOKEN: 'xoxb-worker-death-token',
          SLACK_SIGNING_SECRET: 'worker-death-secret',
          SLACK_API_URL: standIn.apiUrl,
          PORT: String(port),
        }),
      });
      child = bot;
      bot.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
      const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
      const health = () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
      await expect.poll(health, { timeout: 20_000, interval: 50 }).toBe(200);
      // Acks are served before the worker has loaded; wait for it, then break its next poll.
      await expect
        .poll(() => output.join('').includes('outbox worker ready'), { timeout: 20_000 })
        .toBe(true);
      // The worker's next poll cannot read its table (as if the file were damaged under it).
      const db = new Database(dbPath);
      try {
        db.exec('ALTER TABLE outbox RENAME TO outbox_moved');
      } finally {
        db.close();
      }
      expect(await exited).toBe(1);
      child = undefined;
      expect(output.join('')).toContain('the outbox worker died');
      expect(output.join('')).toContain('no such table: outbox');
    } finally {
      await standIn.close();
    }
  }, 40_000);
});
