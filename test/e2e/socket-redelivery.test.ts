// Redeliveries over Socket Mode: Slack resends an envelope (new envelope_id, retry_attempt > 0)
// when it saw no ack; the payload's own ids are the same, so the bot acts once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../src/slack/ids.js';
import { appHomeOpened, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ mode: 'socket' });
});
afterEach(async () => {
  await h.stop();
});

describe('Socket Mode redeliveries', () => {
  it('when an event envelope is retried and a submission envelope arrives twice then each is acked every time and acted on once', async () => {
    const seen: string[] = [];
    h.runtime.app.event('app_home_opened', async ({ body }) => {
      seen.push(body.event_id);
    });
    const event = appHomeOpened({ userId: 'U0SELLER' });
    await h.standIn.sendEnvelope('events_api', event);
    const retried = await h.standIn.sendEnvelope('events_api', event, {
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect(retried.envelope_id).toBeTruthy();

    const submission = viewSubmission({
      userId: 'U0SELLER',
      callbackId: CALLBACKS.requestModal,
      privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
      values: h.requestValues({ productLineId: 'gadgets' }),
    });
    const first = await h.standIn.sendEnvelope('interactive', submission);
    const again = await h.standIn.sendEnvelope('interactive', submission, { retryAttempt: 1 });
    expect(first.payload).toMatchObject({ response_action: 'update' });
    expect(again.envelope_id).toBeTruthy();

    await expect.poll(() => seen).toEqual([event.event_id]);
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string');
    await h.runtime.dispatcher.drain();
    expect(h.standIn.messages('C0REQUESTS').filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(h.logs.filter((l) => l.includes('redelivery dropped'))).toHaveLength(2);
  });
});
