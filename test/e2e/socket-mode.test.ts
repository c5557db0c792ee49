// Socket Mode is the manifest's default: the same flow over the stand-in's WebSocket envelopes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids.js';
import { blockAction, slashCommand, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ mode: 'socket' });
});
afterEach(async () => {
  await h.stop();
});

describe('Socket Mode', () => {
  it('when the bot starts then it opens a connection with the app token and /healthz answers on PORT', async () => {
    const [open] = h.standIn.callsTo('apps.connections.open');
    expect(open?.token).toBe('xapp-test-app-token');
    const res = await fetch(`http://127.0.0.1:${h.runtime.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('when a slash command, a submission and a click arrive as envelopes then they are acked and acted on', async () => {
    const ack = await h.standIn.sendEnvelope(
      'slash_commands',
      slashCommand({ user_id: 'U0SELLER', text: 'help' }),
    );
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });

    await h.standIn.sendEnvelope('slash_commands', slashCommand({ user_id: 'U0SELLER', text: '' }));
    await h.standIn.waitFor((c) => c.method === 'views.open');

    const submitAck = await h.standIn.sendEnvelope(
      'interactive',
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
        values: h.requestValues({ productLineId: 'gadgets' }),
      }),
    );
    expect(submitAck.payload).toMatchObject({ response_action: 'update' });
    const [ask] = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        typeof c.args.thread_ts === 'string' &&
        (c.response as { ok: boolean }).ok,
    );
    const blocks = (ask?.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
    const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.approve)?.value;
    expect(value).toBeDefined();
    await h.standIn.sendEnvelope(
      'interactive',
      blockAction({
        userId: 'U0OPS1',
        actionId: ACTIONS.approve,
        value: value ?? '',
        channelId: 'C0REQUESTS',
        messageTs: ((ask as RecordedCall).response as { ts: string }).ts,
        threadTs: String(ask?.args.thread_ts),
      }),
    );
    const [dm] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'),
    );
    expect(String(dm?.args.text)).toContain('You may commit CG-1');
  });
});
