// The scheduled side of the bot end to end: the weekly digest posted once (also across a
// restart), with its chart; a reminder in the thread, one escalation to leadership, and expiry
// shown on the parent message with the seller told and the buttons refusing. The clock jumps;
// the test ticks the scheduler itself and waits for deliveries, never for time.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { assertValidMessage } from '../support/block-kit.js';
import { slashCommand } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

const DAY = 86_400_000;
type Block = { elements?: { action_id?: string; value?: string }[] };
const textOf = (call: RecordedCall | undefined) =>
  `${String(call?.args.text)}\n${JSON.stringify(call?.args.blocks ?? [])}`;

let h: Harness;
beforeEach(async () => {
  // Friday 20 Nov 2026, 15:00 in New York.
  h = await Harness.start({ start: '2026-11-20T20:00:00Z', schedule: true });
  await h.runtime.scheduler.tick();
  await h.runtime.dispatcher.drain();
});
afterEach(async () => {
  await h.stop();
});

const topLevelDigests = () => h.standIn.messages('C0DIGEST').filter((m) => !m.thread_ts);

async function settle(): Promise<void> {
  await h.runtime.scheduler.tick();
  await h.runtime.dispatcher.drain();
}

function everyMessageIsValid(): void {
  for (const call of h.standIn.calls) {
    if ((call.method === 'chat.postMessage' || call.method === 'chat.update') && call.args.blocks) {
      assertValidMessage({ text: String(call.args.text), blocks: call.args.blocks as unknown[] });
    }
  }
}

describe('scheduled jobs', () => {
  it('when Monday 09:00 passes then last week’s digest is posted once with its chart, even across a restart', async () => {
    // A new install does not post the slot that passed before it first ran (the week of 9 Nov).
    await settle();
    expect(topLevelDigests()).toHaveLength(0);
    h.clock.jump(3 * DAY); // Monday 23 Nov, 15:00
    await settle();
    await settle();
    expect(topLevelDigests().map((m) => m.text.split('\n')[0])).toEqual([
      'Weekly digest: Mon 16 Nov 2026 – Sun 22 Nov 2026',
    ]);
    await h.restart();
    await settle();
    expect(topLevelDigests()).toHaveLength(1);
    const files = h.standIn.files();
    expect(files).toHaveLength(1);
    expect(files.every((f) => f.completed && f.threadTs !== undefined)).toBe(true);
    expect(files[0]?.content?.subarray(1, 4).toString()).toBe('PNG');
    // Screen readers get the chart's figures (files.getUploadURLExternal documents alt_txt).
    const [asked] = h.standIn.callsTo('files.getUploadURLExternal');
    expect(String(asked?.args.alt_txt)).toMatch(
      /^Six line charts, one per link of the chain, over the 8 weeks from .+ Sales: requests in: .+ Leadership: escalations: /,
    );
    everyMessageIsValid();
  });

  it('when a sign-off waits then one reminder in its thread, one escalation to leadership, then expiry', async () => {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets', value: '10000' });
    const [ask] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string',
    );
    await h.runtime.dispatcher.drain();
    const threadTs = String(ask?.args.thread_ts);

    h.clock.jump(3 * DAY); // Mon 15:00: 8 business hours
    await settle();
    await settle();
    const reminders = h.standIn
      .messages('C0REQUESTS')
      .filter((m) => m.thread_ts === threadTs && m.text.includes('has waited more than 8 business hours'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.text).toContain('<@U0OPS1> <@U0OPS2>');

    h.clock.jump(2 * DAY); // Wed 15:00: 24 business hours
    await settle();
    await h.restart();
    await settle();
    const escalations = h.standIn
      .callsTo('chat.postMessage')
      .filter((c) => textOf(c).includes('has waited more than 24 business hours'));
    expect(escalations).toHaveLength(1);
    expect(String(escalations[0]?.args.channel)).toMatch(/^D/);
    expect(textOf(escalations[0])).toContain('CG-1');

    h.clock.jump(9 * DAY); // Fri 4 Dec 15:00 and a bit: 14 calendar days
    await settle();
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(JSON.stringify(parent?.blocks)).toContain('CG-1 expired');
    const sellerDm = h.standIn
      .callsTo('chat.postMessage')
      .find((c) => String(c.args.channel).startsWith('D') && textOf(c).includes('CG-1 expired'));
    expect(sellerDm).toBeDefined();

    if (!ask) throw new Error('no sign-off message');
    const blocks = ask.args.blocks as Block[];
    const value =
      blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.approve)?.value ?? '';
    await h.click('U0OPS1', ACTIONS.approve, value, (ask.response as { ts: string }).ts);
    const [eph] = await h.standIn.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(String(eph?.args.text)).toContain('CG-1 is already expired');

    const sqlite = new Database(h.dbPath, { readonly: true });
    expect(sqlite.prepare('SELECT status FROM requests').pluck().get()).toBe('expired');
    expect(
      sqlite
        .prepare("SELECT type FROM events WHERE type NOT IN ('request.submitted') ORDER BY id")
        .pluck()
        .all(),
    ).toEqual(['signoff.reminded', 'signoff.escalated', 'request.expired']);
    sqlite.close();
    everyMessageIsValid();
  });

  it('when leadership types /commit digest then the week so far is answered privately; others are refused', async () => {
    await h.slack.slashCommand(slashCommand({ user_id: 'U0CEO', text: 'digest' }));
    const [answer] = await h.standIn.waitFor((c) => c.method === 'response_url');
    expect(answer?.args.response_type).toBe('ephemeral');
    expect(String(answer?.args.text)).toContain('This week so far: Mon 16 Nov 2026 – Sun 22 Nov 2026');
    assertValidMessage({ text: String(answer?.args.text), blocks: answer?.args.blocks as unknown[] });
    await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: 'digest' }));
    const answers = await h.standIn.waitFor((c) => c.method === 'response_url', { count: 2 });
    expect(String(answers[1]?.args.text)).toContain('Only leadership');
  });
});
