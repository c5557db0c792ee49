// Two bots on one DATABASE_PATH (an overlapping deploy): each outbox row is claimed with a lease
// before delivery, so whichever process takes the click, every message reaches Slack once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type RecordedCall, SlackStandIn } from '../../dev/slack-stand-in.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import { botCommand, requestFormValues, root } from '../support/bot-process.js';
import { exampleConfigObject } from '../support/config.js';
import { blockAction, viewSubmission } from '../support/fixtures.js';
import { childEnv } from '../support/processes.js';
import { SlackClientSim } from '../support/signed-requests.js';

const SECRET = 'two-process-signing-secret';
const SELLERS = Array.from({ length: 10 }, (_, i) => `U0SELL${String(i).padStart(2, '0')}`);

let dir: string;
let standIn: SlackStandIn;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'commit-gate-two-'));
  // Operations alone signs off: one owner click clears a request and sends the seller's outcome.
  writeFileSync(
    join(dir, 'commit-gate.yml'),
    stringify({ ...exampleConfigObject(), rules: [{ require: ['operations'] }] }),
  );
  standIn = await SlackStandIn.start();
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await standIn.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startBot(): Promise<SlackClientSim> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(...botCommand(), {
    cwd: root,
    env: childEnv({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      COMMIT_GATE_CONFIG: join(dir, 'commit-gate.yml'),
      DATABASE_PATH: join(dir, 'cg.db'),
      SLACK_BOT_TOKEN: 'xoxb-two-process-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
      PORT: String(port),
    }),
    stdio: 'ignore',
  });
  children.push(child);
  const health = () =>
    fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
  await expect.poll(health, { timeout: 20_000, interval: 50 }).toBe(200);
  return new SlackClientSim({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET, standIn });
}

const ok = (c: RecordedCall) => c.status === 200 && c.response.ok === true;

function undelivered(): unknown {
  const db = new Database(join(dir, 'cg.db'), { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM outbox WHERE status <> 'done'").pluck().get();
  } finally {
    db.close();
  }
}

describe('two processes on one database', () => {
  it('when two bots share DATABASE_PATH and 10 sellers are cleared through either then each seller gets their outcome exactly once, and every post is made once', async () => {
    const first = await startBot();
    const second = await startBot();
    const bot = (i: number) => (i % 2 === 0 ? first : second);
    // Slow posts: a delivery is in flight long enough for the other process's poll to see its row.
    standIn.failNext('chat.postMessage', { delayMs: 1500 }, 1000);

    for (const [i, seller] of SELLERS.entries()) {
      const res = await bot(i).interaction(
        viewSubmission({
          userId: seller,
          callbackId: CALLBACKS.requestModal,
          privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
          values: requestFormValues({ customer: `Customer ${i}`, quantity: '10', value: '1000' }),
        }),
      );
      expect(res.status).toBe(200);
    }
    const signOffPosts = await standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && !!c.args.thread_ts && ok(c),
      { count: SELLERS.length, timeoutMs: 60_000 },
    );
    for (const [i, call] of signOffPosts.entries()) {
      const blocks = (call.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
      const value = blocks
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === ACTIONS.approve)?.value;
      const res = await bot(i + 1).interaction(
        blockAction({
          userId: 'U0OPS1',
          actionId: ACTIONS.approve,
          value: value ?? '',
          channelId: 'C0REQUESTS',
          messageTs: String(call.response.ts),
          threadTs: String(call.args.thread_ts),
        }),
      );
      expect(res.status).toBe(200);
    }
    await expect.poll(undelivered, { timeout: 90_000, interval: 200 }).toBe(0);

    for (const seller of SELLERS) {
      const outcomes = standIn.messages(`D${seller}`);
      expect(outcomes, seller).toHaveLength(1);
      expect(outcomes[0]?.text).toContain('You may commit');
    }
    const channel = standIn.messages('C0REQUESTS');
    expect(channel.filter((m) => !m.thread_ts)).toHaveLength(SELLERS.length);
    expect(channel.filter((m) => m.thread_ts)).toHaveLength(SELLERS.length);
  }, 180_000);
});
