// The stand-in answers a real @slack/web-api WebClient (and a real Bolt app in Socket Mode) the
// way Slack does: shapes, errors, faults, state. If these pass, an e2e failure is the bot's.
import { App, LogLevel as BoltLogLevel } from '@slack/bolt';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  LogLevel as WebLogLevel,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandIn, STAND_IN_WORKSPACE } from '../../dev/slack-stand-in.js';
import { slashCommand, triggerId } from '../support/fixtures.js';

let standIn: SlackStandIn;
let client: WebClient;

const BOT_TOKEN = 'xoxb-stand-in-test';

/** The same client settings the bot uses: no retries of its own, rate limits rejected. */
function webClient(token: string | undefined): WebClient {
  return new WebClient(token, {
    slackApiUrl: standIn.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: WebLogLevel.ERROR,
  });
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title: string) => ({
  type: 'modal' as const,
  callback_id: 'm',
  title: { type: 'plain_text' as const, text: title },
  blocks: [],
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

beforeEach(async () => {
  standIn = await SlackStandIn.start({ usergroups: { S0FINANCE: ['U0FIN1', 'U0FIN2'] } });
  client = webClient(BOT_TOKEN);
});
afterEach(async () => {
  await standIn.close();
});

describe('auth', () => {
  it('when a bot token calls auth.test then the bot user and bot ids come back', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({
      ok: true,
      user_id: STAND_IN_WORKSPACE.botUserId,
      bot_id: STAND_IN_WORKSPACE.botId,
      team_id: STAND_IN_WORKSPACE.teamId,
    });
    const [call] = standIn.callsTo('auth.test');
    expect(call?.token).toBe(BOT_TOKEN);
    expect(call?.args).not.toHaveProperty('token');
  });

  it('when the token is wrong or missing then invalid_auth / not_authed', async () => {
    const bad = await rejection(webClient('not-a-token').auth.test());
    expect(bad).toBeInstanceOf(Error);
    expect((bad as WebAPIPlatformError).data.error).toBe('invalid_auth');
    const none = await rejection(webClient(undefined).auth.test());
    expect((none as WebAPIPlatformError).data.error).toBe('not_authed');
  });

  it('when an unknown method is called then unknown_method', async () => {
    const error = await rejection(client.apiCall('chat.teleport', {}));
    expect((error as WebAPIPlatformError).data.error).toBe('unknown_method');
  });

  it('when a bot token opens a Socket Mode connection then not_allowed_token_type', async () => {
    const error = await rejection(client.apps.connections.open());
    expect((error as WebAPIPlatformError).data.error).toBe('not_allowed_token_type');
  });
});

describe('messages', () => {
  it('when messages are posted then ts values increase and nested blocks are parsed back', async () => {
    const first = await client.chat.postMessage({
      channel: 'C0REQ',
      text: 'one',
      blocks: [section('*one*')],
    });
    const second = await client.chat.postMessage({ channel: 'C0REQ', text: 'reply', thread_ts: first.ts });
    expect(first).toMatchObject({ ok: true, channel: 'C0REQ', ts: '1700000000.000100' });
    expect(first.message).toMatchObject({
      text: 'one',
      user: STAND_IN_WORKSPACE.botUserId,
      blocks: [section('*one*')],
    });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.message).toMatchObject({ thread_ts: first.ts });
    const [call] = standIn.callsTo('chat.postMessage');
    expect(call?.args.blocks).toEqual([section('*one*')]);
    expect(standIn.messages('C0REQ').map((m) => [m.text, m.thread_ts])).toEqual([
      ['one', undefined],
      ['reply', first.ts],
    ]);
  });

  it('when a message is updated then its current state changes and omitted blocks are kept', async () => {
    const { ts } = await client.chat.postMessage({
      channel: 'C0REQ',
      text: 'before',
      blocks: [section('b')],
    });
    const res = await client.chat.update({ channel: 'C0REQ', ts: String(ts), text: 'after' });
    expect(res).toMatchObject({ ok: true, channel: 'C0REQ', ts, text: 'after' });
    expect(standIn.message('C0REQ', String(ts))).toMatchObject({ text: 'after', blocks: [section('b')] });
    const missing = await rejection(client.chat.update({ channel: 'C0REQ', ts: '1.2', text: 'x' }));
    expect((missing as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it('when a message has no text and no blocks then no_text, and an ephemeral gets a message_ts', async () => {
    const error = await rejection(client.chat.postMessage({ channel: 'C0REQ', text: '' }));
    expect((error as WebAPIPlatformError).data.error).toBe('no_text');
    const eph = await client.chat.postEphemeral({ channel: 'C0REQ', user: 'U0X', text: 'psst' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(standIn.messages('C0REQ')).toEqual([]);
  });

  it('when a DM is opened then the channel is stable per user, and posting to a user id lands there', async () => {
    const a = await client.conversations.open({ users: 'U0SELLER' });
    const b = await client.conversations.open({ users: 'U0SELLER' });
    expect(a.channel?.id).toMatch(/^D/);
    expect(b.channel?.id).toBe(a.channel?.id);
    expect(b).toMatchObject({ already_open: true });
    const posted = await client.chat.postMessage({ channel: 'U0SELLER', text: 'hi' });
    expect(posted.channel).toBe(a.channel?.id);
    expect(standIn.messages(String(a.channel?.id))).toHaveLength(1);
  });
});

describe('history', () => {
  it('when messages carry metadata then history and replies return them only with include_all_metadata', async () => {
    const metadata = { event_type: 'commit_gate_delivery', event_payload: { key: 'parent:1' } };
    const parent = await client.chat.postMessage({ channel: 'C0REQUESTS', text: 'p', metadata });
    await client.chat.postMessage({ channel: 'C0REQUESTS', text: 'r', thread_ts: parent.ts ?? '', metadata });
    await client.chat.postMessage({ channel: 'C0REQUESTS', text: 'later' });
    const plain = await client.conversations.history({ channel: 'C0REQUESTS' });
    expect(plain.messages?.map((m) => m.text)).toEqual(['later', 'p']);
    expect(plain.messages?.[1]).not.toHaveProperty('metadata');
    const withMeta = await client.conversations.history({
      channel: 'C0REQUESTS',
      include_all_metadata: true,
    });
    expect(withMeta.messages?.[1]?.metadata).toEqual(metadata);
    const thread = await client.conversations.replies({
      channel: 'C0REQUESTS',
      ts: parent.ts ?? '',
      include_all_metadata: true,
    });
    expect(thread.messages?.map((m) => [m.text, m.metadata?.event_payload])).toEqual([
      ['p', { key: 'parent:1' }],
      ['r', { key: 'parent:1' }],
    ]);
    const missing = await rejection(client.conversations.replies({ channel: 'C0REQUESTS', ts: '1.2' }));
    expect(missing).toMatchObject({ data: { error: 'thread_not_found' } });
  });
});

describe('views', () => {
  it('when a modal is opened, updated and its trigger reused then Slack-shaped answers come back', async () => {
    const trigger = triggerId();
    const opened = await client.views.open({ trigger_id: trigger, view: modal('First') });
    const id = String(opened.view?.id);
    expect(opened.view).toMatchObject({
      id,
      type: 'modal',
      callback_id: 'm',
      app_id: STAND_IN_WORKSPACE.appId,
    });
    const reused = await rejection(client.views.open({ trigger_id: trigger, view: modal('Again') }));
    expect((reused as WebAPIPlatformError).data.error).toBe('exchanged_trigger_id');

    const updated = await client.views.update({
      view_id: id,
      hash: String(opened.view?.hash),
      view: modal('Second'),
    });
    expect(updated.view).toMatchObject({ id, title: { text: 'Second' } });
    const stale = await rejection(
      client.views.update({ view_id: id, hash: String(opened.view?.hash), view: modal('3') }),
    );
    expect((stale as WebAPIPlatformError).data.error).toBe('hash_conflict');
    expect(standIn.view(id)?.view).toMatchObject({ title: { text: 'Second' } });

    const pushed = await client.views.push({ trigger_id: triggerId(), view: modal('Pushed') });
    expect(pushed.view?.id).not.toBe(id);
  });

  it('when a Home tab is published twice then it keeps its id and homeView shows the latest', async () => {
    const first = await client.views.publish({
      user_id: 'U0SELLER',
      view: { type: 'home', blocks: [section('1')] },
    });
    const second = await client.views.publish({
      user_id: 'U0SELLER',
      view: { type: 'home', blocks: [section('2')] },
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(standIn.homeView('U0SELLER')?.view.blocks).toEqual([section('2')]);
  });
});

describe('users and groups', () => {
  it('when users.info and usergroups.users.list are asked then documented shapes come back', async () => {
    const info = await client.users.info({ user: 'U0SELLER' });
    expect(info.user).toMatchObject({ id: 'U0SELLER', is_bot: false, tz: 'America/Los_Angeles' });
    expect(typeof info.user?.tz_offset).toBe('number');
    const group = await client.usergroups.users.list({ usergroup: 'S0FINANCE' });
    expect(group.users).toEqual(['U0FIN1', 'U0FIN2']);
    standIn.setUsergroup('S0OPS', ['U0OPS1']);
    expect((await client.usergroups.users.list({ usergroup: 'S0OPS' })).users).toEqual(['U0OPS1']);
    const missing = await rejection(client.usergroups.users.list({ usergroup: 'S0NOPE' }));
    expect((missing as WebAPIPlatformError).data.error).toBe('no_such_subteam');
  });
});

describe('files', () => {
  it('when files.uploadV2 runs then all three steps reach the stand-in and the file is shared', async () => {
    const res = await client.filesUploadV2({
      channel_id: 'C0DIGEST',
      filename: 'digest.csv',
      title: 'Weekly digest',
      content: 'request,status\nCG-1,approved\n',
      initial_comment: 'This week',
    });
    expect(res.ok).toBe(true);
    expect(standIn.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'upload_url',
      'files.completeUploadExternal',
    ]);
    const [file] = standIn.files();
    expect(file).toMatchObject({
      filename: 'digest.csv',
      title: 'Weekly digest',
      completed: true,
      channels: ['C0DIGEST'],
    });
    expect(file?.content?.toString()).toBe('request,status\nCG-1,approved\n');
    expect(standIn.messages('C0DIGEST')).toMatchObject([{ text: 'This week', files: [file?.id] }]);
  });
});

describe('faults', () => {
  it('when a 429 is injected then the client gets a rate-limit error with Retry-After, and the next call works', async () => {
    standIn.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await rejection(client.chat.postMessage({ channel: 'C0REQ', text: 'x' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(standIn.callsTo('chat.postMessage')[0]).toMatchObject({
      status: 429,
      response: { ok: false, error: 'ratelimited' },
    });
    await expect(client.chat.postMessage({ channel: 'C0REQ', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('when an error or a 500 is injected then the client sees a platform or HTTP error, in order', async () => {
    standIn.failNext('chat.update', { error: 'cant_update_message' });
    standIn.failNext('chat.update', { status: 500 });
    const first = await rejection(client.chat.update({ channel: 'C0REQ', ts: '1.1', text: 'x' }));
    const second = await rejection(client.chat.update({ channel: 'C0REQ', ts: '1.1', text: 'x' }));
    expect(first).toBeInstanceOf(WebAPIPlatformError);
    expect((first as WebAPIPlatformError).data.error).toBe('cant_update_message');
    expect(second).toBeInstanceOf(WebAPIHTTPError);
    expect((second as WebAPIHTTPError).statusCode).toBe(500);
  });

  it('when fail() sets many failures then times: 0 clears them; a delay only slows the answer', async () => {
    standIn.fail('chat.postMessage', { error: 'internal_error', times: 1000 });
    await expect(client.chat.postMessage({ channel: 'C0REQ', text: 'x' })).rejects.toThrow(/internal_error/);
    standIn.fail('chat.postMessage', { times: 0 });
    await expect(client.chat.postMessage({ channel: 'C0REQ', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });

    standIn.failNext('auth.test', { delayMs: 150 });
    const started = Date.now();
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('when reset() is called then recorded calls, messages and faults are gone', async () => {
    await client.chat.postMessage({ channel: 'C0REQ', text: 'x' });
    standIn.failNext('chat.postMessage', { error: 'internal_error' });
    standIn.reset();
    expect(standIn.calls).toHaveLength(0);
    expect(standIn.messages('C0REQ')).toEqual([]);
    await expect(client.chat.postMessage({ channel: 'C0REQ', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });
});

describe('waitFor', () => {
  it('when the calls arrive later then it resolves with all matching calls', async () => {
    const waiting = standIn.waitFor('chat.postMessage', { count: 2 });
    await client.chat.postMessage({ channel: 'C0REQ', text: 'a' });
    await client.chat.postMessage({ channel: 'C0REQ', text: 'b' });
    expect((await waiting).map((c) => c.args.text)).toEqual(['a', 'b']);
  });

  it('when nothing matches in time then it rejects listing what was recorded', async () => {
    await client.auth.test();
    await expect(standIn.waitFor((c) => c.method === 'views.open', { timeoutMs: 50 })).rejects.toThrow(
      /waited 50 ms for 1 call\(s\) matching .*views\.open.*0 matched\. Recorded calls \(1\):\n {2}auth\.test ok/s,
    );
  });
});

describe('JSON bodies and response_url', () => {
  it('when a method is called with a JSON body then the bearer token counts and objects arrive as objects', async () => {
    const res = await fetch(`${standIn.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'C0REQ', text: 'json', blocks: [section('j')], unfurl_links: false }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C0REQ' });
    expect(standIn.callsTo('chat.postMessage')[0]?.args).toMatchObject({
      blocks: [section('j')],
      unfurl_links: false,
    });
    const bodyToken = await fetch(`${standIn.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: BOT_TOKEN }),
    });
    expect(await bodyToken.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('when a response_url from a click is used then it is recorded and replace_original updates the message', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C0REQ', text: 'Approve?' });
    const local = standIn.withLocalResponseUrls({
      response_url: 'https://hooks.slack.com/actions/T0TEAM/1/abc',
      container: { type: 'message', channel_id: 'C0REQ', message_ts: ts },
    });
    expect(String(local.response_url)).toMatch(new RegExp(`^${standIn.baseUrl}/respond/`));
    const res = await fetch(String(local.response_url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Approved' }),
    });
    expect(res.status).toBe(200);
    expect(standIn.callsTo('response_url')[0]?.args).toEqual({ replace_original: true, text: 'Approved' });
    expect(standIn.message('C0REQ', String(ts))?.text).toBe('Approved');
  });
});

describe('Socket Mode', () => {
  it('when a Bolt app connects with an app token then envelopes reach it and its acks and respond() come back', async () => {
    const app = new App({
      token: BOT_TOKEN,
      appToken: 'xapp-stand-in-test',
      socketMode: true,
      logLevel: BoltLogLevel.ERROR,
      clientOptions: { slackApiUrl: standIn.apiUrl },
    });
    app.command('/commit', async ({ ack, respond }) => {
      await ack({ response_type: 'ephemeral', text: 'usage' });
      await respond({ response_type: 'ephemeral', text: 'later' });
    });
    await app.start();
    try {
      expect(standIn.callsTo('apps.connections.open')[0]?.token).toBe('xapp-stand-in-test');
      expect(standIn.socketCount).toBe(1);
      const ack = await standIn.sendEnvelope(
        'slash_commands',
        slashCommand({ user_id: 'U0SELLER', text: 'help' }),
      );
      expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'usage' });
      const [responded] = await standIn.waitFor('response_url');
      expect(responded?.args).toEqual({ response_type: 'ephemeral', text: 'later' });
    } finally {
      await app.stop();
    }
  });

  it('when no app is connected then sendEnvelope rejects after its timeout', async () => {
    await expect(standIn.sendEnvelope('events_api', {}, { timeoutMs: 50 })).rejects.toThrow(
      /no Socket Mode connection/,
    );
  });
});
