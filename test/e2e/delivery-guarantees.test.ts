// What Slack's side of the wire can do to the bot: answer slowly, deliver twice, carry hostile
// text or payloads no listener expects. Acks stay fast, each delivery acts once, text renders as
// typed and pings nobody, and invalid payloads change nothing.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import { NOT_VALID } from '../../src/slack/middleware/refuse-invalid.js';
import { assertValidMessage } from '../support/block-kit.js';
import { appHomeOpened, blockAction, slashCommand, viewSubmission } from '../support/fixtures.js';
import { BOT_TOKEN, Harness, SIGNING_SECRET } from '../support/harness.js';

type Block = { elements?: { action_id?: string; value?: string }[] };

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

const succeeded = (c: RecordedCall) => c.status === 200 && c.response.ok === true;
const threadPost = (c: RecordedCall) =>
  c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string' && succeeded(c);

function buttonValue(call: RecordedCall, actionId: string): string {
  for (const b of call.args.blocks as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
}

/** Every mrkdwn text object in some blocks, wherever it sits. */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (!value || typeof value !== 'object') return [];
  const o = value as { type?: unknown; text?: unknown };
  const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.values(value).flatMap(mrkdwnTexts)];
}

function scalar(sql: string): unknown {
  const db = new Database(h.dbPath, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}

async function askMessage(): Promise<RecordedCall> {
  await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
  const [ask] = await h.standIn.waitFor(threadPost);
  return ask as RecordedCall;
}

describe('ack first', () => {
  it('when Slack answers views.open, chat.postMessage, chat.update and chat.postEphemeral after 3.5 s then every ack comes back before those calls finish', async () => {
    h.standIn.failNext('views.open', { delayMs: 3500 });
    const command = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }));
    expect(command.status).toBe(200);
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);

    h.standIn.failNext('chat.postMessage', { delayMs: 3500 });
    const submitted = await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    expect(submitted.status).toBe(200);
    expect(submitted.json()).toMatchObject({ response_action: 'update' });
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);

    const [ask] = await h.standIn.waitFor(threadPost, { timeoutMs: 10_000 });
    await h.standIn.waitFor('views.open', { timeoutMs: 10_000 });
    const ts = String(ask?.response.ts);
    h.standIn.failNext('chat.postEphemeral', { delayMs: 3500 });
    const refused = await h.click(
      'U0QA1',
      ACTIONS.approve,
      buttonValue(ask as RecordedCall, ACTIONS.approve),
      ts,
    );
    expect(refused.status).toBe(200);
    expect(h.standIn.callsTo('chat.postEphemeral')).toHaveLength(0);

    h.standIn.failNext('chat.update', { delayMs: 3500 });
    const approved = await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(ask as RecordedCall, ACTIONS.approve),
      ts,
    );
    expect(approved.status).toBe(200);
    expect(h.standIn.callsTo('chat.update')).toHaveLength(0);
    expect(scalar('SELECT status FROM requests')).toBe('approved');

    await h.standIn.waitFor('chat.postEphemeral', { timeoutMs: 10_000 });
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER', {
      timeoutMs: 10_000,
    });
  }, 30_000);
});

describe('redeliveries', () => {
  it('when Slack retries an Events API delivery (X-Slack-Retry-Num, same event_id) then listeners see it once, and a first-seen retry still counts', async () => {
    const seen: string[] = [];
    h.runtime.app.event('app_home_opened', async ({ body }) => {
      seen.push(body.event_id);
    });
    const first = appHomeOpened({ userId: 'U0SELLER' });
    expect((await h.slack.event(first)).status).toBe(200);
    for (const n of [1, 2, 3]) {
      const retry = await h.slack.event(first, {
        headers: { 'X-Slack-Retry-Num': String(n), 'X-Slack-Retry-Reason': 'http_timeout' },
      });
      expect(retry.status).toBe(200);
    }
    // The first delivery of this one was lost on the way: its retry is the first we see.
    const lost = appHomeOpened({ userId: 'U0OPS1' });
    await h.slack.event(lost, {
      headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_error' },
    });
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual([first.event_id, lost.event_id]);
    expect(scalar("SELECT count(*) FROM processed_interactions WHERE key LIKE 'event:%'")).toBe(2);
    expect(h.logs.filter((l) => l.includes('redelivery dropped'))).toHaveLength(3);
  });

  it('when the same click and the same modal submission arrive twice then each acts once and the repeat is not refused as a second decision', async () => {
    const twice = viewSubmission({
      userId: 'U0SELLER',
      callbackId: CALLBACKS.requestModal,
      privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
      values: h.requestValues({ productLineId: 'gadgets' }),
    });
    expect((await h.slack.interaction(twice)).status).toBe(200);
    expect((await h.slack.interaction(twice)).status).toBe(200);
    expect(scalar('SELECT count(*) FROM requests')).toBe(1);

    const [ask] = await h.standIn.waitFor(threadPost);
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    const click = blockAction({
      userId: 'U0OPS1',
      actionId: ACTIONS.approve,
      value: buttonValue(ask as RecordedCall, ACTIONS.approve),
      channelId: 'C0REQUESTS',
      messageTs: String(ask?.response.ts),
      ...(parent ? { threadTs: parent.ts } : {}),
    });
    const responses = await Promise.all([h.slack.interaction(click), h.slack.interaction(click)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER');
    await h.runtime.dispatcher.drain();
    expect(scalar("SELECT count(*) FROM events WHERE type = 'signoff.approved'")).toBe(1);
    expect(h.standIn.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(h.standIn.messages('DU0SELLER')).toHaveLength(1);
  });
});

describe('hostile and odd input', () => {
  const hostile = '<!channel> *Acme* <@U0CEO> <http://evil.example|click> _x_ ~y~ `z` &amp;';

  it('when a customer name and notes carry mrkdwn and mentions then every message shows them as typed and pings nobody; long notes are cut in Slack but kept whole in the database', async () => {
    const notes = `${'<!here> '.repeat(374)}<@U0CEO>`;
    expect(notes).toHaveLength(3000);
    const res = await h.submitRequest('U0SELLER', {
      customer: hostile,
      productLineId: 'gadgets',
      specialRequirements: notes,
      dealReference: '<https://evil.example|deal>',
    });
    expect(res.status).toBe(200);
    const [ask] = await h.standIn.waitFor(threadPost);
    await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(ask as RecordedCall, ACTIONS.approve),
      String(ask?.response.ts),
    );
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER');
    await h.runtime.dispatcher.drain();

    const sent = [...h.standIn.messages('C0REQUESTS'), ...h.standIn.messages('DU0SELLER')];
    expect(sent).toHaveLength(3);
    for (const m of sent) {
      assertValidMessage({ text: m.text, blocks: [...m.blocks] });
      // mrkdwn is where Slack parses mentions and links; plain_text (the header) shows text as is.
      const all = [m.text, ...mrkdwnTexts(m.blocks)].join('\n');
      expect(all).not.toMatch(/<!channel>|<!here>|<@U0CEO>|<http:\/\/evil|<https:\/\/evil/);
      expect(all).toContain('&lt;!channel&gt;');
    }
    const parent = mrkdwnTexts(h.standIn.messages('C0REQUESTS')[0]?.blocks).join('\n');
    expect(parent).toContain('&lt;!here&gt;');
    expect(parent).toContain('…');
    expect(scalar('SELECT special_requirements FROM requests')).toBe(notes);
    expect(scalar('SELECT customer FROM requests')).toBe(hostile);
  });

  it('when an action id is unknown, a payload is malformed, a form is unknown or a command is not ours then the person is refused privately and nothing changes', async () => {
    const ask = await askMessage();
    await h.runtime.dispatcher.drain();
    const before = h.standIn.calls.length;

    const unknown = await h.click(
      'U0OPS1',
      'signoff_approve_everything',
      buttonValue(ask, ACTIONS.approve),
      String(ask.response.ts),
    );
    expect(unknown.status).toBe(200);
    const [eph] = await h.standIn.waitFor('chat.postEphemeral');
    expect(eph?.args).toMatchObject({ user: 'U0OPS1', text: NOT_VALID });

    const noUser = {
      ...blockAction({
        userId: 'U0OPS1',
        actionId: ACTIONS.approve,
        value: buttonValue(ask, ACTIONS.approve),
      }),
      user: undefined,
    };
    expect((await h.slack.interaction(noUser)).status).toBeLessThan(500);

    const form = await h.slack.interaction(
      viewSubmission({ userId: 'U0OPS1', callbackId: 'admin_console', values: {} }),
    );
    expect(form.status).toBe(200);
    expect(JSON.stringify(form.json())).toContain(NOT_VALID);

    const command = await h.slack.slashCommand(
      slashCommand({ user_id: 'U0OPS1', text: '', command: '/approve-all' }),
    );
    expect(command.status).toBe(200);
    expect(command.json()).toMatchObject({ response_type: 'ephemeral', text: NOT_VALID });

    await h.runtime.dispatcher.drain();
    expect(h.standIn.calls.slice(before).map((c) => c.method)).toEqual(['chat.postEphemeral']);
    expect(scalar('SELECT status FROM sign_offs')).toBe('pending');
    expect(scalar('SELECT count(*) FROM events')).toBe(1);
  });
});

describe('logs', () => {
  it('when a request goes through then every log line is JSON, deliveries name the request and Slack ids, and no token or secret appears', async () => {
    const ask = await askMessage();
    await h.click('U0OPS1', ACTIONS.approve, buttonValue(ask, ACTIONS.approve), String(ask.response.ts));
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER');
    await h.runtime.dispatcher.drain();
    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'delivered',
        kind: 'parent.post',
        request: 'CG-1',
        channel: 'C0REQUESTS',
        ts: expect.any(String),
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'delivered',
        kind: 'seller.outcome',
        request: 'CG-1',
        channel: 'DU0SELLER',
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'sign-off approved', user: 'U0OPS1' }));
    const all = h.logs.join('\n');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
  });
});
