// The core gate end to end over real signed HTTP: /commit → modal → parent + thread sign-offs →
// decisions → the seller told. Every Block Kit surface the bot sends is checked against limits.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS, CALLBACKS, REJECT_BLOCKS } from '../../src/slack/ids.js';
import { assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { slashCommand, stateValue, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string }[] };

const textOf = (call: RecordedCall) => `${String(call.args.text)}\n${JSON.stringify(call.args.blocks ?? [])}`;
const buttonValue = (call: RecordedCall | { blocks?: unknown[] }, actionId: string): string => {
  const blocks = ('args' in call ? call.args.blocks : call.blocks) as Block[];
  for (const b of blocks)
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
};

let h: Harness;

beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

function everyMessageIsValid() {
  for (const call of h.standIn.calls) {
    if ((call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.blocks) {
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
    }
    if (call.method === 'views.open' || call.method === 'views.update')
      assertValidModal(call.args.view as object);
  }
}

async function threadMessages(count: number): Promise<RecordedCall[]> {
  return h.standIn.waitFor((c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string', {
    count,
  });
}

function db() {
  return new Database(h.dbPath, { readonly: true });
}

describe('/commit', () => {
  it('when a seller types /commit then the ack is immediate and the request modal opens with the documented labels', async () => {
    const res = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }));
    expect(res.status).toBe(200);
    const [open] = await h.standIn.waitFor((c) => c.method === 'views.open');
    const view = open?.args.view as { callback_id: string; blocks: { label?: { text: string } }[] };
    expect(view.callback_id).toBe(CALLBACKS.requestModal);
    expect(view.blocks.map((b) => b.label?.text)).toEqual([
      'Customer',
      'Product line',
      'Quantity',
      'Value',
      'Delivery date',
      'Payment terms (days)',
      'Discount (%)',
      'Special requirements',
      'Deal reference',
    ]);
    expect(JSON.stringify(view)).toContain('"initial_value":"30"');
    everyMessageIsValid();
  });

  it('when /commit has text then the modal is prefilled with what it understood', async () => {
    await h.slack.slashCommand(
      slashCommand({ user_id: 'U0SELLER', text: 'Acme 120 widgets by 2026-12-15 $75k net 60' }),
    );
    const [open] = await h.standIn.waitFor((c) => c.method === 'views.open');
    const json = JSON.stringify(open?.args.view);
    expect(json).toContain('"initial_value":"Acme"');
    expect(json).toContain('"initial_value":"120"');
    expect(json).toContain('"initial_date":"2026-12-15"');
    expect(json).toContain('"initial_value":"75000"');
    expect(json).toContain('"initial_value":"60"');
    const product = (
      (open as RecordedCall).args.view as {
        blocks: { block_id: string; element: { initial_option?: { value: string } } }[];
      }
    ).blocks.find((b) => b.block_id === 'product_line');
    expect(product?.element.initial_option?.value).toBe('widgets');
  });

  it('when /commit help is typed then usage is answered privately in the ack and no modal opens', async () => {
    const res = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: 'help' }));
    expect(res.status).toBe(200);
    const body = res.json() as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('/commit Acme 120 widgets');
    assertValidMessage(body);
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
  });
});

describe('submitting a request', () => {
  it('when the form is valid then a parent message and one thread message per required function are posted', async () => {
    const res = await h.submitRequest('U0SELLER', {
      customer: 'Acme Corp',
      productLineId: 'widgets',
      quantity: '120',
      value: '75000',
      deliveryDate: '2026-12-01', // sooner than the 21-day standard lead time
      paymentTermsDays: '60',
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ response_action: 'update' });

    const [parent] = await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
    expect(parent?.args.channel).toBe('C0REQUESTS');
    const parentText = textOf(parent as RecordedCall);
    for (const s of ['CG-1', 'Acme Corp', 'Widgets', '120', '$75,000.00', '60 days', '<@U0SELLER>']) {
      expect(parentText).toContain(s);
    }
    expect(parentText).toContain('delivery sooner than the 21-day standard lead time');

    const thread = await threadMessages(4);
    expect(thread.map((c) => c.args.thread_ts)).toEqual(
      Array(4).fill(parent?.response && (parent.response as { ts: string }).ts),
    );
    const labels = thread.map((c) => String(c.args.text));
    expect(labels[0]).toMatch(/<@U0OPS1> <@U0OPS2>: Operations sign-off needed for CG-1/);
    expect(labels[1]).toMatch(/<@U0QA1>: Quality sign-off/);
    expect(labels[2]).toMatch(/<@U0FIN1> <@U0FIN2>: Finance sign-off/);
    expect(labels[3]).toMatch(/<@U0HR1>: People sign-off/);
    for (const call of thread) {
      expect(buttonValue(call, ACTIONS.approve)).toBeTruthy();
      expect(buttonValue(call, ACTIONS.reject)).toBeTruthy();
    }
    everyMessageIsValid();

    const sqlite = db();
    expect(sqlite.prepare('SELECT status, value_minor, delivery_date FROM requests').all()).toEqual([
      { status: 'pending', value_minor: 7_500_000, delivery_date: '2026-12-01' },
    ]);
    expect(sqlite.prepare('SELECT function_id FROM sign_offs ORDER BY id').pluck().all()).toEqual([
      'operations',
      'quality',
      'finance',
      'people',
    ]);
    expect(sqlite.prepare('SELECT type, actor_id FROM events').all()).toEqual([
      { type: 'request.submitted', actor_id: 'U0SELLER' },
    ]);
    sqlite.close();
  });

  it('when fields are invalid then every problem is shown on its own field and nothing is stored or posted', async () => {
    const res = await h.submitRequest('U0SELLER', {
      customer: '   ',
      productLineId: 'sprockets',
      quantity: '0',
      value: '-5',
      deliveryDate: '2026-11-01',
      paymentTermsDays: '400',
      discountPercent: '150',
    });
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(
      ['customer', 'delivery_date', 'discount', 'payment_terms', 'product_line', 'quantity', 'value'].sort(),
    );
    expect(body.errors.delivery_date).toContain('cannot be in the past');
    expect(body.errors.quantity).toContain('more than zero');
    const sqlite = db();
    expect(sqlite.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(0);
    sqlite.close();
    // Give the dispatcher a chance to (wrongly) post something.
    await h.runtime.dispatcher.drain();
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('deciding sign-offs', () => {
  async function submitSimple() {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets', value: '10000' });
    const [ask] = await threadMessages(1);
    return ask as RecordedCall;
  }

  it('when the only function approves then the thread and parent update and the seller is told they may commit', async () => {
    const ask = await submitSimple();
    const res = await h.click(
      'U0OPS2',
      ACTIONS.approve,
      buttonValue(ask, ACTIONS.approve),
      (ask.response as { ts: string }).ts,
    );
    expect(res.status).toBe(200);

    const dm = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'),
    );
    expect(textOf(dm[0] as RecordedCall)).toContain('You may commit CG-1');
    expect(textOf(dm[0] as RecordedCall)).toContain('deliver by Mon 1 Feb 2027.');
    expect(h.standIn.callsTo('conversations.open')[0]?.args.users).toBe('U0SELLER');

    const askTs = (ask.response as { ts: string }).ts;
    const thread = h.standIn.message('C0REQUESTS', askTs);
    expect(JSON.stringify(thread?.blocks)).toContain('Approved* by <@U0OPS2>');
    expect(JSON.stringify(thread?.blocks)).not.toContain(ACTIONS.approve);
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(JSON.stringify(parent?.blocks)).toContain('CG-1 is cleared');
    everyMessageIsValid();

    const sqlite = db();
    expect(sqlite.prepare('SELECT status FROM requests').pluck().get()).toBe('approved');
    expect(sqlite.prepare('SELECT type, actor_id FROM events ORDER BY id').all()).toEqual([
      { type: 'request.submitted', actor_id: 'U0SELLER' },
      { type: 'signoff.approved', actor_id: 'U0OPS2' },
      { type: 'request.approved', actor_id: null },
    ]);
    sqlite.close();
  });

  it('when someone who is not an owner clicks then they are told privately and nothing changes', async () => {
    const ask = await submitSimple();
    await h.runtime.dispatcher.drain();
    const before = h.standIn.calls.length;
    await h.click(
      'U0QA1',
      ACTIONS.approve,
      buttonValue(ask, ACTIONS.approve),
      (ask.response as { ts: string }).ts,
    );
    const [eph] = await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(eph?.args.user).toBe('U0QA1');
    expect(String(eph?.args.text)).toContain('Only an owner of Operations');
    expect(eph?.args.thread_ts).toBeDefined();
    await h.runtime.dispatcher.drain();
    expect(h.standIn.calls.slice(before).map((c) => c.method)).toEqual(['chat.postEphemeral']);
    const sqlite = db();
    expect(sqlite.prepare('SELECT status FROM sign_offs').pluck().get()).toBe('pending');
    sqlite.close();
  });

  it('when an owner double-clicks Approve concurrently then it counts once and the second click is told so', async () => {
    const config = (await import('../support/config.js')).exampleConfig({
      rules: [{ require: ['finance'] }],
    });
    await h.stop();
    h = await Harness.start({ config });
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await threadMessages(1);
    const ts = ((ask as RecordedCall).response as { ts: string }).ts;
    const value = buttonValue(ask as RecordedCall, ACTIONS.approve);
    await Promise.all([
      h.click('U0FIN1', ACTIONS.approve, value, ts),
      h.click('U0FIN1', ACTIONS.approve, value, ts),
    ]);
    const [eph] = await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(String(eph?.args.text)).toContain('You already approved Finance');
    const sqlite = db();
    expect(sqlite.prepare('SELECT count(*) FROM sign_off_approvals').pluck().get()).toBe(1);
    expect(sqlite.prepare('SELECT status FROM requests').pluck().get()).toBe('pending');
    sqlite.close();
    // The second distinct owner completes the quorum of two.
    await h.click('U0FIN2', ACTIONS.approve, value, ts);
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'));
    const after = db();
    expect(after.prepare('SELECT status FROM requests').pluck().get()).toBe('approved');
    after.close();
  });

  it('when two owners of a single-approval function click at once then exactly one decision is recorded', async () => {
    const ask = await submitSimple();
    const ts = (ask.response as { ts: string }).ts;
    const value = buttonValue(ask, ACTIONS.approve);
    await Promise.all([
      h.click('U0OPS1', ACTIONS.approve, value, ts),
      h.click('U0OPS2', ACTIONS.approve, value, ts),
    ]);
    const [eph] = await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(String(eph?.args.text)).toMatch(/already approved by <@U0OPS[12]>/);
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'));
    await h.runtime.dispatcher.drain();
    expect(
      h.standIn.calls.filter(
        (c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'),
      ),
    ).toHaveLength(1);
    const sqlite = db();
    expect(sqlite.prepare("SELECT count(*) FROM events WHERE type = 'signoff.approved'").pluck().get()).toBe(
      1,
    );
    sqlite.close();
  });

  it('when an owner rejects with a reason then the request is blocked and the seller told who and why', async () => {
    await h.submitRequest('U0SELLER', { productLineId: 'widgets', deliveryDate: '2027-01-15' });
    const [ops, qa] = await threadMessages(2);
    const qaTs = ((qa as RecordedCall).response as { ts: string }).ts;
    await h.click('U0QA1', ACTIONS.reject, buttonValue(qa as RecordedCall, ACTIONS.reject), qaTs);
    const [open] = await h.standIn.waitFor((c) => c.method === 'views.open');
    const view = open?.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACKS.rejectModal);
    assertValidModal(view);

    const submit = (reason: string | null) =>
      h.slack.interaction(
        viewSubmission({
          userId: 'U0QA1',
          callbackId: CALLBACKS.rejectModal,
          privateMetadata: view.private_metadata,
          values: { [REJECT_BLOCKS.reason]: { [`${REJECT_BLOCKS.reason}_input`]: stateValue.text(reason) } },
        }),
      );
    const empty = await submit('  ');
    expect(empty.json()).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringContaining('Give a reason') },
    });

    const ok = await submit('Custom finish needs <!channel> 6 weeks');
    expect(ok.status).toBe(200);
    const [dm] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'),
    );
    const dmText = textOf(dm as RecordedCall);
    expect(dmText).toContain('Do not commit CG-1');
    expect(dmText).toContain('Quality');
    expect(dmText).toContain('<@U0QA1>');
    expect(dmText).toContain('&lt;!channel&gt;');
    expect(dmText).not.toContain('<!channel>');

    // The operations sign-off, never decided, loses its buttons too.
    await h.runtime.dispatcher.drain();
    const opsMessage = h.standIn.message('C0REQUESTS', ((ops as RecordedCall).response as { ts: string }).ts);
    expect(JSON.stringify(opsMessage?.blocks)).not.toContain(ACTIONS.approve);
    expect(JSON.stringify(opsMessage?.blocks)).toContain('No decision needed');

    // A decided request accepts no more decisions.
    const opsTs = ((ops as RecordedCall).response as { ts: string }).ts;
    await h.click('U0OPS1', ACTIONS.approve, buttonValue(ops as RecordedCall, ACTIONS.approve), opsTs);
    const [eph] = await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(String(eph?.args.text)).toContain('CG-1 is already rejected');
    everyMessageIsValid();

    const sqlite = db();
    expect(sqlite.prepare('SELECT status FROM requests').pluck().get()).toBe('rejected');
    expect(
      sqlite.prepare("SELECT rejection_reason FROM sign_offs WHERE function_id = 'quality'").pluck().get(),
    ).toBe('Custom finish needs <!channel> 6 weeks');
    sqlite.close();
  });

  it('when the seller is also an owner then they cannot approve their own request', async () => {
    await h.submitRequest('U0OPS1', { productLineId: 'gadgets' });
    const [ask] = await threadMessages(1);
    await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(ask as RecordedCall, ACTIONS.approve),
      ((ask as RecordedCall).response as { ts: string }).ts,
    );
    const [eph] = await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(String(eph?.args.text)).toContain('another owner of Operations must decide it');
  });

  it('when a button value is tampered with then the clicker is refused and nothing changes', async () => {
    const ask = await submitSimple();
    const ts = (ask.response as { ts: string }).ts;
    await h.click('U0OPS1', ACTIONS.approve, '{"s":"1; DROP TABLE requests","v":1}', ts);
    const [eph] = await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(String(eph?.args.text)).toContain('That button is not valid');
    await h.click('U0OPS1', ACTIONS.approve, JSON.stringify({ s: 999, v: 1 }), ts);
    await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral', { count: 2 });
    const sqlite = db();
    expect(sqlite.prepare('SELECT status FROM sign_offs').pluck().all()).toEqual(['pending']);
    sqlite.close();
  });
});

describe('signatures', () => {
  it.each([
    ['a forged signature', { signature: 'wrong' as const }],
    ['no signature', { signature: 'missing' as const }],
    ['a stale timestamp (6 minutes old)', { timestampOffsetSeconds: -360 }],
  ])('when a request has %s then it gets 401 and changes nothing', async (_name, tamper) => {
    const res = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }), tamper);
    expect(res.status).toBe(401);
    const sub = await h.slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel: null }),
        values: h.requestValues({}),
      }),
      tamper,
    );
    expect(sub.status).toBe(401);
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
    const sqlite = db();
    expect(sqlite.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(0);
    sqlite.close();
  });
});

describe('restart', () => {
  it('when the bot restarts with a request in flight then undelivered messages go out once and decisions still work', async () => {
    // Slack is down for the thread post: the sign-off ask stays in the outbox across the restart.
    h.standIn.fail('chat.postMessage', { error: 'internal_error', times: 1000 });
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage');
    await h.restart();
    h.standIn.fail('chat.postMessage', { times: 0 });
    const [ask] = await threadMessages(1);
    const parents = h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(ask as RecordedCall, ACTIONS.approve),
      ((ask as RecordedCall).response as { ts: string }).ts,
    );
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'));
    expect(h.standIn.messages('C0REQUESTS').filter((m) => m.thread_ts)).toHaveLength(1);
  });
});
