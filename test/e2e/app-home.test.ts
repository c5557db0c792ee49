// App Home end to end over signed HTTP: what an owner, a seller, a leader and a newcomer see,
// deciding from Home exactly as from the thread, refreshes that are coalesced, and volume that
// stays within Slack's 100-block limit.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { HOME_REFRESH_WINDOW_MS } from '../../src/db/outbox-repo.js';
import { createRequestStore } from '../../src/db/request-repo.js';
import { ACTIONS, CALLBACKS, REJECT_BLOCKS } from '../../src/slack/ids.js';
import { assertValidHome, assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { appHomeOpened, blockAction, stateValue, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Element = { action_id?: string; value?: string };
type Block = { type: string; block_id?: string; elements?: Element[] };
type View = { id: string; type: string; blocks: Block[] };

let h: Harness;

beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

const publishesFor = (userId: string) =>
  h.standIn.callsTo('views.publish').filter((c) => c.args.user_id === userId);

/** Waits until a Home containing every string has been published for the person; returns it. */
async function homeShowing(userId: string, ...texts: string[]): Promise<View> {
  // Refreshes after a recent publish wait out the coalescing window: let it pass at once.
  h.clock.jump(HOME_REFRESH_WINDOW_MS);
  const [call] = await h.standIn.waitFor(
    (c) =>
      c.method === 'views.publish' &&
      c.args.user_id === userId &&
      texts.every((t) => JSON.stringify(c.args.view).includes(t)),
  );
  const view = (call as RecordedCall).args.view as View;
  assertValidHome(view);
  const stored = h.standIn.homeView(userId);
  return { ...view, id: stored?.id ?? 'V0' };
}

async function openHome(userId: string, ...texts: string[]): Promise<View> {
  const res = await h.slack.event(appHomeOpened({ userId }));
  expect(res.status).toBe(200);
  return homeShowing(userId, ...texts);
}

function buttons(view: { blocks: Block[] }, actionId: string): Element[] {
  return view.blocks.flatMap((b) => (b.elements ?? []).filter((e) => e.action_id === actionId));
}

function threadButton(call: RecordedCall, actionId: string): string {
  const blocks = call.args.blocks as Block[];
  const found = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!found?.value) throw new Error(`no ${actionId} button`);
  return found.value;
}

async function threadMessages(count: number): Promise<RecordedCall[]> {
  return h.standIn.waitFor((c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string', {
    count,
  });
}

/** A click on a Home tab button: container type `view`, no channel, no response_url. */
function clickOnHome(userId: string, view: View, actionId: string, value: string) {
  return h.slack.interaction(blockAction({ userId, actionId, value, view: { id: view.id, type: 'home' } }));
}

function db() {
  return new Database(h.dbPath);
}

describe('App Home for each kind of person', () => {
  it('when a newcomer opens Home then they see what the bot does and how to start with /commit', async () => {
    const view = await openHome('U0NEW', 'Welcome to Commit Gate');
    expect(JSON.stringify(view.blocks)).toContain('`/commit`');
    expect(buttons(view, ACTIONS.approve)).toHaveLength(0);
    const sqlite = db();
    expect(sqlite.prepare('SELECT user_id FROM home_openers').pluck().all()).toEqual(['U0NEW']);
    sqlite.close();
  });

  it('when the Messages tab is opened then no Home is published', async () => {
    await h.slack.event(appHomeOpened({ userId: 'U0NEW', tab: 'messages' }));
    await h.slack.event(appHomeOpened({ userId: 'U0OTHER' }));
    await homeShowing('U0OTHER', 'Welcome');
    expect(publishesFor('U0NEW')).toHaveLength(0);
  });

  it('when an owner opens Home then each sign-off waits there with its age in business hours and the thread buttons', async () => {
    await h.submitRequest('U0SELLER', { customer: 'Acme <!channel>', productLineId: 'widgets' });
    const [, qa] = await threadMessages(2);
    // Submitted Monday 10:00 New York; three working hours later.
    h.clock.jump(3 * 3_600_000);
    const view = await openHome('U0QA1', 'Waiting for you (1)');
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('CG-1 · Quality');
    expect(json).toContain('waiting 3 business hours');
    expect(json).toContain('Acme &lt;!channel&gt;');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('asked by <@U0SELLER>');
    expect(json).toContain('You have not asked for a commitment yet');
    // The same action ids and the same encoded value as the thread message.
    expect(buttons(view, ACTIONS.approve).map((b) => b.value)).toEqual([
      threadButton(qa as RecordedCall, ACTIONS.approve),
    ]);
    expect(buttons(view, ACTIONS.reject).map((b) => b.value)).toEqual([
      threadButton(qa as RecordedCall, ACTIONS.reject),
    ]);
    // Not in the Home of someone who owns nothing in it, nor the leader's own queue.
    await openHome('U0FIN1', 'No sign-off is waiting for you');
  });

  it('when a seller opens Home then their requests show the state of every function, and refresh when one decides', async () => {
    await h.submitRequest('U0SELLER', { productLineId: 'widgets' });
    const [, qa] = await threadMessages(2);
    const first = await openHome('U0SELLER', 'Your requests');
    const json = JSON.stringify(first.blocks);
    expect(json).toContain('*CG-1* is *pending*');
    expect(json).toContain(':hourglass_flowing_sand: Operations · :hourglass_flowing_sand: Quality');
    expect(json).toContain('No sign-off is waiting for you');

    // A decision on their request, made in the thread, refreshes their Home.
    await h.click(
      'U0QA1',
      ACTIONS.approve,
      threadButton(qa as RecordedCall, ACTIONS.approve),
      String((qa as RecordedCall).response?.ts),
    );
    await homeShowing('U0SELLER', ':hourglass_flowing_sand: Operations · :white_check_mark: Quality');
    // People who never opened Home get nothing published.
    await h.runtime.dispatcher.drain();
    expect(publishesFor('U0QA1')).toHaveLength(0);
    expect(publishesFor('U0OPS1')).toHaveLength(0);
  });

  it('when a leader opens Home then the week so far shows, and Preview digest answers privately', async () => {
    // One cleared, one blocked, one still pending, one override recorded this week.
    await h.submitRequest('U0SELLER', { customer: 'Cleared Co', productLineId: 'gadgets' });
    await h.submitRequest('U0SELLER', { customer: 'Blocked Co', productLineId: 'gadgets' });
    await h.submitRequest('U0SELLER', { customer: 'Waiting Co', productLineId: 'widgets' });
    const [cleared, blocked] = await threadMessages(4);
    await h.click(
      'U0OPS1',
      ACTIONS.approve,
      threadButton(cleared as RecordedCall, ACTIONS.approve),
      String(cleared?.response?.ts),
    );
    await h.click(
      'U0OPS1',
      ACTIONS.reject,
      threadButton(blocked as RecordedCall, ACTIONS.reject),
      String(blocked?.response?.ts),
    );
    const [open] = await h.standIn.waitFor('views.open');
    const reasonModal = open?.args.view as { private_metadata: string };
    await h.slack.interaction(
      viewSubmission({
        userId: 'U0OPS1',
        callbackId: CALLBACKS.rejectModal,
        privateMetadata: reasonModal.private_metadata,
        values: { [REJECT_BLOCKS.reason]: { [`${REJECT_BLOCKS.reason}_input`]: stateValue.text('No slot') } },
      }),
    );
    const sqlite = db();
    sqlite
      .prepare(
        "INSERT INTO events (request_id, type, actor_id, at, data) VALUES (2, 'request.overridden', 'U0CEO', ?, ?)",
      )
      .run(h.clock.now().getTime(), JSON.stringify({ reason: 'strategic account' }));
    sqlite.close();

    const view = await openHome('U0CEO', 'The week so far');
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('since Mon 23 Nov 2026');
    expect(json).toContain('*Inflow*\\n3 requests');
    expect(json).toContain('*Cleared*\\n1');
    expect(json).toContain('*Blocked*\\n1');
    expect(json).toContain('*Overrides*\\n1');
    expect(json).toContain('*Pending now*\\n1 request');
    expect(json).toContain('• Operations: 1 sign-off');
    expect(json).toContain('• Quality: 1 sign-off');
    expect(json).toContain('*CG-3 · Operations*');
    const [preview] = buttons(view, ACTIONS.previewDigest);
    expect(preview).toBeDefined();

    await clickOnHome('U0CEO', view, ACTIONS.previewDigest, String(preview?.value));
    // The week so far, as /commit digest shows it, in a modal only the clicker sees.
    const [opened] = await h.standIn.waitFor(
      (c) => c.method === 'views.open' && JSON.stringify(c.args.view).includes('This week so far'),
    );
    const modal = opened?.args.view as { title: { text: string }; blocks: unknown[] };
    assertValidModal(modal);
    expect(modal.title.text).toBe('This week so far');
    expect(JSON.stringify(modal.blocks)).toContain('This week so far: Mon 23 Nov 2026');
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === 'DU0CEO')).toHaveLength(0);
  });
});

describe('acting from Home', () => {
  it('when an owner approves every sign-off from Home then each thread and parent update and the queue empties', async () => {
    for (const customer of ['One', 'Two', 'Three'])
      await h.submitRequest('U0SELLER', { customer, productLineId: 'gadgets' });
    const asks = await threadMessages(3);
    let view = await openHome('U0OPS1', 'Waiting for you (3)');
    for (let left = 3; left > 0; left--) {
      const [approve] = buttons(view, ACTIONS.approve);
      const res = await clickOnHome('U0OPS1', view, ACTIONS.approve, String(approve?.value));
      expect(res.status).toBe(200);
      view = await homeShowing('U0OPS1', `Waiting for you (${left - 1})`);
    }
    await h.runtime.dispatcher.drain();
    for (const ask of asks) {
      const thread = h.standIn.message('C0REQUESTS', String(ask.response?.ts));
      expect(JSON.stringify(thread?.blocks)).toContain('Approved* by <@U0OPS1>');
      expect(JSON.stringify(thread?.blocks)).not.toContain(ACTIONS.approve);
    }
    const parents = h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts);
    expect(parents.map((p) => JSON.stringify(p.blocks).includes('is cleared'))).toEqual([true, true, true]);
    expect(buttons(view, ACTIONS.approve)).toHaveLength(0);
    for (const call of h.standIn.callsTo('chat.update'))
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
    const sqlite = db();
    expect(sqlite.prepare('SELECT status FROM requests').pluck().all()).toEqual([
      'approved',
      'approved',
      'approved',
    ]);
    sqlite.close();
  });

  it('when an owner rejects from Home then the reason modal opens and the thread, parent and seller are told', async () => {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await threadMessages(1);
    const view = await openHome('U0OPS2', 'Waiting for you (1)');
    const [reject] = buttons(view, ACTIONS.reject);
    await clickOnHome('U0OPS2', view, ACTIONS.reject, String(reject?.value));
    const [open] = await h.standIn.waitFor('views.open');
    const modal = open?.args.view as { callback_id: string; private_metadata: string };
    assertValidModal(modal);
    expect(JSON.parse(modal.private_metadata)).toMatchObject({ channel: null, thread: null });
    const res = await h.slack.interaction(
      viewSubmission({
        userId: 'U0OPS2',
        callbackId: CALLBACKS.rejectModal,
        privateMetadata: modal.private_metadata,
        values: {
          [REJECT_BLOCKS.reason]: { [`${REJECT_BLOCKS.reason}_input`]: stateValue.text('Line is full') },
        },
      }),
    );
    expect(res.status).toBe(200);
    const [dm] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER',
    );
    expect(JSON.stringify(dm?.args.blocks)).toContain('Line is full');
    await homeShowing('U0OPS2', 'Waiting for you (0)');
    await h.runtime.dispatcher.drain();
    const thread = h.standIn.message('C0REQUESTS', String(ask?.response?.ts));
    expect(JSON.stringify(thread?.blocks)).toContain('Rejected* by <@U0OPS2>: Line is full');
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(JSON.stringify(parent?.blocks)).toContain('CG-1 is blocked');
  });

  it("when another owner decides a sign-off in the thread then it leaves every co-owner's Home", async () => {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await threadMessages(1);
    await openHome('U0OPS1', 'Waiting for you (1)');
    await openHome('U0OPS2', 'Waiting for you (1)');
    await h.click(
      'U0OPS2',
      ACTIONS.approve,
      threadButton(ask as RecordedCall, ACTIONS.approve),
      String(ask?.response?.ts),
    );
    await homeShowing('U0OPS1', 'Waiting for you (0)');
    await homeShowing('U0OPS2', 'Waiting for you (0)');
  });

  it('when someone who is not an owner clicks on Home then the refusal goes to their DM and nothing changes', async () => {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await threadMessages(1);
    const view = await openHome('U0QA1', 'Waiting for you (0)');
    await clickOnHome('U0QA1', view, ACTIONS.approve, threadButton(ask as RecordedCall, ACTIONS.approve));
    const [dm] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0QA1',
    );
    expect(String(dm?.args.text)).toContain('Only an owner of Operations');
    expect(h.standIn.callsTo('chat.postEphemeral')).toHaveLength(0);
    const sqlite = db();
    expect(sqlite.prepare('SELECT status FROM sign_offs').pluck().get()).toBe('pending');
    sqlite.close();
  });
});

describe('refreshing without flooding', () => {
  it('when 50 changes reach one person in a burst then their Home is published a bounded number of times', async () => {
    await openHome('U0OPS1', 'Waiting for you (0)');
    h.clock.freeze();
    for (let i = 0; i < 50; i++) {
      const res = await h.submitRequest('U0SELLER', { customer: `Burst ${i}`, productLineId: 'gadgets' });
      expect(res.status).toBe(200);
    }
    await h.runtime.dispatcher.drain();
    const sqlite = db();
    // Never more than two refreshes queued per person, whatever the burst.
    expect(
      sqlite
        .prepare("SELECT count(*) FROM outbox WHERE ordering_key = 'home:U0OPS1' AND status = 'pending'")
        .pluck()
        .get(),
    ).toBeLessThanOrEqual(2);
    sqlite.close();
    h.clock.resume();
    h.clock.jump(60_000);
    h.runtime.dispatcher.kick();
    await homeShowing('U0OPS1', 'Waiting for you (50)');
    await h.runtime.dispatcher.drain();
    expect(publishesFor('U0OPS1').length).toBeLessThanOrEqual(3);
    // Nobody who never opened Home was published to.
    expect(h.standIn.callsTo('views.publish').every((c) => c.args.user_id === 'U0OPS1')).toBe(true);
  });
});

describe('volume', () => {
  it('when an owner has 500 pending sign-offs then Home shows the oldest within 100 blocks and counts the rest', async () => {
    const store = createRequestStore(h.runtime.db);
    const base = h.clock.now().getTime();
    store.transaction(() => {
      for (let i = 0; i < 500; i++) {
        store.insertRequest({
          sellerId: 'U0SELLER',
          facts: {
            customer: `Customer ${i} ${'x'.repeat(200)}`,
            productLineId: 'widgets',
            quantity: 10 + i,
            valueMinor: 1_000_000,
            deliveryDate: '2027-02-01',
            paymentTermsDays: 30,
            discountPercent: 0,
            specialRequirements: null,
            dealReference: null,
          },
          currency: 'USD',
          sourceChannelId: null,
          at: new Date(base - (500 - i) * 60_000),
          status: 'pending',
          signOffs: [
            {
              functionId: 'operations',
              label: 'Operations',
              owners: ['U0OPS1', 'U0OPS2'],
              approvalsNeeded: 1,
              requiredBy: ['always'],
            },
          ],
        });
      }
    });
    const owner = await openHome('U0OPS1', 'Waiting for you (500)');
    expect(owner.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(owner.blocks)).toContain('more sign-offs waiting for you');
    // Oldest first.
    expect(JSON.stringify(owner.blocks).indexOf('CG-1 ·')).toBeGreaterThan(-1);
    expect(buttons(owner, ACTIONS.approve).length).toBeGreaterThan(30);

    const seller = await openHome('U0SELLER', 'Your requests');
    expect(seller.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(seller.blocks)).toContain('490 more open requests');

    const leader = await openHome('U0CEO', 'The week so far');
    expect(leader.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(leader.blocks)).toContain('• Operations: 500 sign-offs');
  });
});

describe('Socket Mode', () => {
  it('when app_home_opened arrives as an events_api envelope then the Home is published', async () => {
    await h.stop();
    h = await Harness.start({ mode: 'socket' });
    await h.standIn.sendEnvelope('events_api', appHomeOpened({ userId: 'U0OPS1' }));
    await homeShowing('U0OPS1', 'Waiting for you (0)');
  });
});
