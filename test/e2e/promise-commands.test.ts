// The promise commands and buttons end to end over signed HTTP with the stand-in: every command,
// its private errors (unknown reference, not cleared, not yours, bad date, over what is open),
// /commit show listing the promise's events, /commit help listing them all.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { assertValidMessage } from '../support/block-kit.js';
import { exampleConfig } from '../support/config.js';
import { slashCommand } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };

let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ config: exampleConfig({ rules: [{ require: ['operations'] }] }) });
});
afterEach(async () => {
  await h.stop();
});

const tsOf = (call: RecordedCall | undefined) => (call?.response as { ts?: string } | undefined)?.ts ?? '';
const isThread = (c: RecordedCall) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string';

function buttonValue(blocks: unknown, actionId: string): string {
  for (const b of (blocks ?? []) as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
}

function query<T>(sql: string): T[] {
  const sqlite = new Database(h.dbPath, { readonly: true });
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}

/** Submits a request (one Operations sign-off) and, unless `pending`, has U0OPS1 approve it. */
async function request(pending = false): Promise<string> {
  const before = h.standIn.calls.filter(isThread).length;
  await h.submitRequest('U0SELLER', { quantity: '10', value: '10000', deliveryDate: '2027-02-01' });
  const asks = await h.standIn.waitFor(isThread, { count: before + 1 });
  const ask = asks[before] as RecordedCall;
  const id = query<{ id: number }>('SELECT max(id) AS id FROM requests')[0]?.id;
  if (!pending) {
    const res = await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(ask.args.blocks, ACTIONS.approve),
      tsOf(ask),
    );
    expect(res.status).toBe(200);
  }
  return `CG-${id}`;
}

/** Runs `/commit <text>` as `userId`; returns the private answer's text (blocks checked against the limits). */
async function command(userId: string, text: string): Promise<string> {
  const before = h.standIn.callsTo('response_url').length;
  const res = await h.slack.slashCommand(slashCommand({ user_id: userId, text }));
  expect(res.status).toBe(200);
  const replies = await h.standIn.waitFor('response_url', { count: before + 1 });
  const reply = replies[before] as RecordedCall;
  expect(reply.args.response_type).toBe('ephemeral');
  if (reply.args.blocks) assertValidMessage({ text: reply.args.text, blocks: reply.args.blocks });
  return `${String(reply.args.text)}\n${JSON.stringify(reply.args.blocks ?? [])}`;
}

const promiseRows = () =>
  query<{ state: string; delivered_quantity: number; due_on: string; paid_minor: number }>(
    'SELECT state, delivered_quantity, due_on, paid_minor FROM promises',
  );
const eventCount = () => query<{ n: number }>('SELECT count(*) AS n FROM events')[0]?.n;

describe('/commit delivered', () => {
  it('when an operations owner records part then the rest, the promise accumulates and is delivered in full', async () => {
    const ref = await request();
    expect(await command('U0OPS1', `delivered ${ref} 2026-11-23 4`)).toContain('delivery recorded');
    expect(promiseRows()).toMatchObject([{ state: 'partly_delivered', delivered_quantity: 4 }]);
    const done = await command('U0OPS2', `delivered ${ref}`);
    expect(done).toContain('on time in full');
    expect(promiseRows()).toMatchObject([{ state: 'delivered', delivered_quantity: 10 }]);
  });

  it('when the input is wrong then each error is specific and nothing changes', async () => {
    const ref = await request();
    const pending = await request(true);
    const events = eventCount();
    expect(await command('U0OPS1', 'delivered CG-999')).toContain('There is no request CG-999');
    expect(await command('U0OPS1', 'delivered nonsense')).toContain('is not a request reference');
    expect(await command('U0OPS1', `delivered ${pending}`)).toContain('is pending, not cleared');
    expect(await command('U0FIN1', `delivered ${ref}`)).toContain('Only Operations owners may do this');
    expect(await command('U0SELLER', `delivered ${ref}`)).toContain('Only Operations owners');
    expect(await command('U0OPS1', `delivered ${ref} 2026-11-31`)).toContain('is not a date');
    expect(await command('U0OPS1', `delivered ${ref} 2026-11-30`)).toContain('after today');
    expect(await command('U0OPS1', `delivered ${ref} 11`)).toContain('Only 10 of');
    expect(await command('U0OPS1', `delivered ${ref} soon`)).toContain('neither a date nor a quantity');
    expect(eventCount()).toBe(events);
    expect(promiseRows()).toMatchObject([{ state: 'open', delivered_quantity: 0 }]);
  });
});

describe('/commit late, issue, paid, cancel', () => {
  it('when the seller records a slip then the promised date stays and the due date moves', async () => {
    const ref = await request();
    expect(await command('U0SELLER', `late ${ref} 2027-02-10 customer moved the site visit`)).toContain(
      'slip recorded',
    );
    expect(promiseRows()).toMatchObject([{ state: 'at_risk', due_on: '2027-02-10' }]);
    expect(await command('U0SELLER', `late ${ref} 2027-01-10 earlier`)).toContain(
      'must be after the promised',
    );
    expect(await command('U0SELLER', `late ${ref} 2027-02-10`)).toContain('Say why');
    expect(await command('U0FIN1', `late ${ref} 2027-02-11 x`)).toContain(
      'Only Operations owners or the seller',
    );
  });

  it('when quality, payments and cancel are used then only their roles may, each recorded', async () => {
    const ref = await request();
    expect(await command('U0QA1', `issue ${ref} rework dented`)).toContain('Nothing of');
    await command('U0OPS1', `delivered ${ref}`);
    expect(await command('U0OPS1', `issue ${ref} rework dented`)).toContain('Only Quality owners');
    expect(await command('U0QA1', `issue ${ref} rework two panels dented`)).toContain(
      'quality issue (rework) recorded',
    );
    expect(await command('U0FIN1', `paid ${ref} 2026-11-23 $40`)).toContain('payment recorded');
    expect(await command('U0FIN1', `paid ${ref} 2026-11-23 $99,999`)).toContain('still unpaid');
    expect(await command('U0FIN2', `paid ${ref}`)).toContain('paid in full');
    expect(await command('U0OPS1', `paid ${ref}`)).toContain('Only Finance owners');
    expect(await command('U0SELLER', `cancel ${ref} customer cancelled`)).toContain('already delivered');
    expect(promiseRows()).toMatchObject([{ state: 'delivered', paid_minor: 1_000_000 }]);
  });

  it('when the seller cancels then it is cancelled and later steps are refused', async () => {
    const ref = await request();
    expect(await command('U0OPS1', `cancel ${ref} x`)).toContain('Only the seller or leadership');
    expect(await command('U0SELLER', `cancel ${ref}`)).toContain('Say why');
    expect(await command('U0SELLER', `cancel ${ref} customer went elsewhere`)).toContain('promise cancelled');
    expect(await command('U0OPS1', `delivered ${ref}`)).toContain('was cancelled: customer went elsewhere');
    expect(await command('U0FIN1', `paid ${ref}`)).toContain('was cancelled');
  });
});

describe('/commit promises, show, help', () => {
  it('when promises are listed then soonest due first, filtered by open, late and due', async () => {
    const a = await request();
    const b = await request();
    await command('U0OPS1', `late ${a} 2027-03-01 parts`);
    const open = await command('U0SELLER', 'promises');
    expect(open.indexOf(b)).toBeGreaterThan(-1);
    expect(open.indexOf(b)).toBeLessThan(open.indexOf(a));
    const late = await command('U0SELLER', 'promises late');
    expect(late).toContain(a);
    expect(late).not.toContain(`*${b}*`);
    expect(await command('U0SELLER', 'promises due')).toContain('none');
    expect(await command('U0SELLER', 'promises soon')).toContain('is not a list');
  });

  it('when /commit show is asked then the promise line and every promise event are listed', async () => {
    const ref = await request();
    await command('U0OPS1', `delivered ${ref} 2026-11-23 4`);
    const shown = await command('U0SELLER', `show ${ref}`);
    expect(shown).toContain('Promised for Mon 1 Feb');
    expect(shown).toContain('recorded a part delivery of 4');
  });

  it('when /commit help is asked then every promise command is listed', async () => {
    const res = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: 'help' }));
    const body = JSON.stringify(res.json());
    for (const word of ['delivered', 'late', 'issue', 'paid', 'cancel', 'promises'])
      expect(body).toContain(`/commit ${word} `);
    assertValidMessage(res.json() as { text: string; blocks: unknown[] });
  });
});
