// Negotiation end to end over signed HTTP: conditions, a proposed date accepted or declined,
// withdrawal, leadership override, quorum, and a burst of concurrent decisions.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import {
  ACTIONS,
  CALLBACKS,
  CHANGES_BLOCKS,
  CONDITIONS_BLOCKS,
  OVERRIDE_BLOCKS,
  PROPOSE_BLOCKS,
  WITHDRAW_BLOCKS,
} from '../../src/slack/ids.js';
import { assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { exampleConfig } from '../support/config.js';
import {
  blockAction,
  type StateValues,
  slashCommand,
  stateValue,
  viewSubmission,
} from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };

let h: Harness;

beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

const textOf = (call: RecordedCall | undefined) =>
  `${String(call?.args.text)}\n${JSON.stringify(call?.args.blocks ?? [])}`;
const tsOf = (call: RecordedCall | undefined) => (call?.response as { ts?: string } | undefined)?.ts ?? '';

function buttonValue(blocks: unknown, actionId: string): string {
  for (const b of (blocks ?? []) as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
}

function db() {
  return new Database(h.dbPath, { readonly: true });
}

function query<T>(sql: string): T[] {
  const sqlite = db();
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}

const isDm = (c: RecordedCall) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D');
const isThread = (c: RecordedCall) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string';

function everySurfaceIsValid() {
  for (const call of h.standIn.calls) {
    if ((call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.blocks)
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
    if (call.method === 'chat.postEphemeral') expect(String(call.args.text)).not.toBe('');
    if (call.method === 'views.open') assertValidModal(call.args.view as object);
  }
}

/** Submits a request and returns its thread asks, in function order. */
async function submit(
  values: Parameters<Harness['submitRequest']>[1],
  asks: number,
): Promise<RecordedCall[]> {
  await h.submitRequest('U0SELLER', values);
  return h.standIn.waitFor(isThread, { count: asks });
}

async function clickThread(userId: string, actionId: string, ask: RecordedCall) {
  return h.click(userId, actionId, buttonValue(ask.args.blocks, actionId), tsOf(ask));
}

/** Clicks a button on the parent message (the requests channel, not in a thread). */
async function clickParent(userId: string, actionId: string) {
  await h.runtime.dispatcher.drain();
  const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
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
  const view = opened[count - 1]?.args.view as { private_metadata: string };
  assertValidModal(view);
  return view.private_metadata;
}

function submitModal(userId: string, callbackId: string, privateMetadata: string, values: StateValues) {
  return h.slack.interaction(viewSubmission({ userId, callbackId, privateMetadata, values }));
}

const text = (blockId: string, value: string | null): StateValues => ({
  [blockId]: { [`${blockId}_input`]: stateValue.text(value) },
});

async function ephemerals(count: number) {
  return h.standIn.waitFor('chat.postEphemeral', { count });
}

describe('approve with conditions', () => {
  it('when an owner approves with conditions then they are shown in the thread, on the parent and in the seller DM', async () => {
    const [ask] = await submit({ productLineId: 'gadgets' }, 1);
    await clickThread('U0OPS1', ACTIONS.approveWithConditions, ask as RecordedCall);
    const meta = await modalOpened(CALLBACKS.conditionsModal);

    const empty = await submitModal(
      'U0OPS1',
      CALLBACKS.conditionsModal,
      meta,
      text(CONDITIONS_BLOCKS.conditions, ' '),
    );
    expect(empty.json()).toMatchObject({
      response_action: 'errors',
      errors: { conditions: expect.any(String) },
    });

    const ok = await submitModal(
      'U0OPS1',
      CALLBACKS.conditionsModal,
      meta,
      text(CONDITIONS_BLOCKS.conditions, 'Skip the custom finish'),
    );
    expect(ok.status).toBe(200);
    const [dm] = await h.standIn.waitFor(isDm);
    expect(textOf(dm)).toContain('You may commit CG-1');
    expect(textOf(dm)).toContain('On these conditions');
    expect(textOf(dm)).toContain('Skip the custom finish');
    await h.runtime.dispatcher.drain();
    expect(JSON.stringify(h.standIn.message('C0REQUESTS', tsOf(ask))?.blocks)).toContain(
      'with conditions: Skip the custom finish',
    );
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(JSON.stringify(parent?.blocks)).toContain('*Conditions*');
    expect(query<{ conditions: string }>('SELECT conditions FROM sign_off_approvals')).toEqual([
      { conditions: 'Skip the custom finish' },
    ]);
    expect(
      query<{ type: string; data: string }>(
        "SELECT type, data FROM events WHERE type = 'signoff.approved'",
      )[0]?.data,
    ).toContain('Skip the custom finish');
    everySurfaceIsValid();
  });

  it('when a non-owner clicks Approve with conditions then no modal opens and they are told privately', async () => {
    const [ask] = await submit({ productLineId: 'gadgets' }, 1);
    await clickThread('U0QA1', ACTIONS.approveWithConditions, ask as RecordedCall);
    const [eph] = await ephemerals(1);
    expect(String(eph?.args.text)).toContain('Only an owner of Operations');
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
  });
});

describe('proposing a feasible date', () => {
  async function propose(date: string, note: string | null) {
    const asks = await submit({ productLineId: 'widgets', deliveryDate: '2027-01-15' }, 2);
    const qa = asks[1] as RecordedCall;
    await clickThread('U0QA1', ACTIONS.proposeDate, qa);
    const meta = await modalOpened(CALLBACKS.proposeDateModal);
    const values = (d: string): StateValues => ({
      [PROPOSE_BLOCKS.date]: { [`${PROPOSE_BLOCKS.date}_input`]: stateValue.date(d) },
      ...text(PROPOSE_BLOCKS.note, note),
    });
    const early = await submitModal('U0QA1', CALLBACKS.proposeDateModal, meta, values('2027-01-10'));
    expect(early.json()).toMatchObject({
      response_action: 'errors',
      errors: { [PROPOSE_BLOCKS.date]: expect.stringContaining('later than') },
    });
    const ok = await submitModal('U0QA1', CALLBACKS.proposeDateModal, meta, values(date));
    expect(ok.status).toBe(200);
    const [dm] = await h.standIn.waitFor(isDm);
    return { asks, qa, dm: dm as RecordedCall };
  }

  function clickDm(userId: string, actionId: string, dm: RecordedCall) {
    return h.slack.interaction(
      blockAction({
        userId,
        actionId,
        value: buttonValue(dm.args.blocks, actionId),
        channelId: String(dm.args.channel),
        messageTs: tsOf(dm),
      }),
    );
  }

  it('when the seller accepts the proposed date then the date moves, the function approves and the others are told', async () => {
    const { asks, qa, dm } = await propose('2027-01-29', 'Line 2 frees up on the 25th');
    expect(textOf(dm)).toContain('Quality cannot deliver CG-1');
    expect(textOf(dm)).toContain('Line 2 frees up on the 25th');
    await h.runtime.dispatcher.drain();
    // While the seller decides, the sign-off shows the proposal instead of buttons.
    expect(JSON.stringify(h.standIn.message('C0REQUESTS', tsOf(qa))?.blocks)).toContain(
      'Waiting for the seller',
    );

    await clickDm('U0OPS1', ACTIONS.counterAccept, dm);
    const [refused] = await ephemerals(1);
    expect(String(refused?.args.text)).toContain('Only the seller of CG-1');

    await clickDm('U0SELLER', ACTIONS.counterAccept, dm);
    const [accepted] = await h.standIn.waitFor('response_url');
    expect(String(accepted?.args.text)).toContain('Accepted: the delivery date is now');
    // The DM was replaced: its Accept/Decline buttons are gone.
    const dmNow = h.standIn.message(String(dm.args.channel), tsOf(dm));
    expect(JSON.stringify(dmNow?.blocks ?? [])).not.toContain(ACTIONS.counterAccept);
    const notices = await h.standIn.waitFor((c) => isThread(c) && textOf(c).includes('delivery date moved'));
    expect(textOf(notices[0])).toContain('Still to decide, on the new date: Operations');
    expect(query('SELECT delivery_date, status FROM requests')).toEqual([
      { delivery_date: '2027-01-29', status: 'pending' },
    ]);
    expect(query("SELECT status FROM sign_offs WHERE function_id = 'quality'")).toEqual([
      { status: 'approved' },
    ]);

    // A second click on the answered DM changes nothing.
    await clickDm('U0SELLER', ACTIONS.counterDecline, dm);
    const second = await ephemerals(2);
    expect(String(second[1]?.args.text)).toContain('no proposed date waiting');

    await clickThread('U0OPS2', ACTIONS.approve, asks[0] as RecordedCall);
    const outcome = await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit'));
    expect(textOf(outcome[0])).toContain('deliver by Fri 29 Jan 2027.');
    expect(query<{ type: string }>('SELECT type FROM events ORDER BY id').map((e) => e.type)).toEqual([
      'request.submitted',
      'signoff.date_proposed',
      'counter.accepted',
      'signoff.approved',
      'request.approved',
    ]);
    everySurfaceIsValid();
  });

  it('when the seller declines the proposed date then the request is rejected with that reason', async () => {
    const { dm } = await propose('2027-02-05', null);
    await clickDm('U0SELLER', ACTIONS.counterDecline, dm);
    const outcome = await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('Do not commit'));
    expect(textOf(outcome[0])).toContain('2027-02-05 was proposed');
    expect(query('SELECT status FROM requests')).toEqual([{ status: 'rejected' }]);
    expect(query<{ type: string }>('SELECT type FROM events ORDER BY id').map((e) => e.type)).toEqual([
      'request.submitted',
      'signoff.date_proposed',
      'counter.declined',
      'request.rejected',
    ]);
    everySurfaceIsValid();
  });

  it('when an owner clicks Approve while a date waits for the seller then they are told and nothing changes', async () => {
    const { qa } = await propose('2027-01-29', null);
    await h.click('U0QA1', ACTIONS.approve, buttonValue(qa.args.blocks, ACTIONS.approve), tsOf(qa));
    const [eph] = await ephemerals(1);
    expect(String(eph?.args.text)).toContain("waits for the seller's answer");
    expect(query('SELECT count(*) AS n FROM sign_off_approvals')).toEqual([{ n: 0 }]);
  });
});

describe('withdrawing', () => {
  it('when the seller withdraws then owners are told in the thread and no button works afterwards', async () => {
    const [ask] = await submit({ productLineId: 'gadgets' }, 1);
    await clickParent('U0OPS1', ACTIONS.withdraw);
    const [refused] = await ephemerals(1);
    expect(String(refused?.args.text)).toContain('Only the seller of CG-1');

    await clickParent('U0SELLER', ACTIONS.withdraw);
    const meta = await modalOpened(CALLBACKS.withdrawModal);
    const ok = await submitModal(
      'U0SELLER',
      CALLBACKS.withdrawModal,
      meta,
      text(WITHDRAW_BLOCKS.reason, 'Customer went elsewhere'),
    );
    expect(ok.status).toBe(200);
    const notice = await h.standIn.waitFor((c) => isThread(c) && textOf(c).includes('was withdrawn'));
    expect(textOf(notice[0])).toContain('Customer went elsewhere');
    await h.runtime.dispatcher.drain();
    expect(JSON.stringify(h.standIn.message('C0REQUESTS', tsOf(ask))?.blocks)).not.toContain(ACTIONS.approve);

    await clickThread('U0OPS1', ACTIONS.approve, ask as RecordedCall);
    const after = await ephemerals(2);
    expect(String(after[1]?.args.text)).toContain('CG-1 is already withdrawn');
    expect(query('SELECT status, withdraw_reason FROM requests')).toEqual([
      { status: 'withdrawn', withdraw_reason: 'Customer went elsewhere' },
    ]);
    expect(query("SELECT type, actor_id FROM events WHERE type = 'request.withdrawn'")).toEqual([
      { type: 'request.withdrawn', actor_id: 'U0SELLER' },
    ]);
    everySurfaceIsValid();
  });
});

describe('leadership override', () => {
  async function rejected() {
    const [ask] = await submit({ productLineId: 'gadgets' }, 1);
    await clickThread('U0OPS1', ACTIONS.reject, ask as RecordedCall);
    const meta = await modalOpened(CALLBACKS.rejectModal);
    await submitModal('U0OPS1', CALLBACKS.rejectModal, meta, text('reason', 'Line 2 is full'));
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('Do not commit'));
  }

  it('when a non-leader clicks Override then they are refused privately and nothing changes', async () => {
    await rejected();
    await clickParent('U0OPS2', ACTIONS.override);
    const [eph] = await ephemerals(1);
    expect(String(eph?.args.text)).toContain('Only a member of leadership');
    expect(h.standIn.callsTo('views.open')).toHaveLength(1); // the reject modal only
    // A forged submission of the override form (with the request's real button key) is refused too.
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    const forged = await submitModal(
      'U0OPS2',
      CALLBACKS.overrideModal,
      buttonValue(parent?.blocks, ACTIONS.override),
      text(OVERRIDE_BLOCKS.reason, 'I say so'),
    );
    expect(forged.json()).toMatchObject({ response_action: 'errors' });
    expect(query('SELECT status, overridden_by FROM requests')).toEqual([
      { status: 'rejected', overridden_by: null },
    ]);
  });

  it('when a leader overrides with a reason then it is approved by override, shown plainly and recorded', async () => {
    await rejected();
    await clickParent('U0CEO', ACTIONS.override);
    const meta = await modalOpened(CALLBACKS.overrideModal);
    const empty = await submitModal('U0CEO', CALLBACKS.overrideModal, meta, text(OVERRIDE_BLOCKS.reason, ''));
    expect(empty.json()).toMatchObject({ response_action: 'errors' });
    await submitModal(
      'U0CEO',
      CALLBACKS.overrideModal,
      meta,
      text(OVERRIDE_BLOCKS.reason, 'Strategic account'),
    );
    const dms = await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('approved by override'));
    expect(textOf(dms[0])).toContain('You may commit CG-1');
    await h.runtime.dispatcher.drain();
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(JSON.stringify(parent?.blocks)).toContain('approved by override');
    expect(JSON.stringify(parent?.blocks)).toContain('Strategic account');
    expect(query('SELECT status, overridden_by, override_reason FROM requests')).toEqual([
      { status: 'approved', overridden_by: 'U0CEO', override_reason: 'Strategic account' },
    ]);
    expect(query<{ type: string }>('SELECT type FROM events ORDER BY id').map((e) => e.type)).toEqual([
      'request.submitted',
      'signoff.rejected',
      'request.rejected',
      'request.overridden',
    ]);
    everySurfaceIsValid();
  });
});

describe('quorum', () => {
  it('when a function needs two approvals then the thread shows who approved and how many are still needed', async () => {
    await h.stop();
    h = await Harness.start({ config: exampleConfig({ rules: [{ require: ['finance'] }] }) });
    const [ask] = await submit({ productLineId: 'gadgets' }, 1);
    await clickThread('U0FIN1', ACTIONS.approve, ask as RecordedCall);
    await clickThread('U0FIN1', ACTIONS.approve, ask as RecordedCall);
    await ephemerals(1);
    await h.runtime.dispatcher.drain();
    const shown = JSON.stringify(h.standIn.message('C0REQUESTS', tsOf(ask))?.blocks);
    expect(shown).toContain('1 of 2 approvals: <@U0FIN1>; 1 more needed');
    expect(shown).toContain(ACTIONS.approve);
    await clickThread('U0FIN2', ACTIONS.approve, ask as RecordedCall);
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit'));
    expect(query('SELECT status FROM requests')).toEqual([{ status: 'approved' }]);
  });
});

describe('a burst of concurrent decisions', () => {
  it('when every owner, a double-clicker and the seller withdrawing act at once then one consistent state results', async () => {
    const asks = await submit(
      { productLineId: 'widgets', value: '75000', paymentTermsDays: '60', deliveryDate: '2026-12-01' },
      4,
    );
    const [ops, qa, fin, hr] = asks as [RecordedCall, RecordedCall, RecordedCall, RecordedCall];
    await Promise.all([
      clickThread('U0OPS1', ACTIONS.approve, ops),
      clickThread('U0OPS2', ACTIONS.approve, ops),
      clickThread('U0QA1', ACTIONS.approve, qa),
      clickThread('U0QA1', ACTIONS.approve, qa),
      clickThread('U0FIN1', ACTIONS.approve, fin),
      clickThread('U0FIN1', ACTIONS.approve, fin),
      clickThread('U0FIN2', ACTIONS.approve, fin),
      clickThread('U0HR1', ACTIONS.approve, hr),
      submitModal(
        'U0SELLER',
        CALLBACKS.withdrawModal,
        JSON.stringify({ r: 1, v: 1 }),
        text(WITHDRAW_BLOCKS.reason, null),
      ),
    ]);
    // Button decisions are taken after the ack: wait until all eight clicks have been answered.
    await vi.waitFor(() =>
      expect(h.logs.filter((l) => /sign-off approved|decision refused|approve failed/.test(l))).toHaveLength(
        8,
      ),
    );
    await h.runtime.dispatcher.drain();
    expect(h.logs.filter((l) => l.includes('approve failed'))).toEqual([]);
    const [request] = query<{ status: string }>('SELECT status FROM requests');
    expect(['approved', 'withdrawn']).toContain(request?.status);
    const closing = query<{ type: string }>(
      "SELECT type FROM events WHERE type IN ('request.approved', 'request.withdrawn', 'request.rejected')",
    );
    expect(closing).toEqual([{ type: `request.${request?.status}` }]);
    // Each approval recorded once, never more than a function needs, and one event per row.
    const perSignOff = query<{ function_id: string; n: number; needed: number }>(
      'SELECT s.function_id, count(a.user_id) AS n, s.approvals_needed AS needed FROM sign_offs s LEFT JOIN sign_off_approvals a ON a.sign_off_id = s.id GROUP BY s.id',
    );
    for (const s of perSignOff) expect(s.n).toBeLessThanOrEqual(s.needed);
    const approvalEvents = query<{ n: number }>(
      "SELECT count(*) AS n FROM events WHERE type = 'signoff.approved'",
    );
    expect(approvalEvents[0]?.n).toBe(perSignOff.reduce((sum, s) => sum + s.n, 0));
    if (request?.status === 'approved') expect(perSignOff.every((s) => s.n === s.needed)).toBe(true);
    // The seller hears of an approval at most once; a withdrawal sends no outcome DM.
    expect(h.standIn.calls.filter(isDm).length).toBe(request?.status === 'approved' ? 1 : 0);
    everySurfaceIsValid();
  });
});

describe('asking for changes and revising', () => {
  const original = { productLineId: 'widgets', deliveryDate: '2027-01-15' } as const;

  /** Ops approves, Quality asks for changes; returns the asks and the seller's Revise modal meta. */
  async function changesAsked() {
    const asks = await submit(original, 2);
    const [ops, qa] = asks as [RecordedCall, RecordedCall];
    await clickThread('U0OPS1', ACTIONS.approve, ops);
    await clickThread('U0QA1', ACTIONS.requestChanges, qa);
    const meta = await modalOpened(CALLBACKS.changesModal);
    const empty = await submitModal('U0QA1', CALLBACKS.changesModal, meta, text(CHANGES_BLOCKS.reason, ''));
    expect(empty.json()).toMatchObject({ response_action: 'errors' });
    await submitModal(
      'U0QA1',
      CALLBACKS.changesModal,
      meta,
      text(CHANGES_BLOCKS.reason, 'Custom finish needs gadgets'),
    );
    const [dm] = await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('asks you to change'));
    const notice = await h.standIn.waitFor(
      (c) => isThread(c) && textOf(c).includes('asked <@U0SELLER> to change'),
    );
    expect(textOf(notice[0])).toContain('Custom finish needs gadgets');
    await h.slack.interaction(
      blockAction({
        userId: 'U0SELLER',
        actionId: ACTIONS.revise,
        value: buttonValue(dm?.args.blocks, ACTIONS.revise),
        channelId: String(dm?.args.channel),
        messageTs: tsOf(dm),
      }),
    );
    const opened = await h.standIn.waitFor(
      (c) =>
        c.method === 'views.open' &&
        (c.args.view as { callback_id: string }).callback_id === CALLBACKS.requestModal,
    );
    const view = opened[0]?.args.view as { private_metadata: string; title: { text: string } };
    assertValidModal(view);
    expect(view.title.text).toBe('Revise CG-1');
    expect(JSON.stringify(view)).toContain('"initial_date":"2027-01-15"');
    return { ops, qa, meta: view.private_metadata };
  }

  const revise = (meta: string, values: Parameters<Harness['requestValues']>[0]) =>
    h.slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: meta,
        values: h.requestValues({ ...original, ...values }),
      }),
    );

  it('when a revision changes the product line then routing is re-evaluated, sign-offs reset, the diff posted and old buttons refused', async () => {
    const { ops, qa, meta } = await changesAsked();
    const parentV1 = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    const withdrawV1 = buttonValue(parentV1?.blocks, ACTIONS.withdraw);
    const res = await revise(meta, { productLineId: 'gadgets' });
    expect(res.status).toBe(200);
    const notice = await h.standIn.waitFor((c) => isThread(c) && textOf(c).includes('CG-1 v2'));
    expect(textOf(notice[0])).toContain('Product line: widgets → *gadgets*');
    await h.runtime.dispatcher.drain();
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(JSON.stringify(parent?.blocks)).toContain('CG-1 v2');
    expect(JSON.stringify(h.standIn.message('C0REQUESTS', tsOf(qa))?.blocks)).toContain('No longer required');
    expect(query('SELECT version, product_line_id, status FROM requests')).toEqual([
      { version: 2, product_line_id: 'gadgets', status: 'pending' },
    ]);
    expect(query("SELECT status FROM sign_offs WHERE function_id = 'operations'")).toEqual([
      { status: 'pending' },
    ]);
    expect(query('SELECT count(*) AS n FROM sign_off_approvals')).toEqual([{ n: 0 }]);

    // The v1 button (still in someone's client) is refused privately and changes nothing.
    await clickThread('U0OPS2', ACTIONS.approve, ops);
    const [eph] = await ephemerals(1);
    expect(String(eph?.args.text)).toContain('out of date');
    expect(query('SELECT count(*) AS n FROM sign_off_approvals')).toEqual([{ n: 0 }]);

    // So is the v1 Withdraw button of the request message.
    await h.slack.interaction(
      blockAction({
        userId: 'U0SELLER',
        actionId: ACTIONS.withdraw,
        value: withdrawV1,
        channelId: 'C0REQUESTS',
        messageTs: parentV1?.ts ?? '',
      }),
    );
    const stale = await ephemerals(2);
    expect(String(stale[1]?.args.text)).toContain('out of date');

    // The updated message carries v2 buttons, which work.
    const current = h.standIn.message('C0REQUESTS', tsOf(ops));
    await h.click('U0OPS2', ACTIONS.approve, buttonValue(current?.blocks, ACTIONS.approve), tsOf(ops));
    const outcome = await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit'));
    expect(textOf(outcome[0])).toContain('CG-1');
    expect(query<{ type: string }>('SELECT type FROM events ORDER BY id').map((e) => e.type)).toEqual([
      'request.submitted',
      'signoff.approved',
      'signoff.changes_requested',
      'request.revised',
      'signoff.reset',
      'signoff.approved',
      'request.approved',
    ]);

    // `/commit show` tells the whole story privately.
    await h.slack.slashCommand(slashCommand({ user_id: 'U0QA1', text: 'show CG-1' }));
    const [shown] = await h.standIn.waitFor('response_url');
    const history = textOf(shown);
    expect(shown?.args.response_type).toBe('ephemeral');
    for (const line of [
      'CG-1 v2',
      '<@U0SELLER> submitted the request',
      '<@U0OPS1> approved Operations',
      '<@U0QA1> asked for changes for Quality: Custom finish needs gadgets',
      '<@U0SELLER> revised it to v2 (productLineId)',
      'Operations asked again',
      '<@U0OPS2> approved Operations',
      'cleared',
    ])
      expect(history).toContain(line);
    assertValidMessage({ text: String(shown?.args.text), blocks: shown?.args.blocks as unknown[] });
    everySurfaceIsValid();
  });

  it('when a revision changes only the deal reference then no sign-off is reset', async () => {
    const { meta } = await changesAsked();
    await revise(meta, { dealReference: 'OPP-9' });
    const notice = await h.standIn.waitFor((c) => isThread(c) && textOf(c).includes('CG-1 v2'));
    expect(textOf(notice[0])).toContain('Deal reference: _(none)_ → *OPP-9*');
    expect(query('SELECT function_id, status FROM sign_offs ORDER BY id')).toEqual([
      { function_id: 'operations', status: 'approved' },
      { function_id: 'quality', status: 'pending' },
    ]);
    expect(query("SELECT count(*) AS n FROM events WHERE type = 'signoff.reset'")).toEqual([{ n: 0 }]);
    // Submitting the same values again is refused on the form: nothing to revise.
    const again = await revise(meta, { dealReference: 'OPP-9' });
    expect(again.json()).toMatchObject({ response_action: 'errors' });
    everySurfaceIsValid();
  });
});

describe('delegates and user group owners', () => {
  async function command(userId: string, text: string, count: number) {
    await h.slack.slashCommand(slashCommand({ user_id: userId, text }));
    const replies = await h.standIn.waitFor('response_url', { count });
    return textOf(replies[count - 1]);
  }

  it('when an owner is away then requests mention the delegate, who decides on their behalf until /commit back', async () => {
    expect(await command('U0QA1', 'away 2026-11-30 2026-11-23 <@U0DELEGATE|dee>', 1)).toContain(
      'must not be before',
    );
    expect(await command('U0QA1', 'away 2026-11-23 2026-11-30 <@U0DELEGATE|dee>', 2)).toContain(
      '<@U0DELEGATE> decides your sign-offs',
    );
    const [, qa] = (await submit(original(), 2)) as [RecordedCall, RecordedCall];
    expect(String(qa.args.text)).toContain('<@U0DELEGATE> (for <@U0QA1>, away)');
    await clickThread('U0DELEGATE', ACTIONS.approve, qa);
    // The decision is taken after the ack; its thread update says it happened.
    await h.standIn.waitFor((c) => c.method === 'chat.update' && c.args.ts === tsOf(qa));
    const [event] = query<{ actor_id: string; data: string }>(
      "SELECT actor_id, data FROM events WHERE type = 'signoff.approved'",
    );
    expect(event?.actor_id).toBe('U0DELEGATE');
    expect(JSON.parse(event?.data ?? '{}')).toMatchObject({ onBehalfOf: 'U0QA1' });
    expect(await command('U0QA1', 'show CG-1', 3)).toContain(
      '<@U0DELEGATE> approved Quality on behalf of <@U0QA1>',
    );

    expect(await command('U0QA1', 'back', 4)).toContain('Welcome back');
    const asks = await h.submitRequest('U0SELLER', original());
    expect(asks.status).toBe(200);
    const thread = await h.standIn.waitFor(isThread, { count: 4 });
    await clickThread('U0DELEGATE', ACTIONS.approve, thread[3] as RecordedCall);
    const [eph] = await ephemerals(1);
    expect(String(eph?.args.text)).toContain('Only an owner of Quality');
    everySurfaceIsValid();
  });

  it('when an owner is a user group then its members (from usergroups.users.list) decide and others cannot', async () => {
    await h.stop();
    h = await Harness.start({
      config: exampleConfig({
        functions: {
          operations: { label: 'Operations', owners: ['U0OPS1'] },
          quality: { label: 'Quality', owners: ['S0QUALITY'] },
        },
        rules: [{ require: ['quality'] }],
      }),
    });
    h.standIn.setUsergroup('S0QUALITY', ['U0QA7', 'U0QA8']);
    await h.runtime.groups.refresh();
    expect(h.standIn.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toContain('S0QUALITY');
    const [ask] = (await submit({ productLineId: 'gadgets' }, 1)) as [RecordedCall];
    expect(String(ask.args.text)).toContain('<!subteam^S0QUALITY>');
    await clickThread('U0OPS1', ACTIONS.approve, ask);
    const [eph] = await ephemerals(1);
    expect(String(eph?.args.text)).toContain('Only an owner of Quality');
    await clickThread('U0QA8', ACTIONS.approve, ask);
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit'));
    expect(query("SELECT actor_id FROM events WHERE type = 'signoff.approved'")).toEqual([
      { actor_id: 'U0QA8' },
    ]);
  });
});

function original() {
  return { productLineId: 'widgets', deliveryDate: '2027-01-15' } as const;
}

describe('quorum with a delegate', () => {
  it('when a delegate approves for an away owner then that owner cannot add a second approval; another owner completes it', async () => {
    await h.stop();
    h = await Harness.start({ config: exampleConfig({ rules: [{ require: ['finance'] }] }) });
    await h.slack.slashCommand(
      slashCommand({ user_id: 'U0FIN1', text: 'away 2026-11-23 2026-11-30 U0DELEGATE' }),
    );
    await h.standIn.waitFor('response_url');
    const [ask] = (await submit({ productLineId: 'gadgets' }, 1)) as [RecordedCall];
    await clickThread('U0DELEGATE', ACTIONS.approve, ask);
    await h.standIn.waitFor((c) => c.method === 'chat.update' && c.args.ts === tsOf(ask));
    expect(JSON.stringify(h.standIn.message('C0REQUESTS', tsOf(ask))?.blocks)).toContain(
      '1 of 2 approvals: <@U0DELEGATE> for <@U0FIN1>',
    );
    await clickThread('U0FIN1', ACTIONS.approve, ask);
    const [eph] = await ephemerals(1);
    expect(String(eph?.args.text)).toContain('You already approved Finance');
    await clickThread('U0FIN2', ACTIONS.approve, ask);
    await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('You may commit'));
    expect(query('SELECT user_id, on_behalf_of FROM sign_off_approvals ORDER BY at, user_id')).toEqual([
      { user_id: 'U0DELEGATE', on_behalf_of: 'U0FIN1' },
      { user_id: 'U0FIN2', on_behalf_of: null },
    ]);
    everySurfaceIsValid();
  });
});

describe('/commit show, away and help', () => {
  it('when show names no request, or one that does not exist, then the person is told privately', async () => {
    await h.slack.slashCommand(slashCommand({ user_id: 'U0QA1', text: 'show' }));
    await h.slack.slashCommand(slashCommand({ user_id: 'U0QA1', text: 'show CG-99' }));
    await h.slack.slashCommand(slashCommand({ user_id: 'U0QA1', text: 'away next week @dee' }));
    const replies = await h.standIn.waitFor('response_url', { count: 3 });
    const texts = replies.map((r) => String(r.args.text));
    expect(texts).toContain('Which request? For example: `/commit show CG-42`.');
    expect(texts).toContain('There is no request CG-99.');
    expect(texts.some((t) => t.startsWith('Usage: `/commit away'))).toBe(true);
    const help = await h.slack.slashCommand(slashCommand({ user_id: 'U0QA1', text: 'help' }));
    const body = JSON.stringify(help.json());
    for (const word of ['/commit show CG-42', '/commit away START END @delegate', '/commit back'])
      expect(body).toContain(word);
  });
});
