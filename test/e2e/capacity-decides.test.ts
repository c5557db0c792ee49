// Capacity decides (issue 16), end to end over signed HTTP: live verdicts on every open card, the
// Reason asked when approving over capacity (checked again inside the decision), no silent
// clearance, orders bigger than a week (spread, split), competing requests and the fast lane.
// Widgets: 500 units a week; today is Mon 23 Nov 2026; the week of 14 Dec is 3 weeks out.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import type { Config } from '../../src/config.js';
import type { CapacityCheck } from '../../src/domain/capacity.js';
import { ACTIONS, CALLBACKS, OVER_CAPACITY_BLOCKS, PROPOSE_BLOCKS } from '../../src/slack/ids.js';
import { assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { exampleConfig, exampleConfigObject } from '../support/config.js';
import { blockAction, stateValue, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Block = { elements?: { action_id?: string; value?: string }[] };

let h: Harness;
afterEach(async () => {
  await h.stop();
});

const OPS_ONLY = { rules: [{ require: ['operations'] }] };
const start = async (config: Config) => {
  h = await Harness.start({ config });
};
const text = (blocks: unknown) => JSON.stringify(blocks ?? []);

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(h.dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const statusOf = (id: number) =>
  query<{ status: string }>('SELECT status FROM requests WHERE id = ?', id)[0]?.status;
const eventsOf = (id: number, type: string) =>
  query<{ data: string; actor_id: string | null }>(
    'SELECT data, actor_id FROM events WHERE request_id = ? AND type = ? ORDER BY id',
    id,
    type,
  ).map((r) => ({ actor: r.actor_id, data: JSON.parse(r.data) as Record<string, unknown> }));

async function submit(quantity: number, deliveryDate = '2026-12-16', extra: Record<string, string> = {}) {
  const res = await h.submitRequest('U0SELLER', {
    productLineId: 'widgets',
    quantity: String(quantity),
    deliveryDate,
    ...extra,
  });
  const body = res.json() as { response_action: string; view: unknown };
  expect(body.response_action).toBe('update');
  assertValidModal(body.view);
  return text((body.view as { blocks: unknown }).blocks);
}

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

/** Waits until the message at `ts` (as Slack now holds it) contains every fragment. */
async function cardSays(ts: string, ...fragments: string[]) {
  const holds = () => {
    const m = h.standIn.message(h.config.channels.requests, ts);
    const shown = text(m?.blocks);
    return fragments.every((f) => shown.includes(f));
  };
  if (!holds()) await h.standIn.waitFor(() => holds());
  return text(h.standIn.message(h.config.channels.requests, ts)?.blocks);
}

async function clickApprove(ref: string, userId = 'U0OPS1') {
  const ask = await opsAsk(ref);
  return h.click(userId, ACTIONS.approve, button(ask, ACTIONS.approve), tsOf(ask));
}
const sellerTold = (ref: string) =>
  h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && String(c.args.text).startsWith(`You may commit ${ref}`),
  );

function everyMessageIsValid() {
  for (const call of h.standIn.calls)
    if ((call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.blocks)
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
}

/** Opens the over-capacity modal expected from the click and submits it with `reason`. */
async function approveOverCapacity(ref: string, reason: string, userId = 'U0OPS1') {
  const opened = h.standIn.callsTo('views.open').length;
  await clickApprove(ref, userId);
  const views = await h.standIn.waitFor('views.open', { count: opened + 1 });
  const view = views[opened]?.args.view as { callback_id: string; private_metadata: string; blocks: unknown };
  expect(view.callback_id).toBe(CALLBACKS.overCapacityModal);
  assertValidModal(view);
  expect(text(view.blocks)).toContain('"label":{"type":"plain_text","text":"Reason"');
  return h.slack.interaction(
    viewSubmission({
      userId,
      callbackId: CALLBACKS.overCapacityModal,
      privateMetadata: view.private_metadata,
      values: {
        [OVER_CAPACITY_BLOCKS.reason]: { [`${OVER_CAPACITY_BLOCKS.reason}_input`]: stateValue.text(reason) },
      },
    }),
  );
}

describe('the live verdict, competing requests and approving over capacity', () => {
  it('when two pending requests overbook a week and the first is approved then the second card turns red at once, and approving it asks a reason shown everywhere', async () => {
    await start(exampleConfig(OPS_ONLY));
    await submit(300); // CG-1
    await submit(440); // CG-2: each fits alone, together 740 of 500
    const ask1 = await opsAsk('CG-1');
    const ask2 = await opsAsk('CG-2');
    // They name each other (CG-1's card was posted before CG-2 existed: it is re-rendered live).
    await cardSays(
      tsOf(ask2),
      'Competes with CG-1* for the week of Mon 14 Dec 2026: together 740 of 500 units',
    );
    await cardSays(
      tsOf(ask1),
      'Competes with CG-2* for the week of Mon 14 Dec 2026: together 740 of 500 units',
    );

    await clickApprove('CG-1');
    await sellerTold('CG-1');
    // The first approved takes the capacity: CG-2's card and parent are red with today's figures.
    const parent2 = await parentOf('CG-2');
    const card = await cardSays(
      tsOf(ask2),
      'Capacity: over by 240 units.',
      'firm 300, tentative 0, this request 440',
    );
    expect(card).toContain('Earliest date it fits: *Mon 21 Dec 2026*');
    expect(card).not.toContain('Competes with');
    await cardSays(tsOf(parent2), 'Capacity: over by 240 units.');
    // The figures at submit stay in the history.
    expect(eventsOf(2, 'request.submitted')[0]?.data.capacityCheck).toMatchObject({
      verdict: 'fits_if_pending_fall_through',
      firm: 0,
      tentative: 300,
    });

    // No plain approval over capacity: a Reason is asked, and nothing is recorded before it.
    const res = await approveOverCapacity('CG-2', 'Saturday overtime covers the 240');
    expect(res.status).toBe(200);
    await sellerTold('CG-2');
    expect(statusOf(2)).toBe('approved');
    expect(eventsOf(2, 'signoff.approved')).toEqual([
      {
        actor: 'U0OPS1',
        data: expect.objectContaining({
          overCapacity: true,
          overCapacityReason: 'Saturday overtime covers the 240',
        }),
      },
    ]);
    const dm = h.standIn
      .callsTo('chat.postMessage')
      .find((c) => String(c.args.text).startsWith('You may commit CG-2'));
    expect(text(dm?.args.blocks)).toContain(
      '*Approved over capacity*: Operations (<@U0OPS1>): Saturday overtime covers the 240',
    );
    await cardSays(tsOf(ask2), '*over capacity*: Saturday overtime covers the 240');
    await cardSays(tsOf(parent2), '*over capacity*: Saturday overtime covers the 240');
    everyMessageIsValid();
  });

  it('when two owners approve two requests for the last free units at once then the second sees the first and must give a reason', async () => {
    await start(exampleConfig(OPS_ONLY));
    await submit(300);
    await submit(300);
    const [a, b] = [await opsAsk('CG-1'), await opsAsk('CG-2')];
    const opened = h.standIn.callsTo('views.open').length;
    await Promise.all([
      h.click('U0OPS1', ACTIONS.approve, button(a, ACTIONS.approve), tsOf(a)),
      h.click('U0OPS2', ACTIONS.approve, button(b, ACTIONS.approve), tsOf(b)),
    ]);
    const views = await h.standIn.waitFor('views.open', { count: opened + 1 });
    const view = views[opened]?.args.view as { callback_id: string } | undefined;
    expect(view?.callback_id).toBe(CALLBACKS.overCapacityModal);
    await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && String(c.args.text).startsWith('You may commit CG-'),
    );
    const statuses = [statusOf(1), statusOf(2)].sort();
    expect(statuses).toEqual(['approved', 'pending']);
    expect(query('SELECT 1 FROM events WHERE type = ?', 'signoff.approved')).toHaveLength(1);
  });
});

describe('never silently over capacity', () => {
  it('when no rule matches 900 units three days out then it is not cleared but asks Operations, saying why', async () => {
    await start(exampleConfig({ rules: [] }));
    await submit(900, '2026-11-26');
    const ask = await opsAsk('CG-1');
    expect(text(ask.args.blocks)).toContain('over capacity: never cleared without a sign-off');
    expect(text(ask.args.blocks)).toContain('Capacity: over by 400 units.');
    expect(statusOf(1)).toBe('pending');
    expect(eventsOf(1, 'request.approved')).toEqual([]);
    const parent = await parentOf('CG-1');
    expect(text(parent.args.blocks)).toContain('is waiting for 1 of 1 sign-offs');
  });

  it('when a rule says capacity: over then that function is asked too, and not when it fits', async () => {
    await start(
      exampleConfig({
        rules: [{ require: ['operations'] }, { when: { capacity: 'over' }, require: ['people'] }],
      }),
    );
    await submit(600); // over
    await submit(100, '2026-12-23'); // fits
    const people = query<{ request_id: number; required_by: string }>(
      "SELECT request_id, required_by FROM sign_offs WHERE function_id = 'people'",
    );
    expect(people).toEqual([{ request_id: 1, required_by: '["over capacity"]' }]);
  });
});

describe('an accepted date that is still over capacity', () => {
  it('when the seller accepts a proposed date at which the request is still over then it is not cleared: the proposer is asked again and must approve with a reason', async () => {
    await start(exampleConfig(OPS_ONLY));
    await submit(600); // 600 of 500 in any week: over at every date
    const ask = await opsAsk('CG-1');
    await h.click('U0OPS1', ACTIONS.proposeDate, button(ask, ACTIONS.proposeDate), tsOf(ask));
    const [opened] = await h.standIn.waitFor('views.open');
    const view = opened?.args.view as { private_metadata: string };
    await h.slack.interaction(
      viewSubmission({
        userId: 'U0OPS1',
        callbackId: CALLBACKS.proposeDateModal,
        privateMetadata: view.private_metadata,
        values: {
          [PROPOSE_BLOCKS.date]: { [`${PROPOSE_BLOCKS.date}_input`]: stateValue.date('2027-01-20') },
        },
      }),
    );
    const [dm] = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        String(c.args.channel).startsWith('D') &&
        text(c.args.blocks).includes(ACTIONS.counterAccept),
    );
    await h.slack.interaction(
      blockAction({
        userId: 'U0SELLER',
        actionId: ACTIONS.counterAccept,
        value: button(dm as RecordedCall, ACTIONS.counterAccept),
        channelId: String(dm?.args.channel),
        messageTs: tsOf(dm as RecordedCall),
      }),
    );
    const [answer] = await h.standIn.waitFor('response_url');
    expect(String(answer?.args.text)).toContain('still over capacity on that date');
    const [notice] = await h.standIn.waitFor(
      (c) => typeof c.args.thread_ts === 'string' && String(c.args.text).includes('delivery date moved'),
    );
    expect(String(notice?.args.text)).toContain(
      'CG-1 is still over capacity on the new date, so that proposal is not an approval: an owner of Operations must Approve and give a reason',
    );
    expect(String(notice?.args.text)).toContain('Still to decide, on the new date: Operations');
    expect(query('SELECT status, delivery_date AS d FROM requests')).toEqual([
      { status: 'pending', d: '2027-01-20' },
    ]);
    expect(query('SELECT status, proposed_date AS p FROM sign_offs')).toEqual([
      { status: 'pending', p: null },
    ]);
    expect(query('SELECT count(*) AS n FROM sign_off_approvals')).toEqual([{ n: 0 }]);
    expect(eventsOf(1, 'counter.accepted').map((e) => e.data)).toEqual([
      expect.objectContaining({ date: '2027-01-20', overCapacity: true }),
    ]);
    expect(eventsOf(1, 'request.approved')).toEqual([]);

    // The card asks again; a plain Approve asks for the reason, and with one it clears.
    await cardSays(tsOf(ask), ACTIONS.approve);
    const res = await approveOverCapacity('CG-1', 'Overtime on line 2 in January');
    expect(res.status).toBe(200);
    await sellerTold('CG-1');
    expect(statusOf(1)).toBe('approved');
    everyMessageIsValid();
  });

  it('when the seller accepts a proposed date at which it fits then the proposer counts as approved and it clears', async () => {
    await start(exampleConfig(OPS_ONLY));
    await submit(400, '2026-12-16');
    await submit(400, '2026-12-16'); // CG-2: tight (800 of 500 counting CG-1 pending), fits in January
    const ask = await opsAsk('CG-2');
    await h.click('U0OPS1', ACTIONS.proposeDate, button(ask, ACTIONS.proposeDate), tsOf(ask));
    const [opened] = await h.standIn.waitFor('views.open');
    const view = opened?.args.view as { private_metadata: string };
    await h.slack.interaction(
      viewSubmission({
        userId: 'U0OPS1',
        callbackId: CALLBACKS.proposeDateModal,
        privateMetadata: view.private_metadata,
        values: {
          [PROPOSE_BLOCKS.date]: { [`${PROPOSE_BLOCKS.date}_input`]: stateValue.date('2027-01-20') },
        },
      }),
    );
    const [dm] = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        String(c.args.channel).startsWith('D') &&
        text(c.args.blocks).includes(ACTIONS.counterAccept),
    );
    await h.slack.interaction(
      blockAction({
        userId: 'U0SELLER',
        actionId: ACTIONS.counterAccept,
        value: button(dm as RecordedCall, ACTIONS.counterAccept),
        channelId: String(dm?.args.channel),
        messageTs: tsOf(dm as RecordedCall),
      }),
    );
    await sellerTold('CG-2');
    expect(statusOf(2)).toBe('approved');
    expect(eventsOf(2, 'counter.accepted').map((e) => e.data.overCapacity)).toEqual([undefined]);
  });
});

describe('orders bigger than a week', () => {
  it('when a spread line gets 900 units due in three weeks then it fits over the weeks before and is promised on a plain approval', async () => {
    const raw = exampleConfigObject();
    const lines = raw.product_lines as Record<string, unknown>[];
    lines[0] = { ...lines[0], load: 'spread' };
    await start(exampleConfig({ product_lines: lines, ...OPS_ONLY }));
    await submit(900);
    const ask = await opsAsk('CG-1');
    expect(text(ask.args.blocks)).toContain('Capacity: fits.');
    expect(text(ask.args.blocks)).toContain(
      'Made over the weeks of Mon 23 Nov 2026 to Mon 14 Dec 2026: capacity 2,000 units',
    );
    await clickApprove('CG-1');
    await sellerTold('CG-1');
    expect(statusOf(1)).toBe('approved');
    // The load tables use the same rule: 500 in the week of 14 Dec, 400 the week before.
    const check = JSON.parse(
      query<{ c: string }>('SELECT capacity_check AS c FROM requests WHERE id = 1')[0]?.c ?? '{}',
    ) as CapacityCheck;
    expect(check).toMatchObject({ verdict: 'fits', load: 'spread', fromWeek: '2026-11-23' });
  });

  it('when a due_week line gets 900 units then Operations proposes the split, the seller accepts it, and it is one promise whose parts load their own weeks', async () => {
    await start(exampleConfig(OPS_ONLY));
    await submit(100, '2026-12-14');
    await clickApprove('CG-1');
    await sellerTold('CG-1');
    await submit(900, '2026-12-14');
    const ask = await opsAsk('CG-2');
    expect(text(ask.args.blocks)).toContain(
      'it fits in parts: *400 by Mon 14 Dec 2026, 500 by Mon 21 Dec 2026*',
    );
    await h.click('U0OPS1', ACTIONS.proposeSplit, button(ask, ACTIONS.proposeSplit), tsOf(ask));
    const [dm] = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        String(c.args.channel).startsWith('D') &&
        text(c.args.blocks).includes(ACTIONS.counterAccept),
    );
    expect(text(dm?.args.blocks)).toContain('can in parts: *400 by Mon 14 Dec 2026, 500 by Mon 21 Dec 2026*');
    await h.slack.interaction(
      blockAction({
        userId: 'U0SELLER',
        actionId: ACTIONS.counterAccept,
        value: button(dm as RecordedCall, ACTIONS.counterAccept),
        channelId: String(dm?.args.channel),
        messageTs: tsOf(dm as RecordedCall),
      }),
    );
    await sellerTold('CG-2');
    expect(statusOf(2)).toBe('approved');
    const row = query<{ d: string; plan: string }>(
      'SELECT delivery_date AS d, split_plan AS plan FROM requests WHERE id = 2',
    )[0];
    expect(row?.d).toBe('2026-12-21');
    expect(JSON.parse(row?.plan ?? 'null')).toEqual([
      { quantity: 400, by: '2026-12-14' },
      { quantity: 500, by: '2026-12-21' },
    ]);
    // One promise for the whole quantity, due on the last part's date.
    expect(query('SELECT quantity, promised_on FROM promises WHERE request_id = 2')).toEqual([
      { quantity: 900, promised_on: '2026-12-21' },
    ]);
    // Each part loads its own week: the week of 14 Dec is exactly full (100 + 400), 21 Dec has 0 left.
    await submit(1, '2026-12-15');
    await submit(1, '2026-12-22');
    const checks = query<{ c: string }>(
      'SELECT capacity_check AS c FROM requests WHERE id IN (3, 4) ORDER BY id',
    ).map((r) => JSON.parse(r.c) as CapacityCheck);
    expect(checks.map((c) => c.verdict !== 'no_capacity_configured' && [c.verdict, c.firm])).toEqual([
      ['over', 500],
      ['over', 500],
    ]);
    everyMessageIsValid();
  });
});

describe('the fast lane', () => {
  const lane = {
    max_value: 20000,
    max_discount_percent: 10,
    max_payment_terms_days: 30,
    product_lines: ['widgets'],
  };

  it('when a request is within every ceiling then it is cleared at once, posted with its reasons, and is approved like any other', async () => {
    await start(exampleConfig({ fast_lane: lane }));
    const ack = await submit(100, '2026-12-16', { value: '20000', discountPercent: '10' });
    expect(ack).toContain('*Cleared on the fast lane*: value $20,000.00 within $20,000.00');
    const parent = await parentOf('CG-1');
    const shown = text(parent.args.blocks);
    expect(parent.args.channel).toBe('C0REQUESTS');
    expect(shown).toContain(
      'CG-1 is cleared on the fast lane*: value $20,000.00 within $20,000.00; discount 10% within 10%',
    );
    await sellerTold('CG-1');
    expect(statusOf(1)).toBe('approved');
    expect(query('SELECT 1 FROM sign_offs')).toEqual([]);
    expect(eventsOf(1, 'request.approved')[0]?.data).toMatchObject({
      fastLane: true,
      reasons: expect.arrayContaining(['capacity fits', 'no payment overdue for this customer']),
    });
    everyMessageIsValid();
  });

  it('when a request misses the lane by one ceiling then it waits for its sign-offs as usual', async () => {
    await start(exampleConfig({ fast_lane: lane }));
    await submit(100, '2026-12-16', { value: '20000', discountPercent: '10.5' });
    await opsAsk('CG-1');
    expect(statusOf(1)).toBe('pending');
    expect(query<{ f: string }>('SELECT function_id AS f FROM sign_offs ORDER BY id')).toEqual([
      { f: 'operations' },
      { f: 'quality' },
    ]);
    expect(eventsOf(1, 'request.approved')).toEqual([]);
  });
});
