// Outbound webhooks end to end: a real HTTP receiver on 127.0.0.1 gets the events it listed,
// signed as INTERFACE.md says (the test verifies every signature itself), through the outbox:
// retried while it fails, delivered once it is back, nothing lost across a kill -9 of the bot, and
// a receiver that refuses for good reported once to leadership and sent again by outbox:retry.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type RecordedCall, SlackStandIn } from '../../dev/slack-stand-in.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { exampleConfig, exampleConfigObject } from '../support/config.js';
import { Harness } from '../support/harness.js';

const TOKEN = 'test-api-token-0123456789abcdef';
const SECRET = 'webhook-secret-for-tests-only';
const root = new URL('../..', import.meta.url).pathname;

interface Received {
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly status: number;
}

/** A webhook receiver: answers `status()` for each delivery and keeps what it got. */
class Receiver {
  readonly received: Received[] = [];
  status: () => number = () => 200;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = receiver.status();
        receiver.received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          timestamp: req.headers['x-commit-gate-timestamp'] as string | undefined,
          signature: req.headers['x-commit-gate-signature'] as string | undefined,
          status,
        });
        res.writeHead(status);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/commit-gate`;
  }

  /** Deliveries answered 2xx, parsed. */
  accepted(): { id: string; type: string; created_at: string; data: Record<string, unknown> }[] {
    return this.received.filter((r) => r.status < 300).map((r) => JSON.parse(r.body));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The README's receiver check, word for word: HMAC of "<timestamp>.<body>", fresh, constant time. */
function verify(secret: string, rawBody: string, headers: Record<string, string | undefined>) {
  const timestamp = headers['x-commit-gate-timestamp'];
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  const given = Buffer.from(String(headers['x-commit-gate-signature'] ?? ''));
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

const signedRight = (r: Received) =>
  verify(SECRET, r.body, { 'x-commit-gate-timestamp': r.timestamp, 'x-commit-gate-signature': r.signature });

type Block = { elements?: { action_id?: string; value?: string }[] };
const buttonValue = (call: RecordedCall, actionId: string): string => {
  for (const b of call.args.blocks as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
};

const gadgets = {
  seller: 'U0SELLER',
  customer: 'Acme Corp',
  product_line: 'gadgets',
  quantity: 10,
  value_minor: 500_000,
  delivery_date: '2027-02-01',
};

let receiver: Receiver;
let h: Harness;

async function startWith(events: string[]): Promise<void> {
  receiver = await Receiver.start();
  h = await Harness.start({
    apiToken: TOKEN,
    // Webhook events carry the bot's clock; the receiver checks freshness on the real one.
    start: new Date().toISOString(),
    config: exampleConfig({ webhooks: [{ url: receiver.url, secret: SECRET, events }] }),
  });
}

async function approveInThread(): Promise<void> {
  const [ask] = await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string',
  );
  const call = ask as RecordedCall;
  await h.click(
    'U0OPS1',
    ACTIONS.approve,
    buttonValue(call, ACTIONS.approve),
    (call.response as { ts: string }).ts,
  );
}

describe('webhooks on the running bot', () => {
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  it('when listed events happen then each is POSTed once, signed, with request.approved published as request.cleared', async () => {
    await startWith(['request.submitted', 'request.cleared', 'promise.delivered']);
    expect((await h.api('POST', '/api/v1/requests', gadgets)).status).toBe(201);
    await approveInThread();
    await expect.poll(() => receiver.accepted().length, { timeout: 5000 }).toBe(2);
    expect((await h.api('POST', '/api/v1/promises/CG-1/deliveries', { quantity: 4 })).status).toBe(201);
    await expect.poll(() => receiver.accepted().length, { timeout: 5000 }).toBe(3);

    expect(receiver.received.every(signedRight)).toBe(true);
    const [submitted, cleared, delivered] = receiver.accepted();
    expect(submitted).toMatchObject({ type: 'request.submitted', data: { reference: 'CG-1', actor: 'api' } });
    expect(submitted?.data.facts).toMatchObject({
      customer: 'Acme Corp',
      product_line_id: 'gadgets',
      value_minor: 500_000,
    });
    expect(cleared).toMatchObject({ type: 'request.cleared', data: { reference: 'CG-1' } });
    expect(delivered).toMatchObject({ type: 'promise.delivered', data: { reference: 'CG-1', actor: 'api' } });
    const ids = receiver.accepted().map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    // signoff.approved was not listed: it was never sent.
    expect(receiver.accepted().map((e) => e.type)).not.toContain('signoff.approved');

    // A body tampered with, or signed with another secret, does not verify.
    const first = receiver.received[0] as Received;
    expect(signedRight({ ...first, body: first.body.replace('Acme', 'Acne') })).toBe(false);
    expect(
      verify('another-secret-entirely', first.body, {
        'x-commit-gate-timestamp': first.timestamp,
        'x-commit-gate-signature': first.signature,
      }),
    ).toBe(false);
  });

  it('when the receiver fails then the delivery is retried with backoff and arrives once it recovers, with the same id', async () => {
    await startWith(['request.submitted']);
    let failures = 3;
    receiver.status = () => (failures-- > 0 ? 503 : 200);
    expect((await h.api('POST', '/api/v1/requests', gadgets)).status).toBe(201);
    await expect.poll(() => receiver.accepted().length, { timeout: 10_000 }).toBe(1);
    expect(receiver.received.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    // Signed afresh for each attempt, every signature valid.
    expect(receiver.received.every(signedRight)).toBe(true);
    expect(h.standIn.callsTo('conversations.open').map((c) => c.args.users)).not.toContain('U0CEO');
  });

  it('when the receiver refuses for good then leadership is told once, and outbox:retry sends every missed event after the fix', async () => {
    await startWith(['request.submitted']);
    receiver.status = () => 410;
    await h.api('POST', '/api/v1/requests', gadgets);
    await h.api('POST', '/api/v1/requests', { ...gadgets, customer: 'Globex' });
    await expect.poll(() => receiver.received.length, { timeout: 5000 }).toBe(2);
    const [report] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('webhook receiver'),
    );
    expect(String((report as RecordedCall).args.text)).toContain('(webhook_http_410)');
    await h.runtime.dispatcher.drain();
    const reports = h.standIn
      .callsTo('chat.postMessage')
      .filter((c) => String(c.args.text).includes('webhook receiver'));
    expect(reports).toHaveLength(1);
    expect(h.standIn.callsTo('conversations.open').map((c) => c.args.users)).toEqual(
      expect.arrayContaining(['U0CEO']),
    );

    receiver.status = () => 200;
    const configPath = join(h.dir, 'commit-gate.yml');
    writeFileSync(configPath, stringify(exampleConfigObject()));
    const retry = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'outbox-retry'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_PATH: h.dbPath,
        COMMIT_GATE_CONFIG: configPath,
      },
      encoding: 'utf8',
    });
    expect(retry.stdout).toContain('requeued 2 failed deliveries');
    await expect.poll(() => receiver.accepted().length, { timeout: 10_000 }).toBe(2);
    expect(
      receiver
        .accepted()
        .map((e) => e.data.reference)
        .sort(),
    ).toEqual(['CG-1', 'CG-2']);
  });
});

describe('webhooks across a kill -9', () => {
  let dir: string;
  let standIn: SlackStandIn;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'commit-gate-webhook-crash-'));
    standIn = await SlackStandIn.start();
    receiver = await Receiver.start();
    writeFileSync(
      join(dir, 'commit-gate.yml'),
      stringify({
        ...exampleConfigObject(),
        webhooks: [{ url: receiver.url, secret: SECRET, events: ['request.submitted', 'request.cleared'] }],
      }),
    );
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await standIn.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startBot(): Promise<number> {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // node with tsx's loader, not the tsx binary: kill -9 must hit the bot itself, not a wrapper.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        COMMIT_GATE_CONFIG: join(dir, 'commit-gate.yml'),
        DATABASE_PATH: join(dir, 'cg.db'),
        SLACK_BOT_TOKEN: 'xoxb-webhook-crash-token',
        SLACK_SIGNING_SECRET: 'webhook-crash-signing-secret',
        SLACK_API_URL: standIn.apiUrl,
        COMMIT_GATE_API_TOKEN: TOKEN,
        PORT: String(port),
      },
      stdio: 'ignore',
    });
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 20_000, interval: 50 },
      )
      .toBe(200);
    return port;
  }

  it('when the bot is killed -9 while the receiver is down then after a restart every event arrives, none lost', async () => {
    receiver.status = () => 503;
    const port = await startBot();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(gadgets),
    });
    expect(res.status).toBe(201);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const proc = child as ChildProcess;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
    const sqlite = new Database(join(dir, 'cg.db'), { readonly: true });
    expect(sqlite.prepare("SELECT status FROM outbox WHERE kind = 'webhook.deliver'").pluck().all()).toEqual([
      'pending',
    ]);
    sqlite.close();

    receiver.status = () => 200;
    await startBot();
    await expect.poll(() => receiver.accepted().length, { timeout: 60_000, interval: 100 }).toBe(1);
    expect(receiver.accepted()[0]).toMatchObject({ type: 'request.submitted', data: { reference: 'CG-1' } });
    expect(receiver.received.every(signedRight)).toBe(true);
  }, 120_000);
});
