// `npm run demo` is how most people first see commit-gate: it must keep playing the whole week
// against the real bot and show what each person saw, rendered from what the bot really sent.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mrkdwnToText, renderMessage, renderModal } from '../../dev/block-kit-text.js';
import { runDemo } from '../../dev/demo.js';

const names = { user: (id: string) => (id === 'U0SAM' ? 'Sam' : id), channel: () => 'commitments' };

describe('npm run demo', () => {
  it('when the demo plays the week then the transcript shows each key moment as people saw it', async () => {
    const outputDir = mkdtempSync(join(tmpdir(), 'demo-test-'));
    const { transcript, files } = await runDemo({ outputDir });
    const moments = [
      // A seller asks: the modal with its inputs, then the request and the sign-off asks with buttons.
      'Sam types: /commit Acme Corp 120 widgets by 2026-12-23 $42k',
      '┌─ Commitment request',
      'Delivery date: [ 2026-12-23 📅 ]',
      '└─ [ Cancel ]  [ Ask for sign-off ]',
      '# CG-1 · Acme Corp',
      'Customer: Acme Corp',
      '↳ Operations sign-off for CG-1',
      '[ Approve ]  [ Approve with conditions ]  [ Propose a date ]  [ Ask for changes ]  [ Reject ]',
      // Approvals clear the request and the seller is told.
      'Sam (seller) saw:',
      '✅ You may commit CG-1 to Acme Corp',
      // Quorum: two distinct Finance owners.
      '1 of 2 approvals: @Fiona; 1 more needed',
      '2 of 2 approvals: @Fiona, @Felix',
      // Approved on a condition: on the parent, in the thread and in the seller's DM.
      '• Finance (@Felix): 30% deposit with the order',
      '✅ You may commit CG-2 to Globex: deliver by Fri 8 Jan 2027.',
      'On these conditions:',
      '• Finance: 30% deposit with the order Open the thread ↗',
      // A non-owner is refused, privately.
      'only visible to you, in #commitments:',
      'Only an owner of Quality can decide this sign-off (@Quinn). Nothing was changed.',
      // A rejection with its reason reaches the seller.
      '┌─ Reject sign-off',
      '⛔ Do not commit CG-3 to Initech. Quality (@Quinn) rejected it: Anodizing takes 4 weeks',
      '➖ No decision needed: CG-3 is rejected.',
      // Leadership overrides it, plainly and on the record; the open sign-off is no longer needed.
      'Lee clicks [ Override ] on CG-3',
      '✅ CG-3 approved by override by @Lee (leadership): Initech is our launch partner',
      '➖ People: no decision needed, CG-3 is approved by override',
      '➖ No decision needed: CG-3 is approved by override.',
      '✅ You may commit CG-3 to Initech: deliver by Fri 18 Dec 2026. It was approved by override',
      // The capacity squeeze: the week is full, operations sees it and the earliest date that fits.
      '🔴 Capacity: over by 150 units.',
      'Week of Mon 14 Dec 2026: capacity 500 units; firm 300, tentative 0, this request 350: 650 in all.',
      'Earliest date it fits: Mon 21 Dec 2026.',
      // "Yes, by this date": the proposal is prefilled from capacity, the seller accepts in the DM.
      '│ Feasible delivery date: [ 2026-12-21 📅 ]',
      '[ Accept new date ]  [ Decline ]',
      'Sam clicks [ Accept new date ] in the direct message',
      'Week of Mon 21 Dec 2026: capacity 500 units; firm 120, tentative 0, this request 350: 470 in all.',
      '✅ You may commit CG-4 to Umbrella: deliver by Mon 21 Dec 2026.',
      // The Monday digest, computed from the week just played.
      '# Weekly digest: Mon 30 Nov 2026 – Sun 6 Dec 2026',
      'Approved 3 (1 with conditions, 2 without) · rejected 0 · withdrawn 0 · expired 0 · overridden 1',
      'Where an owner proposed a feasible date (1 request), it was a median 4 days after the requested date.',
      '• CG-3 ($36,000.00) by @Lee: Initech is our launch partner; they take the first 300 unfinished and the finish in January',
      'Widgets · 7 Dec: 0/500 (0%) · 14 Dec: 300/500 (60%) · 🟡 21 Dec: 470/500 (94%) · 28 Dec: 0/500 (0%)',
      'commit-gate uploads commit-gate-digest-2026-11-30.png to #leadership',
      // After the promise: asked two business days ahead, confirmed on the day, on time in full.
      '↳ 📅 @Olivia @Omar: CG-3 is due Fri 18 Dec 2026, in 2 business days: Initech: 300 units of Widgets. On track?',
      '[ On track ]  [ Will be late ]',
      'Olivia clicks [ Delivered in full ] in the thread of CG-3',
      '✅ Promised for Fri 18 Dec · delivered Fri 18 Dec, on time in full',
      // A part delivery: the modal, then the seller hears it first, with the rest's date.
      '│ Quantity delivered: [   ]',
      '🔶 CG-4 for Umbrella was delivered in part: 200 units of 350 (latest on Mon 21 Dec 2026).',
      'The rest (150 units) is now expected Wed 30 Dec 2026; you promised Mon 21 Dec 2026.',
      // A slip: the promised date stays, the seller is told the new one and why.
      '⚠️ CG-2 for Globex will be late: now expected Fri 15 Jan 2027; you promised Fri 8 Jan 2027.',
      'Reason: The housing supplier ships a week late (@Omar)',
      '⚠️ Promised for Fri 8 Jan · at risk, expected Fri 15 Jan',
      // A quality issue and a payment on CG-3, on the record; CG-1 goes out on the day promised.
      '↳ ✅ CG-3: @Quinn reported a quality issue (rework): 20 panels with uneven anodizing.',
      '✅ Promised for Fri 18 Dec · delivered Fri 18 Dec, on time in full · paid in full · 1 quality issue',
      'CG-1: delivery recorded. Promised for Wed 23 Dec · delivered Wed 23 Dec, on time in full.',
    ];
    for (const moment of moments) expect(transcript).toContain(moment);

    // The last Monday digest is of the week the promises came due. By hand: due Mon 21 – Sun 27
    // Dec are CG-4 (200 of 350 by the 21st, the rest after the digest: part-delivered) and CG-1
    // (all 120 on the 23rd, its promised day: on time in full), so OTIF 1 of 2 = 50%, both
    // Widgets; the weeks before had one judged promise, CG-3 on time, so the 8-week median is
    // 100%. CG-2 (8 Jan) is within the 14 days after the week and slipped to 15 Jan: at risk.
    // Quinn's issue on CG-3 (the 22nd) over the one promise delivered in full that week (CG-1):
    // 1.00. Fiona's payment of CG-3's $36,000.00 on the 23rd; nothing fell due, 30 days after
    // delivery is January.
    const lastDigestAt = transcript.indexOf('# Weekly digest: Mon 21 Dec 2026 – Sun 27 Dec 2026');
    expect(lastDigestAt).toBeGreaterThan(0);
    const lastDigest = transcript.slice(lastDigestAt);
    const promisesKept = [
      '  🤝 Promises kept',
      '  Due this week: 2 · on time in full 1 · late 0 · part-delivered 1 · still open past due 0',
      '  OTIF: 50% (8-week median 100%)',
      '  • Widgets: 50% of 2 (8-week median 100%)',
      '  At risk, due in the next 2 weeks: 1 (CG-2 8 Jan → 15 Jan)',
      '  Quality issues per delivered promise: 1.00 (1 issue, 1 delivered in full)',
      '  Payments: due $0.00 · received $36,000.00 · overdue past terms $0.00',
    ].join('\n');
    expect(lastDigest).toContain(promisesKept);
    // The six links carry the same figures: one line of Finance, quoted exactly.
    expect(lastDigest).toContain(
      '\n  • Payments received: $36,000.00 (last week $0.00 · 8-week median $0.00)\n',
    );
    expect(transcript).not.toContain('[bot log]');
    expect(transcript).not.toMatch(/<@U0|&lt;|:[a-z_]+:|\u200D|0 more needed/);

    // It ends with the path of the digest's chart, a real PNG written where it was asked to be.
    try {
      // One chart per Monday digest the week and its sequel played (30 Nov to 21 Dec).
      expect(files).toEqual(
        ['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21'].map((w) =>
          join(outputDir, `commit-gate-digest-${w}.png`),
        ),
      );
      expect(existsSync(files[0] ?? '')).toBe(true);
      expect(
        readFileSync(files[0] ?? '')
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      expect(transcript).toContain(`The digest's chart (PNG): ${files[0]}`);
    } finally {
      rmSync(outputDir, { recursive: true, force: true });
    }

    // The README's first screen quotes the demo; it must stay a true excerpt.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const excerpt = /<!-- demo-excerpt[^\n]*\n```text\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(excerpt).toBeDefined();
    const lines = new Set(transcript.split('\n').map((l) => l.trimEnd()));
    const missing = (excerpt ?? '').split('\n').filter((l) => l.trim() && !lines.has(l.trimEnd()));
    expect(missing).toEqual([]);
  });
});

describe('Block Kit as text', () => {
  it('when mrkdwn has mentions, links, emoji, markers and entities then it reads as plain text', () => {
    expect(
      mrkdwnToText('*Approved* by <@U0SAM>: _fine_ &lt;ok&gt; <https://x.test|Open> :no_entry:', names),
    ).toBe('Approved by @Sam: fine <ok> Open ↗ ⛔');
  });

  it('when a message has a header, fields, context and buttons then each renders on its own line', () => {
    const lines = renderMessage(
      {
        text: 'fallback',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'CG-9 · Acme' } },
          { type: 'section', fields: [{ type: 'mrkdwn', text: '*Customer*\nAcme' }] },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'small print' }] },
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'Approve' } },
              { type: 'button', text: { type: 'plain_text', text: 'Reject' } },
            ],
          },
        ],
      },
      names,
    );
    expect(lines).toEqual(['# CG-9 · Acme', 'Customer: Acme', '  small print', '[ Approve ]  [ Reject ]']);
    expect(renderMessage({ text: 'only *text*' }, names)).toEqual(['only text']);
  });

  it('when a modal has inputs then the box shows labels, values, placeholders and its buttons', () => {
    const lines = renderModal(
      {
        type: 'modal',
        title: { type: 'plain_text', text: 'Form' },
        submit: { type: 'plain_text', text: 'Send' },
        close: { type: 'plain_text', text: 'Cancel' },
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'Reason' },
            optional: true,
            element: { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'Why?' } },
          },
        ],
      },
      names,
    );
    expect(lines[0]).toMatch(/^┌─ Form ─+$/);
    expect(lines.slice(1)).toEqual(['│ Reason (optional): [ Why? ]', '└─ [ Cancel ]  [ Send ]']);
  });
});
