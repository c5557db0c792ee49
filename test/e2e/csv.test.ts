// `npm run import` and `npm run export` as real processes on the running bot's database
// (INTERFACE.md "HTTP API", Commands): all or nothing with every bad row named by its line, rows
// through the same services as the API, and an export of a known history compared with a file.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { localDate } from '../../src/domain/calendar.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { exampleConfigObject } from '../support/config.js';
import { Harness } from '../support/harness.js';

const TOKEN = 'test-api-token-0123456789abcdef';
const root = new URL('../..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

let h: Harness;
afterEach(async () => {
  await h.stop();
});

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const configPath = join(h.dir, 'commit-gate.yml');
  writeFileSync(configPath, stringify(exampleConfigObject()));
  return new Promise((resolve) => {
    const child = spawn(tsx, ['src/cli.ts', ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        COMMIT_GATE_CONFIG: configPath,
        DATABASE_PATH: h.dbPath,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

type Block = { elements?: { action_id?: string; value?: string }[] };
const buttonValue = (call: RecordedCall, actionId: string): string => {
  for (const b of call.args.blocks as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
};

/** The thread message asking `label` to sign off request n. */
async function askFor(n: number, label: string): Promise<RecordedCall> {
  const [ask] = await h.standIn.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      typeof c.args.thread_ts === 'string' &&
      String(c.args.text).includes(`${label} sign-off needed for CG-${n} (`),
  );
  return ask as RecordedCall;
}

async function approve(n: number, label: string, userId: string): Promise<void> {
  const ask = await askFor(n, label);
  const res = await h.click(
    userId,
    ACTIONS.approve,
    buttonValue(ask, ACTIONS.approve),
    (ask.response as { ts: string }).ts,
  );
  expect(res.status).toBe(200);
}

/** Creates request n (gadgets: operations only) by API and has operations approve it in its thread. */
async function cleared(n: number, body: Record<string, unknown>): Promise<void> {
  const res = await h.api('POST', '/api/v1/requests', { seller: 'U0SELLER', ...body });
  expect(res.status).toBe(201);
  await approve(n, 'Operations', 'U0OPS1');
  await h.standIn.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      String(c.args.channel).startsWith('D') &&
      String(c.args.text).includes(`CG-${n} `),
  );
}

function count(sql: string): number {
  const sqlite = new Database(h.dbPath, { readonly: true });
  try {
    return sqlite.prepare(sql).pluck().get() as number;
  } finally {
    sqlite.close();
  }
}

const gadgets = (customer: string) => ({
  customer,
  product_line: 'gadgets',
  quantity: 10,
  value_minor: 500_000,
  delivery_date: '2027-02-01',
});

describe('npm run import', () => {
  it('when a file has bad rows then each is reported by line and nothing is imported; the fixed file imports once', async () => {
    // The import runs on the real clock (a separate process), so the bot starts at the real now.
    h = await Harness.start({ apiToken: TOKEN, start: new Date().toISOString() });
    await cleared(1, gadgets('Acme'));
    await cleared(2, gadgets('Globex'));
    const today = localDate(new Date(), 'America/New_York');

    const bad = join(h.dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        'reference,delivered_on,quantity,external_id',
        `CG-1,${today},4,wms-1`,
        `CG-9,${today},1,wms-2`,
        'CG-2,,0,wms-3',
        `CG-2,${today},11,wms-4`,
        '',
      ].join('\n'),
    );
    const refused = await cli(['import', 'deliveries', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `import: ${bad}: line 3: reference: unknown`,
      `import: ${bad}: line 4: quantity: expected more than zero`,
      `import: ${bad}: line 5: quantity: more than the open quantity (10)`,
      `import: ${bad}: nothing imported (3 problem(s))`,
    ]);
    expect(count('SELECT count(*) FROM promise_deliveries')).toBe(0);
    expect(count('SELECT count(*) FROM api_idempotency')).toBe(0);

    const good = join(h.dir, 'good.csv');
    writeFileSync(
      good,
      ['reference,quantity,external_id', 'CG-1,4,wms-1', 'CG-2,,wms-5', 'CG-1,6,wms-6'].join('\n'),
    );
    const ok = await cli(['import', 'deliveries', good]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(`imported 3 deliveries row(s) from ${good}\n`);
    expect(count("SELECT count(*) FROM promises WHERE state = 'delivered'")).toBe(2);
    expect(count("SELECT count(*) FROM events WHERE type = 'promise.delivered' AND actor_id = 'api'")).toBe(
      3,
    );

    const again = await cli(['import', 'deliveries', good]);
    expect(again.stdout).toBe(
      `imported 0 deliveries row(s) from ${good} (3 already imported before, unchanged)\n`,
    );
    expect(count('SELECT count(*) FROM promise_deliveries')).toBe(3);

    // The running bot delivers what the import queued: the parents are re-rendered.
    await h.standIn.waitFor((c) => c.method === 'chat.update' && String(c.args.text).includes('CG-2'));
  });

  it('when capacity and payments are imported then they go through the same services; an unknown column refuses the file', async () => {
    h = await Harness.start({ apiToken: TOKEN, start: new Date().toISOString() });
    const capacity = join(h.dir, 'capacity.csv');
    writeFileSync(capacity, 'product_line,date,capacity\nwidgets,2027-03-01,250\nwidgets,2027-03-08,260\n');
    const ok = await cli(['import', 'capacity', capacity]);
    expect(ok.stdout).toBe(`imported 2 capacity row(s) from ${capacity}\n`);
    expect(count("SELECT sum(capacity) FROM capacity_overrides WHERE set_by = 'api'")).toBe(510);

    const wrong = join(h.dir, 'wrong.csv');
    writeFileSync(wrong, 'reference,amount,paid_on\nCG-1,100,2027-01-01\n');
    const refused = await cli(['import', 'payments', wrong]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('line 1: unknown column "amount"');
    expect(refused.stderr).toContain('expected columns: reference,paid_on,amount_minor,external_id');

    await cleared(1, gadgets('Acme'));
    const payments = join(h.dir, 'payments.csv');
    writeFileSync(payments, 'reference,amount_minor\nCG-1,125000\n');
    expect((await cli(['import', 'payments', payments])).status).toBe(0);
    expect(count('SELECT sum(amount_minor) FROM promise_payments')).toBe(125_000);
  });
});

describe('npm run export', () => {
  it('when a known week is exported then the file equals the expected one, row for row', async () => {
    h = await Harness.start({ apiToken: TOKEN });
    // CG-1: operations only; delivered in full on time, paid in two parts, in full 12 days later.
    await cleared(1, { ...gadgets('Acme, Inc.'), deal_reference: 'OPP-1' });
    await h.api('POST', '/api/v1/promises/CG-1/deliveries', { delivered_on: '2026-11-23', quantity: 10 });
    await h.api('POST', '/api/v1/promises/CG-1/payments', { paid_on: '2026-11-23', amount_minor: 100_000 });
    // CG-2: widgets need operations and quality; operations approved, quality still to decide.
    await h.api('POST', '/api/v1/requests', {
      seller: 'U0SELLER',
      customer: 'Globex',
      product_line: 'widgets',
      quantity: 100,
      value_minor: 2_000_000,
      delivery_date: '2027-01-11',
      special_requirements: 'two "fragile" pallets\nkeep dry',
    });
    await approve(2, 'Operations', 'U0OPS2');
    // CG-3: another seller's, nobody decided yet.
    await h.api('POST', '/api/v1/requests', { seller: 'U0SELLER2', ...gadgets('Initech') });
    await askFor(3, 'Operations');
    h.clock.jump(12 * 86_400_000);
    const rest = await h.api('POST', '/api/v1/promises/CG-1/payments', { paid_on: '2026-12-05' });
    expect(rest.status).toBe(201);

    const out = join(h.dir, 'export.csv');
    const res = await cli(['export', '--from', '2026-11-23', '--to', '2026-11-29', '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe(`exported 3 request(s) created 2026-11-23..2026-11-29 to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(new URL('../fixtures/export-week.csv', import.meta.url), 'utf8'),
    );
  });
});
