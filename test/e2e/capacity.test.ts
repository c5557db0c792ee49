// Capacity before promise, end to end over signed HTTP: the check on every submit (stored on the
// request and shown to operations), overrides by operations owners, load freed by a rejection,
// and concurrent submissions for the last free capacity. Widgets: 500 units a week.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import type { CapacityCheck } from '../../src/domain/capacity.js';
import { ACTIONS, CALLBACKS, REJECT_BLOCKS } from '../../src/slack/ids.js';
import { assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { exampleConfig } from '../support/config.js';
import { slashCommand, stateValue, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Block = { elements?: { action_id?: string; value?: string }[] };

let h: Harness;

beforeEach(async () => {
  // Operations alone signs off, so a single click makes load firm.
  h = await Harness.start({ config: exampleConfig({ rules: [{ require: ['operations'] }] }) });
});
afterEach(async () => {
  await h.stop();
});

const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);

function db() {
  return new Database(h.dbPath, { readonly: true });
}

function storedCheck(id: number): CapacityCheck {
  const sqlite = db();
  const raw = sqlite.prepare('SELECT capacity_check FROM requests WHERE id = ?').pluck().get(id) as string;
  sqlite.close();
  return JSON.parse(raw) as CapacityCheck;
}

/** Submits a widgets request (the ack must be the "submitted" modal) and returns that modal. */
async function submit(quantity: number, deliveryDate = '2026-12-09', productLineId = 'widgets') {
  const res = await h.submitRequest('U0SELLER', { productLineId, quantity: String(quantity), deliveryDate });
  const body = res.json() as { response_action: string; view: unknown };
  expect(body.response_action).toBe('update');
  assertValidModal(body.view);
  return body.view;
}

/** The operations sign-off message of a request, once posted. */
async function opsAsk(ref: string): Promise<RecordedCall> {
  const [ask] = await h.standIn.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      typeof c.args.thread_ts === 'string' &&
      String(c.args.text).includes(`Operations sign-off needed for ${ref} `),
  );
  return ask as RecordedCall;
}

async function parentOf(ref: string): Promise<RecordedCall> {
  const [parent] = await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && !c.args.thread_ts && String(c.args.text).startsWith(`${ref}:`),
  );
  return parent as RecordedCall;
}

function button(call: RecordedCall, actionId: string): string {
  for (const b of call.args.blocks as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
}

const tsOf = (call: RecordedCall) => (call.response as { ts: string }).ts;

async function approve(ref: string) {
  const ask = await opsAsk(ref);
  await h.click('U0OPS1', ACTIONS.approve, button(ask, ACTIONS.approve), tsOf(ask));
  await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && String(c.args.text).startsWith(`You may commit ${ref} `),
  );
}

async function reject(ref: string, reason: string) {
  const ask = await opsAsk(ref);
  const opened = h.standIn.callsTo('views.open').length;
  await h.click('U0OPS1', ACTIONS.reject, button(ask, ACTIONS.reject), tsOf(ask));
  const views = await h.standIn.waitFor('views.open', { count: opened + 1 });
  const view = views[opened]?.args.view as { private_metadata: string };
  const res = await h.slack.interaction(
    viewSubmission({
      userId: 'U0OPS1',
      callbackId: CALLBACKS.rejectModal,
      privateMetadata: view.private_metadata,
      values: { [REJECT_BLOCKS.reason]: { [`${REJECT_BLOCKS.reason}_input`]: stateValue.text(reason) } },
    }),
  );
  expect(res.status).toBe(200);
  await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && String(c.args.text).startsWith(`Do not commit ${ref}`),
  );
}

/** Runs `/commit <text>` as `userId` and returns the private answer sent to the response_url. */
async function command(userId: string, text: string): Promise<RecordedCall> {
  const before = h.standIn.callsTo('response_url').length;
  const res = await h.slack.slashCommand(slashCommand({ user_id: userId, text }));
  expect(res.status).toBe(200);
  const replies = await h.standIn.waitFor('response_url', { count: before + 1 });
  const reply = replies[before] as RecordedCall;
  expect(reply.args.response_type).toBe('ephemeral');
  assertValidMessage({ text: reply.args.text, blocks: reply.args.blocks });
  return reply;
}

function everyMessageIsValid() {
  for (const call of h.standIn.calls) {
    if ((call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.blocks)
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
  }
}

describe('the capacity check on submit', () => {
  it('when a request fits then the verdict and the numbers are on the parent, the operations ask and the submitted modal', async () => {
    const modal = await submit(120);
    expect(blocksText((modal as { blocks: unknown }).blocks)).toContain('Capacity: fits.');

    const parent = await parentOf('CG-1');
    const shown = blocksText(parent.args.blocks);
    expect(shown).toContain('Capacity: fits.');
    expect(shown).toContain(
      'Week of Mon 7 Dec 2026: capacity 500 units; firm 0, tentative 0, this request 120',
    );
    const ask = await opsAsk('CG-1');
    expect(blocksText(ask.args.blocks)).toContain('Capacity: fits.');
    everyMessageIsValid();

    expect(storedCheck(1)).toEqual({
      verdict: 'fits',
      productLineId: 'widgets',
      weekStart: '2026-12-07',
      capacity: 500,
      overridden: false,
      firm: 0,
      tentative: 0,
      thisRequest: 120,
      overBy: 0,
      earliestFeasibleDate: '2026-12-09',
      horizonWeeks: 0,
    });
  });

  it('when it fits only if pending requests fall through then it says so, with how far over and when it surely fits', async () => {
    await submit(300, '2026-12-07');
    await approve('CG-1'); // firm 300
    await submit(150, '2026-12-13'); // tentative 150, same week (Sunday)
    await submit(100, '2026-12-09');
    const parent = await parentOf('CG-3');
    const shown = blocksText(parent.args.blocks);
    expect(shown).toContain('Capacity: fits only if pending requests fall through');
    expect(shown).toContain('over by 50 units if they are all approved');
    expect(shown).toContain('firm 300, tentative 150, this request 100');
    expect(shown).toContain('Earliest date it fits: *Mon 14 Dec 2026*');
    expect(storedCheck(3)).toMatchObject({
      verdict: 'fits_if_pending_fall_through',
      overBy: 50,
      earliestFeasibleDate: '2026-12-14',
    });
    everyMessageIsValid();
  });

  it('when it is over capacity then the operations ask shows by how much and the earliest feasible date', async () => {
    await submit(450, '2026-12-08');
    await approve('CG-1');
    await submit(480, '2026-12-15');
    await approve('CG-2'); // the next week is nearly full too
    await submit(100, '2026-12-10');
    const ask = await opsAsk('CG-3');
    const shown = blocksText(ask.args.blocks);
    expect(shown).toContain('Capacity: over by 50 units.');
    expect(shown).toContain('firm 450, tentative 0, this request 100');
    expect(shown).toContain('Earliest date it fits: *Mon 21 Dec 2026*');
    expect(storedCheck(3)).toMatchObject({ verdict: 'over', overBy: 50, earliestFeasibleDate: '2026-12-21' });
    everyMessageIsValid();
  });

  it('when the product line has no capacity then the check is skipped and the message says so', async () => {
    await submit(10, '2027-02-01', 'gadgets');
    const parent = await parentOf('CG-1');
    expect(blocksText(parent.args.blocks)).toContain(
      'Capacity not checked*: Gadgets has no capacity per week configured',
    );
    expect(storedCheck(1)).toEqual({
      verdict: 'no_capacity_configured',
      productLineId: 'gadgets',
      weekStart: '2027-02-01',
    });
  });

  it('when a pending request is rejected then its load is freed for the next request at once', async () => {
    await submit(450);
    await submit(100);
    expect(storedCheck(2)).toMatchObject({ verdict: 'fits_if_pending_fall_through', tentative: 450 });
    await reject('CG-1', 'Customer cannot take a partial delivery');
    await submit(100);
    expect(storedCheck(3)).toMatchObject({ verdict: 'fits', firm: 0, tentative: 100 });
    // The snapshot of CG-2 stays as it was decided on.
    expect(storedCheck(2)).toMatchObject({ verdict: 'fits_if_pending_fall_through', tentative: 450 });
  });

  it('when two sellers submit for the last free capacity at once then both checks see consistent numbers', async () => {
    await submit(200);
    await approve('CG-1'); // 300 free
    const [a, b] = await Promise.all([
      h.submitRequest('U0SELLER', { productLineId: 'widgets', quantity: '300', deliveryDate: '2026-12-09' }),
      h.submitRequest('U0SELLER2', { productLineId: 'widgets', quantity: '300', deliveryDate: '2026-12-10' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const checks = [storedCheck(2), storedCheck(3)];
    // Whichever was stored first fits; the second one counts the first as tentative load.
    const first = checks.find((c) => c.verdict === 'fits');
    const second = checks.find((c) => c.verdict === 'fits_if_pending_fall_through');
    expect(first).toMatchObject({ firm: 200, tentative: 0, thisRequest: 300 });
    expect(second).toMatchObject({ firm: 200, tentative: 300, thisRequest: 300, overBy: 300 });
  });
});

describe('/commit capacity', () => {
  it('when an operations owner overrides a week then the next request is checked against it and the change is recorded', async () => {
    await submit(450);
    await approve('CG-1');
    await submit(100);
    expect(storedCheck(2)).toMatchObject({ verdict: 'over', overBy: 50 });

    const reply = await command('U0OPS2', 'capacity widgets 2026-12-09 650');
    expect(String(reply.args.text)).toContain(
      'Widgets capacity set to 650 units for the week of Mon 7 Dec 2026',
    );
    expect(blocksText(reply.args.blocks)).toContain('650*');

    await submit(100);
    expect(storedCheck(3)).toMatchObject({
      verdict: 'fits',
      capacity: 650,
      overridden: true,
      firm: 450,
      tentative: 100,
    });
    const parent = await parentOf('CG-3');
    expect(blocksText(parent.args.blocks)).toContain('capacity 650 units (set by operations for this week)');
    // CG-2 keeps the facts it was submitted with.
    expect(storedCheck(2)).toMatchObject({ verdict: 'over', capacity: 500, overridden: false });

    const sqlite = db();
    expect(
      sqlite.prepare('SELECT product_line_id, week_start, capacity, set_by FROM capacity_overrides').all(),
    ).toEqual([{ product_line_id: 'widgets', week_start: '2026-12-07', capacity: 650, set_by: 'U0OPS2' }]);
    const event = sqlite
      .prepare("SELECT request_id, actor_id, data FROM events WHERE type = 'capacity.overridden'")
      .get() as { request_id: number | null; actor_id: string; data: string };
    expect(event.request_id).toBeNull();
    expect(event.actor_id).toBe('U0OPS2');
    expect(JSON.parse(event.data)).toEqual({
      productLineId: 'widgets',
      weekStart: '2026-12-07',
      capacity: 650,
    });
    sqlite.close();
  });

  it('when an override is set again then the latest wins and both changes are in the history', async () => {
    await command('U0OPS1', 'capacity widgets 2026-12-07..2026-12-20 300');
    await command('U0OPS1', 'capacity Widgets 2026-12-14 0');
    const sqlite = db();
    expect(
      sqlite.prepare('SELECT week_start, capacity FROM capacity_overrides ORDER BY week_start').all(),
    ).toEqual([
      { week_start: '2026-12-07', capacity: 300 },
      { week_start: '2026-12-14', capacity: 0 },
    ]);
    expect(
      sqlite.prepare("SELECT count(*) FROM events WHERE type = 'capacity.overridden'").pluck().get(),
    ).toBe(3);
    sqlite.close();
    await submit(10, '2026-12-16');
    expect(storedCheck(1)).toMatchObject({
      verdict: 'over',
      capacity: 0,
      earliestFeasibleDate: '2026-12-21',
    });
  });

  it('when someone who is not an operations owner tries to set capacity then they are refused privately and nothing changes', async () => {
    const reply = await command('U0SELLER', 'capacity widgets 2026-12-07 5000');
    expect(String(reply.args.text)).toContain(
      'Only operations owners (<@U0OPS1>, <@U0OPS2>) can set capacity',
    );
    const sqlite = db();
    expect(sqlite.prepare('SELECT count(*) FROM capacity_overrides').pluck().get()).toBe(0);
    expect(sqlite.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    sqlite.close();
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('when the input is wrong then the answer says what is wrong and nothing changes', async () => {
    expect(String((await command('U0OPS1', 'capacity sprockets')).args.text)).toContain(
      'No product line "sprockets"',
    );
    expect(String((await command('U0OPS1', 'capacity widgets 2026-13-01 300')).args.text)).toContain(
      'is not a date',
    );
    expect(String((await command('U0OPS1', 'capacity widgets 2026-12-07 lots')).args.text)).toContain(
      'is not a capacity',
    );
    expect(String((await command('U0OPS1', 'capacity widgets 2026-11-09 300')).args.text)).toContain(
      'in the past',
    );
    expect(String((await command('U0OPS1', 'capacity gadgets 2026-12-07 300')).args.text)).toContain(
      'Gadgets has no capacity per week',
    );
    const sqlite = db();
    expect(sqlite.prepare('SELECT count(*) FROM capacity_overrides').pluck().get()).toBe(0);
    sqlite.close();
  });

  it('when anyone asks for one line then the next 8 weeks show as a table with load flags', async () => {
    await submit(460, '2026-11-25'); // this week: over 90%
    await submit(300, '2026-12-02');
    await approve('CG-2');
    await submit(250, '2026-12-03'); // next week: 550 of 500, over 100%
    const reply = await command('U0SELLER', 'capacity widgets');
    const shown = blocksText(reply.args.blocks);
    expect(shown).toContain('```');
    const rows = shown.split('\\n').filter((l) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(l));
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatch(/^Mon 23 Nov 2026\s+500\s+0\s+460\s+40\s+92%\s+! {2}over 90%$/);
    expect(rows[1]).toMatch(/^Mon 30 Nov 2026\s+500\s+300\s+250\s+0\s+110%\s+!! over 100%$/);
    expect(rows[2]).toMatch(/^Mon 7 Dec 2026\s+500\s+0\s+0\s+500\s+0%$/);
    expect(String(reply.args.text)).toContain('Widgets week of Mon 30 Nov 2026 over 100%');
  });

  it('when anyone asks for every line then each line has its table or says it is not checked', async () => {
    const reply = await command('U0SELLER', 'capacity');
    const shown = blocksText(reply.args.blocks);
    expect(shown).toContain('*Widgets* (units)');
    expect(shown).toContain('*Gadgets* (boxes): no capacity per week configured');
    expect(String(reply.args.text)).toContain('no week over 90%');
  });

  it('when /commit help is asked then capacity is listed', async () => {
    const res = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: 'help' }));
    expect(JSON.stringify(res.json())).toContain('/commit capacity');
  });
});
