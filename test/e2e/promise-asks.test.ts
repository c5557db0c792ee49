// The promise asks end to end over signed HTTP with the stand-in: "on track?" two business days
// ahead, the due-date message at business-hours start (a weekend in between), its buttons and
// modals, refusals for non-owners, double clicks counted once, the seller told first on a slip
// and a part delivery, the reminder a business day later and overdue, and a restart in the
// middle asking nothing twice. The clock jumps; the test ticks the scheduler itself.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS, CALLBACKS, PROMISE_LATE_BLOCKS, PROMISE_PART_BLOCKS } from '../../src/slack/ids.js';
import { assertValidHome, assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { exampleConfig } from '../support/config.js';
import { appHomeOpened, blockAction, stateValue, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] };

let h: Harness;

beforeEach(async () => {
  // Friday 11 Dec 2026, 15:00 in New York.
  h = await Harness.start({
    start: '2026-12-11T20:00:00Z',
    schedule: true,
    config: exampleConfig({ rules: [{ require: ['operations'] }] }),
  });
});
afterEach(async () => {
  await h.stop();
});

const tsOf = (call: RecordedCall | undefined) => (call?.response as { ts?: string } | undefined)?.ts ?? '';
const isThread = (c: RecordedCall) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string';
const isDm = (c: RecordedCall) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D');

function query<T>(sql: string): T[] {
  const sqlite = new Database(h.dbPath, { readonly: true });
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}

function jumpTo(iso: string): void {
  h.clock.jump(Date.parse(iso) - h.clock.now().getTime());
}

async function settle(): Promise<void> {
  await h.runtime.scheduler.tick();
  await h.runtime.dispatcher.drain();
}

function buttonValue(blocks: unknown, actionId: string): string {
  for (const b of (blocks ?? []) as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
}

/** Thread messages whose text contains `needle`, in the order posted. */
const threadPosts = (needle: string) =>
  h.standIn.calls.filter((c) => isThread(c) && String(c.args.text).includes(needle));

/** A cleared request due on `deliveryDate`: submitted by U0SELLER, approved by U0OPS1. */
async function cleared(deliveryDate: string): Promise<string> {
  const before = h.standIn.calls.filter(isThread).length;
  await h.submitRequest('U0SELLER', { quantity: '10', value: '10000', deliveryDate });
  const asks = await h.standIn.waitFor(isThread, { count: before + 1 });
  const ask = asks[before] as RecordedCall;
  await h.click('U0OPS1', ACTIONS.approve, buttonValue(ask.args.blocks, ACTIONS.approve), tsOf(ask));
  await h.runtime.dispatcher.drain();
  return `CG-${query<{ id: number }>('SELECT max(id) AS id FROM requests')[0]?.id}`;
}

async function clickOn(userId: string, actionId: string, message: RecordedCall) {
  const res = await h.click(userId, actionId, buttonValue(message.args.blocks, actionId), tsOf(message));
  expect(res.status).toBe(200);
}

async function ephemeral(count: number): Promise<string> {
  const all = await h.standIn.waitFor('chat.postEphemeral', { count });
  return String(all[count - 1]?.args.text);
}

async function modalOpened(callbackId: string, count = 1): Promise<string> {
  const opened = await h.standIn.waitFor(
    (c) => c.method === 'views.open' && (c.args.view as { callback_id: string }).callback_id === callbackId,
    { count },
  );
  const view = opened[count - 1]?.args.view as { private_metadata: string };
  assertValidModal(view);
  return view.private_metadata;
}

function everySurfaceIsValid(): void {
  for (const call of h.standIn.calls)
    if ((call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.blocks)
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
}

const onTrackEvents = () =>
  query<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'promise.on_track'")[0]?.n;

describe('promise asks', () => {
  it('when the days pass then "on track?" comes 2 business days ahead at 09:00, the due ask on the day, each once across a restart', async () => {
    const ref = await cleared('2026-12-21'); // Monday
    await settle();
    expect(threadPosts('On track?')).toHaveLength(0);

    jumpTo('2026-12-17T13:30:00Z'); // Thursday 08:30 in New York: before business hours
    await settle();
    expect(threadPosts('On track?')).toHaveLength(0);

    jumpTo('2026-12-17T14:05:00Z'); // Thursday 09:05
    await settle();
    const [ask] = threadPosts('On track?');
    expect(String(ask?.args.text)).toContain('<@U0OPS1> <@U0OPS2>');
    expect(String(ask?.args.text)).toContain(`*${ref}* is due Mon 21 Dec 2026, in 2 business days`);

    await h.restart();
    await settle();
    expect(threadPosts('On track?')).toHaveLength(1);

    // Not a confirmer: refused privately, nothing recorded.
    await clickOn('U0FIN1', ACTIONS.promiseOnTrack, ask as RecordedCall);
    expect(await ephemeral(1)).toContain('Only Operations owners may do this');
    expect(onTrackEvents()).toBe(0);
    // A confirmer, twice: counted once.
    await clickOn('U0OPS1', ACTIONS.promiseOnTrack, ask as RecordedCall);
    expect(await ephemeral(2)).toContain('on track, thank you');
    await clickOn('U0OPS1', ACTIONS.promiseOnTrack, ask as RecordedCall);
    expect(await ephemeral(3)).toContain('already recorded');
    expect(onTrackEvents()).toBe(1);

    jumpTo('2026-12-19T15:00:00Z'); // Saturday
    await settle();
    jumpTo('2026-12-21T13:59:00Z'); // Monday 08:59
    await settle();
    expect(threadPosts('is due today')).toHaveLength(0);
    jumpTo('2026-12-21T14:01:00Z'); // Monday 09:01
    await settle();
    await settle();
    const due = threadPosts('is due today');
    expect(due).toHaveLength(1);
    const labels = ((due[0]?.args.blocks ?? []) as Block[]).flatMap((b) =>
      (b.elements ?? []).map((e) => e.action_id),
    );
    expect(labels).toEqual([
      ACTIONS.promiseDeliveredFull,
      ACTIONS.promiseDeliveredPart,
      ACTIONS.promiseWillBeLate,
    ]);

    // Delivered in full, clicked twice by two owners: one delivery, the second refused privately.
    await clickOn('U0OPS2', ACTIONS.promiseDeliveredFull, due[0] as RecordedCall);
    expect(await ephemeral(4)).toContain('delivered in full, recorded');
    await clickOn('U0OPS1', ACTIONS.promiseDeliveredFull, due[0] as RecordedCall);
    expect(await ephemeral(5)).toContain('already delivered in full');
    expect(query('SELECT quantity FROM promise_deliveries')).toEqual([{ quantity: 10 }]);
    await h.runtime.dispatcher.drain();
    // The due message now shows the outcome instead of its buttons; the parent shows the promise.
    const updated = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.args.ts === tsOf(due[0]) &&
        String(c.args.text).includes('on time in full'),
    );
    expect(JSON.stringify(updated[0]?.args.blocks)).not.toContain(ACTIONS.promiseDeliveredFull);
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(JSON.stringify(parent?.blocks)).toContain(
      'Promised for Mon 21 Dec · delivered Mon 21 Dec, on time in full',
    );

    // Nothing more is asked about a delivered promise.
    jumpTo('2026-12-22T15:00:00Z');
    await settle();
    expect(threadPosts('nobody has said')).toHaveLength(0);
    everySurfaceIsValid();
  });

  it('when Will be late is submitted then the seller is DMed first with the date and reason, and the new date gets its own asks', async () => {
    const ref = await cleared('2026-12-21');
    jumpTo('2026-12-21T14:01:00Z');
    await settle();
    const [due] = threadPosts('is due today');

    await clickOn('U0SELLER', ACTIONS.promiseDeliveredPart, due as RecordedCall);
    expect(await ephemeral(1)).toContain('Only Operations owners');
    await clickOn('U0OPS2', ACTIONS.promiseWillBeLate, due as RecordedCall);
    const meta = await modalOpened(CALLBACKS.promiseLateModal);
    const values = (date: string | null, reason: string | null) => ({
      [PROMISE_LATE_BLOCKS.expectedOn]: {
        [`${PROMISE_LATE_BLOCKS.expectedOn}_input`]: stateValue.date(date),
      },
      [PROMISE_LATE_BLOCKS.reason]: { [`${PROMISE_LATE_BLOCKS.reason}_input`]: stateValue.text(reason) },
    });
    const submit = (v: ReturnType<typeof values>) =>
      h.slack.interaction(
        viewSubmission({
          userId: 'U0OPS2',
          callbackId: CALLBACKS.promiseLateModal,
          privateMetadata: meta,
          values: v,
        }),
      );
    expect((await submit(values('2026-12-28', ' '))).json()).toMatchObject({
      response_action: 'errors',
      errors: { [PROMISE_LATE_BLOCKS.reason]: expect.any(String) },
    });
    expect((await submit(values('2026-12-18', 'truck'))).json()).toMatchObject({
      response_action: 'errors',
      errors: { [PROMISE_LATE_BLOCKS.expectedOn]: expect.stringContaining('today') },
    });
    expect(query('SELECT count(*) AS n FROM promise_slips')).toEqual([{ n: 0 }]);
    const before = h.standIn.calls.length;
    expect((await submit(values('2026-12-28', 'The truck broke down'))).status).toBe(200);
    await h.runtime.dispatcher.drain();
    const after = h.standIn.calls.slice(before);
    const dmAt = after.findIndex(isDm);
    const noticeAt = after.findIndex((c) => isThread(c) && String(c.args.text).includes('will be late'));
    expect(dmAt).toBeGreaterThanOrEqual(0);
    expect(noticeAt).toBeGreaterThan(dmAt);
    const dm = String(after[dmAt]?.args.text);
    expect(dm).toContain(`*${ref}* for Acme Corp will be late: now expected *Mon 28 Dec 2026*`);
    expect(dm).toContain('Reason: The truck broke down');
    expect(query('SELECT state, promised_on AS p, due_on AS d FROM promises')).toEqual([
      { state: 'at_risk', p: '2026-12-21', d: '2026-12-28' },
    ]);

    // The new date: asked on its day (the claims were cleared by the slip).
    jumpTo('2026-12-28T14:01:00Z');
    await settle();
    const dueAgain = threadPosts('is due today');
    expect(dueAgain).toHaveLength(2);

    // Delivered in part: the rest gets its own date, the seller told again.
    await clickOn('U0OPS1', ACTIONS.promiseDeliveredPart, dueAgain[1] as RecordedCall);
    const partMeta = await modalOpened(CALLBACKS.promisePartModal);
    const partValues = (qty: string) => ({
      [PROMISE_PART_BLOCKS.deliveredOn]: {
        [`${PROMISE_PART_BLOCKS.deliveredOn}_input`]: stateValue.date('2026-12-28'),
      },
      [PROMISE_PART_BLOCKS.quantity]: { [`${PROMISE_PART_BLOCKS.quantity}_input`]: stateValue.number(qty) },
      [PROMISE_PART_BLOCKS.restOn]: {
        [`${PROMISE_PART_BLOCKS.restOn}_input`]: stateValue.date('2027-01-04'),
      },
    });
    const part = (qty: string) =>
      h.slack.interaction(
        viewSubmission({
          userId: 'U0OPS1',
          callbackId: CALLBACKS.promisePartModal,
          privateMetadata: partMeta,
          values: partValues(qty),
        }),
      );
    expect((await part('11')).json()).toMatchObject({
      response_action: 'errors',
      errors: { [PROMISE_PART_BLOCKS.quantity]: expect.stringContaining('Only 10') },
    });
    const dmsBefore = h.standIn.calls.filter(isDm).length;
    expect((await part('4')).status).toBe(200);
    const dms = await h.standIn.waitFor(isDm, { count: dmsBefore + 1 });
    expect(String(dms[dmsBefore]?.args.text)).toContain('was delivered in part: 4 boxes of 10');
    expect(String(dms[dmsBefore]?.args.text)).toContain('now expected *Mon 4 Jan 2027*');
    expect(query('SELECT state, delivered_quantity AS q, due_on AS d FROM promises')).toEqual([
      { state: 'partly_delivered', q: 4, d: '2027-01-04' },
    ]);
    everySurfaceIsValid();
  });

  it('when a due date on a Friday goes unanswered then one reminder on Monday and overdue, nothing twice across a restart', async () => {
    const ref = await cleared('2026-12-18'); // Friday
    jumpTo('2026-12-18T14:01:00Z');
    await settle();
    expect(threadPosts('is due today')).toHaveLength(1);
    jumpTo('2026-12-19T15:00:00Z'); // Saturday: not a business day, no reminder yet
    await settle();
    expect(threadPosts('nobody has said')).toHaveLength(0);
    expect(query('SELECT state FROM promises')).toEqual([{ state: 'open' }]);
    jumpTo('2026-12-21T14:01:00Z'); // Monday
    await settle();
    await h.restart();
    await settle();
    const reminders = threadPosts('nobody has said');
    expect(reminders).toHaveLength(1);
    expect(String(reminders[0]?.args.text)).toContain(`*${ref}* was due Fri 18 Dec 2026`);
    expect(query('SELECT state FROM promises')).toEqual([{ state: 'overdue' }]);
    expect(query("SELECT count(*) AS n FROM events WHERE type = 'promise.overdue'")).toEqual([{ n: 1 }]);
    jumpTo('2026-12-22T15:00:00Z');
    await settle();
    expect(threadPosts('nobody has said')).toHaveLength(1);
    expect(threadPosts('is due today')).toHaveLength(1);
    everySurfaceIsValid();
  });

  it('when a tampered promise button is clicked then it is refused privately and nothing changes', async () => {
    await cleared('2026-12-21');
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    await h.slack.interaction(
      blockAction({
        userId: 'U0OPS1',
        actionId: ACTIONS.promiseDeliveredFull,
        value: '{"r":"1"}',
        channelId: 'C0REQUESTS',
        messageTs: parent?.ts ?? '',
      }),
    );
    expect(await ephemeral(1)).toContain('not valid');
    expect(query('SELECT count(*) AS n FROM promise_deliveries')).toEqual([{ n: 0 }]);
  });

  it('when a confirmer opens Home then promises due within 7 days show with their buttons, and the seller sees theirs', async () => {
    const ref = await cleared('2026-12-16'); // Wednesday: within 7 days of Friday 11 Dec
    await cleared('2027-02-01'); // later: not on the confirmer's Home
    const homeFor = async (userId: string, needle: string) => {
      await h.slack.event(appHomeOpened({ userId }));
      const [call] = await h.standIn.waitFor(
        (c) =>
          c.method === 'views.publish' &&
          c.args.user_id === userId &&
          JSON.stringify(c.args.view).includes(needle),
      );
      const view = (call as RecordedCall).args.view as { blocks: Block[] };
      assertValidHome(view);
      return view;
    };
    const ops = await homeFor('U0OPS1', 'Promises to confirm');
    const json = JSON.stringify(ops);
    expect(json).toContain('Promises to confirm (1)');
    expect(json).toContain(`*${ref}*`);
    const value = buttonValue(ops.blocks, ACTIONS.promiseDeliveredFull);
    const seller = JSON.stringify(await homeFor('U0SELLER', 'Your promises'));
    expect(seller).toContain('Your promises (2 open)');
    expect(seller).not.toContain(ACTIONS.promiseDeliveredFull);

    // Clicked on Home (no channel): recorded, and the answer comes by DM.
    jumpTo('2026-12-14T15:00:00Z');
    const dms = h.standIn.calls.filter(isDm).length;
    await h.slack.interaction(
      blockAction({
        userId: 'U0OPS1',
        actionId: ACTIONS.promiseDeliveredFull,
        value,
        view: { id: 'V0', type: 'home' },
      }),
    );
    const answered = await h.standIn.waitFor(isDm, { count: dms + 1 });
    expect(String(answered[dms]?.args.text)).toContain('delivered in full, recorded');
    expect(query('SELECT state FROM promises ORDER BY request_id')).toEqual([
      { state: 'delivered' },
      { state: 'open' },
    ]);
  });
});
