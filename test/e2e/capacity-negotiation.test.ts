// Capacity meets negotiation, end to end over signed HTTP: "Propose a date" is prefilled with the
// earliest feasible date, and a revision or an accepted counter date checks capacity again so the
// load moves and the messages show the new verdict. Widgets: 500 units a week; operations alone
// signs off.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { closeDb, createDb } from '../../src/db/create-db.js';
import { createDigestReader } from '../../src/db/digest-repo.js';
import type { CapacityCheck } from '../../src/domain/capacity.js';
import { buildWeeklyDigest } from '../../src/services/weekly-digest.js';
import { ACTIONS, CALLBACKS, CHANGES_BLOCKS, PROPOSE_BLOCKS } from '../../src/slack/ids.js';
import { assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { exampleConfig } from '../support/config.js';
import { blockAction, type StateValues, stateValue, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Block = { elements?: { action_id?: string; value?: string }[] };

let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ config: exampleConfig({ rules: [{ require: ['operations'] }] }) });
});
afterEach(async () => {
  await h.stop();
});

const textOf = (call: RecordedCall | undefined) =>
  `${String(call?.args.text)}\n${JSON.stringify(call?.args.blocks ?? [])}`;
const tsOf = (call: RecordedCall | undefined) => (call?.response as { ts?: string } | undefined)?.ts ?? '';
const isDm = (c: RecordedCall) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D');

function buttonValue(blocks: unknown, actionId: string): string {
  for (const b of (blocks ?? []) as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button in ${JSON.stringify(blocks)}`);
}

const metaOf = (call: RecordedCall | undefined) =>
  (call?.args.view as { private_metadata?: string } | undefined)?.private_metadata ?? '';

function storedCheck(id: number): CapacityCheck {
  const sqlite = new Database(h.dbPath, { readonly: true });
  try {
    const raw = sqlite.prepare('SELECT capacity_check FROM requests WHERE id = ?').pluck().get(id) as string;
    return JSON.parse(raw) as CapacityCheck;
  } finally {
    sqlite.close();
  }
}

async function submit(quantity: number, deliveryDate: string) {
  await h.submitRequest('U0SELLER', { productLineId: 'widgets', quantity: String(quantity), deliveryDate });
}

/** The latest operations sign-off message of a request (posted, then maybe updated). */
async function opsAsk(ref: string): Promise<RecordedCall> {
  const [ask] = await h.standIn.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      typeof c.args.thread_ts === 'string' &&
      String(c.args.text).includes(`Operations sign-off needed for ${ref} `),
  );
  return ask as RecordedCall;
}

/** The parent message of a request as it stands now (found by its first text, then by its ts). */
async function parentNow(ref: string) {
  await h.runtime.dispatcher.drain();
  const [posted] = await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && !c.args.thread_ts && String(c.args.text).startsWith(`${ref}:`),
  );
  const parent = h.standIn.message('C0REQUESTS', tsOf(posted));
  return `${String(parent?.text)}\n${JSON.stringify(parent?.blocks ?? [])}`;
}

async function openProposeModal(ask: RecordedCall) {
  await h.click('U0OPS1', ACTIONS.proposeDate, buttonValue(ask.args.blocks, ACTIONS.proposeDate), tsOf(ask));
  const opened = await h.standIn.waitFor(
    (c) =>
      c.method === 'views.open' &&
      (c.args.view as { callback_id: string }).callback_id === CALLBACKS.proposeDateModal,
  );
  const view = opened[0]?.args.view as { private_metadata: string };
  assertValidModal(view);
  return view;
}

/** The seller clicks a button of a DM the bot sent them. */
function sellerClicks(dm: RecordedCall | undefined, actionId: string) {
  return h.slack.interaction(
    blockAction({
      userId: 'U0SELLER',
      actionId,
      value: buttonValue(dm?.args.blocks, actionId),
      channelId: String(dm?.args.channel),
      messageTs: tsOf(dm),
    }),
  );
}

function everyMessageIsValid() {
  for (const call of h.standIn.calls)
    if ((call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.blocks)
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
}

describe('Propose a date, prefilled from capacity', () => {
  it('when the request is over capacity then the date picker starts at the earliest feasible date', async () => {
    await submit(450, '2026-12-08');
    await submit(100, '2026-12-10'); // CG-2: 550 of 500 if CG-1 is approved; fits from Dec 14
    expect(storedCheck(2)).toMatchObject({
      verdict: 'fits_if_pending_fall_through',
      earliestFeasibleDate: '2026-12-14',
    });
    const view = await openProposeModal(await opsAsk('CG-2'));
    expect(JSON.stringify(view)).toContain('"initial_date":"2026-12-14"');
  });

  it('when the request fits then the date picker starts empty', async () => {
    await submit(100, '2026-12-10');
    const view = await openProposeModal(await opsAsk('CG-1'));
    expect(JSON.stringify(view)).not.toContain('initial_date');
  });
});

describe('capacity checked again when the facts change', () => {
  it('when a revision moves the date to a week with room then the stored check, the parent and the operations ask show it fits', async () => {
    await submit(450, '2026-12-08');
    await submit(100, '2026-12-10');
    expect(await parentNow('CG-2')).toContain('Capacity: fits only if pending');
    const ask = await opsAsk('CG-2');
    await h.click(
      'U0OPS1',
      ACTIONS.requestChanges,
      buttonValue(ask.args.blocks, ACTIONS.requestChanges),
      tsOf(ask),
    );
    const [changes] = await h.standIn.waitFor(
      (c) =>
        c.method === 'views.open' &&
        (c.args.view as { callback_id: string }).callback_id === CALLBACKS.changesModal,
    );
    await h.slack.interaction(
      viewSubmission({
        userId: 'U0OPS1',
        callbackId: CALLBACKS.changesModal,
        privateMetadata: metaOf(changes),
        values: {
          [CHANGES_BLOCKS.reason]: { [`${CHANGES_BLOCKS.reason}_input`]: stateValue.text('Week is full') },
        },
      }),
    );
    const [dm] = await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes('asks you to change'));
    await sellerClicks(dm, ACTIONS.revise);
    const [revise] = await h.standIn.waitFor(
      (c) =>
        c.method === 'views.open' &&
        (c.args.view as { callback_id: string }).callback_id === CALLBACKS.requestModal,
    );
    const res = await h.slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: metaOf(revise),
        values: h.requestValues({ productLineId: 'widgets', quantity: '100', deliveryDate: '2026-12-16' }),
      }),
    );
    expect(res.status).toBe(200);
    await h.standIn.waitFor((c) => textOf(c).includes('revised'));

    expect(storedCheck(2)).toMatchObject({ verdict: 'fits', weekStart: '2026-12-14', firm: 0, tentative: 0 });
    const parent = await parentNow('CG-2');
    expect(parent).toContain('Capacity: fits.');
    expect(parent).not.toContain('fits only if pending');
    const opsNow = h.standIn.message('C0REQUESTS', tsOf(ask));
    expect(JSON.stringify(opsNow?.blocks)).toContain('Capacity: fits.');
    // The load moved: a new request in the week of Dec 7 no longer counts CG-2.
    await submit(50, '2026-12-09');
    expect(storedCheck(3)).toMatchObject({ verdict: 'fits', tentative: 450 });
    everyMessageIsValid();
  });

  it('when the seller accepts a counter date then capacity is checked for the new week and the load moves', async () => {
    await submit(450, '2026-12-08');
    await submit(100, '2026-12-10');
    const ask = await opsAsk('CG-2');
    const view = await openProposeModal(ask);
    const values: StateValues = {
      [PROPOSE_BLOCKS.date]: { [`${PROPOSE_BLOCKS.date}_input`]: stateValue.date('2026-12-14') },
      [PROPOSE_BLOCKS.note]: { [`${PROPOSE_BLOCKS.note}_input`]: stateValue.text('Line full that week') },
    };
    await h.slack.interaction(
      viewSubmission({
        userId: 'U0OPS1',
        callbackId: CALLBACKS.proposeDateModal,
        privateMetadata: view.private_metadata,
        values,
      }),
    );
    const [dm] = await h.standIn.waitFor((c) => isDm(c) && textOf(c).includes(ACTIONS.counterAccept));
    await sellerClicks(dm, ACTIONS.counterAccept);
    await h.standIn.waitFor((c) => textOf(c).includes('delivery date moved'));

    expect(storedCheck(2)).toMatchObject({ verdict: 'fits', weekStart: '2026-12-14' });
    expect(await parentNow('CG-2')).toContain('Capacity: fits.');
    await submit(50, '2026-12-09');
    expect(storedCheck(3)).toMatchObject({ verdict: 'fits', tentative: 450 });

    // The note explained the date; once accepted it is not a condition of the approval.
    expect(await parentNow('CG-2')).not.toContain('with conditions');
    const db = createDb(h.dbPath);
    try {
      const digest = buildWeeklyDigest(
        { reader: createDigestReader(db), config: h.config, clock: h.clock },
        '2026-11-23',
      );
      // Asked for Dec 10, feasible Dec 14: 4 days late, though the request now says Dec 14.
      expect(digest.promiseGap).toMatchObject({ proposals: 1, medianDaysLate: 4 });
      expect(digest.outcomes).toMatchObject({ approved: 1, approvedWithConditions: 0 });
    } finally {
      closeDb(db);
    }
    everyMessageIsValid();
  });
});
