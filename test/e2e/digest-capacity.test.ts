// The weekly digest shows the next 4 weeks' load per product line (flagged over 90% and over
// 100%), wherever the digest is shown: /commit digest and the App Home "Preview digest" button
// (which shows exactly what /commit digest answers, in a modal).
// Widgets: 500 units a week; gadgets have no capacity. The clock: Monday 23 Nov 2026.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { assertValidMessage, assertValidModal } from '../support/block-kit.js';
import { blockAction, slashCommand } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
  await h.submitRequest('U0SELLER', {
    productLineId: 'widgets',
    quantity: '460',
    deliveryDate: '2026-11-25',
  });
  await h.submitRequest('U0SELLER', {
    productLineId: 'widgets',
    quantity: '300',
    deliveryDate: '2026-12-02',
  });
  await h.submitRequest('U0SELLER', {
    productLineId: 'widgets',
    quantity: '251',
    deliveryDate: '2026-12-03',
  });
});
afterEach(async () => {
  await h.stop();
});

const ROW =
  ' · :large_yellow_circle: 23 Nov: 460/500 (92%) · :red_circle: 30 Nov: 551/500 (110%) · 7 Dec: 0/500 (0%) · 14 Dec: 0/500 (0%)';

/** What the capacity section must say for the requests above, in the blocks and in the fallback. */
function expectCapacitySection(call: RecordedCall | undefined): void {
  const blocks = JSON.stringify(call?.args.blocks ?? []);
  const text = String(call?.args.text);
  expect(blocks).toContain('Capacity, next weeks');
  expect(blocks).toContain(`*Widgets*${ROW}`);
  expect(blocks).toContain('Not checked (no capacity per week): Gadgets');
  expect(text).toContain('Capacity, next weeks');
  expect(text).toContain(`Widgets${ROW}`);
}

describe('capacity in the digest', () => {
  it('when leadership types /commit digest then the week so far ends with the next 4 weeks of load, flagged', async () => {
    await h.slack.slashCommand(slashCommand({ user_id: 'U0CEO', text: 'digest' }));
    const [answer] = await h.standIn.waitFor((c) => c.method === 'response_url');
    expect(answer?.args.response_type).toBe('ephemeral');
    assertValidMessage({ text: String(answer?.args.text), blocks: answer?.args.blocks as unknown[] });
    expect(String(answer?.args.text)).toContain('This week so far');
    expectCapacitySection(answer);
  });

  it('when a leader clicks Preview digest on Home then the same week so far opens in a modal; others are refused', async () => {
    await h.slack.slashCommand(slashCommand({ user_id: 'U0CEO', text: 'digest' }));
    const [answer] = await h.standIn.waitFor((c) => c.method === 'response_url');

    await h.slack.interaction(previewClick('U0CEO'));
    const [opened] = await h.standIn.waitFor('views.open');
    const modal = opened?.args.view as { title: { text: string }; blocks: unknown[] };
    assertValidModal(modal);
    expect(modal.title.text).toBe('This week so far');
    // Exactly what /commit digest answers.
    expect(modal.blocks).toEqual(answer?.args.blocks);
    expect(JSON.stringify(modal.blocks)).toContain(`*Widgets*${ROW}`);

    await h.slack.interaction(previewClick('U0SELLER'));
    const [refused] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER',
    );
    expect(String(refused?.args.text)).toContain('Only leadership');
    expect(h.standIn.callsTo('views.open')).toHaveLength(1);
  });
});

function previewClick(userId: string) {
  return blockAction({
    userId,
    actionId: ACTIONS.previewDigest,
    value: 'preview',
    view: { id: `V_HOME_${userId}`, type: 'home' },
  });
}
