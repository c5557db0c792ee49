// kill -9 between a state change and its delivery, on the real process: after a restart on the
// same database every pending notification goes out exactly once, whether or not Slack had
// received the call that was in flight, and the database is consistent.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type RecordedCall, SlackStandIn } from '../../dev/slack-stand-in.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import { botCommand, requestFormValues } from '../support/bot-process.js';
import { exampleConfigObject } from '../support/config.js';
import { blockAction, viewSubmission } from '../support/fixtures.js';
import { childEnv, isAlive, portIsFree, processesHolding } from '../support/processes.js';
import { SlackClientSim } from '../support/signed-requests.js';

const root = new URL('../..', import.meta.url).pathname;
const SECRET = 'crash-test-signing-secret';
const TOKEN = 'xoxb-crash-test-token';

interface Held {
  readonly method: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * Sits between the bot and the stand-in and can hold the next call of a method: the test learns
 * the call is in flight, kills the bot, then decides whether Slack ever got it.
 */
class HoldingProxy {
  private holdMethod: string | null = null;
  private onHeld: ((held: Held) => void) | null = null;
  private constructor(
    private readonly server: Server,
    private readonly standIn: SlackStandIn,
  ) {}

  static async start(standIn: SlackStandIn): Promise<HoldingProxy> {
    const server = createServer();
    const proxy = new HoldingProxy(server, standIn);
    server.on('request', (req, res) => {
      proxy.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  /** Resolves when the next call of `method` arrives; that call is never answered. */
  hold(method: string): Promise<Held> {
    this.holdMethod = method;
    return new Promise((resolve) => {
      this.onHeld = resolve;
    });
  }

  /** Delivers a held call to Slack after all (Slack got it; the bot never heard back). */
  async release(held: Held): Promise<void> {
    await this.forward(held);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization'])
      if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
    const call: Held = { method, body: Buffer.concat(chunks), headers };
    if (method === this.holdMethod) {
      this.holdMethod = null;
      this.onHeld?.(call);
      return; // never answered: the bot is killed while waiting
    }
    const answer = await this.forward(call);
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.text);
  }

  private async forward(call: Held) {
    const res = await fetch(`${this.standIn.apiUrl}${call.method}`, {
      method: 'POST',
      headers: call.headers,
      body: call.body,
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? 'application/json',
      text: await res.text(),
    };
  }
}

let dir: string;
let standIn: SlackStandIn;
let proxy: HoldingProxy;
let child: ChildProcess | undefined;
let childPort = 0;
let output: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'commit-gate-crash-'));
  writeFileSync(join(dir, 'commit-gate.yml'), stringify(exampleConfigObject()));
  standIn = await SlackStandIn.start();
  proxy = await HoldingProxy.start(standIn);
  output = [];
});
afterEach(async () => {
  child?.kill('SIGKILL');
  await proxy.close();
  await standIn.close();
  rmSync(dir, { recursive: true, force: true });
});

const dbPath = () => join(dir, 'cg.db');

async function startBot(): Promise<SlackClientSim> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  childPort = port;
  // node itself runs the bot (tsx as a loader, not a wrapper process): the pid killed below is the
  // process that holds the database and the port.
  child = spawn(...botCommand(), {
    cwd: root,
    env: childEnv({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      COMMIT_GATE_CONFIG: join(dir, 'commit-gate.yml'),
      DATABASE_PATH: dbPath(),
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: proxy.apiUrl,
      PORT: String(port),
    }),
  });
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  await expect
    .poll(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        ),
      {
        timeout: 15_000,
        interval: 50,
      },
    )
    .toBe(200);
  return new SlackClientSim({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET, standIn });
}

async function kill9(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null) throw new Error('the bot is not running');
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    proc.once('exit', (_code, signal) => resolve(signal)),
  );
  const pid = proc.pid;
  if (pid === undefined) throw new Error('the bot has no pid');
  expect(processesHolding(dbPath())).toEqual([pid]);
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  child = undefined;
  // The bot itself died, not a wrapper around it: nothing holds the database or the port.
  expect(isAlive(pid)).toBe(false);
  expect(processesHolding(dbPath())).toEqual([]);
  expect(await portIsFree(childPort)).toBe(true);
}

const ok = (c: RecordedCall) => c.status === 200 && c.response.ok === true;

describe('crash between a state change and its delivery', () => {
  it('when the bot is killed -9 with a post in flight (which Slack made) and again with a DM in flight (which Slack never got) then after each restart everything goes out exactly once', async () => {
    let slack = await startBot();

    // 1. Submitted and stored; the parent post reaches Slack but the bot dies before the answer.
    const parentInFlight = proxy.hold('chat.postMessage');
    const submitted = await slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
        values: requestFormValues({ customer: 'Acme Corp', quantity: '120', value: '10000' }),
      }),
    );
    expect(submitted.status).toBe(200);
    const held = await parentInFlight;
    await kill9();
    await proxy.release(held);
    expect(standIn.messages('C0REQUESTS')).toHaveLength(1);

    slack = await startBot();
    const thread = await standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && !!c.args.thread_ts && ok(c),
      {
        count: 2,
        timeoutMs: 15_000,
      },
    );
    expect(standIn.callsTo('conversations.history').length).toBeGreaterThanOrEqual(1);
    expect(standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts)).toHaveLength(1);

    // 2. Both functions approve; the seller's DM is in flight when the bot dies, and lost.
    const dmInFlight = proxy.hold('chat.postMessage');
    const parentTs = standIn.messages('C0REQUESTS').find((m) => !m.thread_ts)?.ts;
    for (const [call, owner] of [
      [thread[0], 'U0OPS1'],
      [thread[1], 'U0QA1'],
    ] as const) {
      const blocks = (call?.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
      const value = blocks
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === ACTIONS.approve)?.value;
      const res = await slack.interaction(
        blockAction({
          userId: owner,
          actionId: ACTIONS.approve,
          value: value ?? '',
          channelId: 'C0REQUESTS',
          messageTs: String(call?.response.ts),
          ...(parentTs ? { threadTs: parentTs } : {}),
        }),
      );
      expect(res.status).toBe(200);
    }
    await dmInFlight;
    await kill9();

    await startBot();
    await standIn.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER' && ok(c), {
      timeoutMs: 15_000,
    });
    await expect
      .poll(
        () => {
          const db = new Database(dbPath(), { readonly: true });
          try {
            return db.prepare("SELECT count(*) FROM outbox WHERE status <> 'done'").pluck().get();
          } finally {
            db.close();
          }
        },
        { timeout: 15_000 },
      )
      .toBe(0);

    expect(standIn.messages('DU0SELLER')).toHaveLength(1);
    expect(standIn.messages('DU0SELLER')[0]?.text).toContain('You may commit CG-1');
    const channel = standIn.messages('C0REQUESTS');
    expect(channel.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(channel.filter((m) => m.thread_ts)).toHaveLength(2);
    expect(JSON.stringify(channel[0]?.blocks)).toContain('CG-1 is cleared');

    const db = new Database(dbPath(), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.prepare('SELECT status FROM requests').pluck().all()).toEqual(['approved']);
      expect(db.prepare('SELECT type FROM events ORDER BY id').pluck().all()).toEqual([
        'request.submitted',
        'signoff.approved',
        'signoff.approved',
        'request.approved',
      ]);
    } finally {
      db.close();
    }
    expect(output.join('')).not.toContain(TOKEN);
    expect(output.join('')).not.toContain(SECRET);
    // The deliveries ran on the outbox worker thread (production's default), across both kills.
    const delivered = output
      .join('')
      .split('\n')
      .filter((l) => l.includes('"msg":"delivered"'));
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.filter((l) => !l.includes('"thread":"outbox"'))).toEqual([]);
  }, 60_000);
});
