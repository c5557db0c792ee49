// `npm run demo` is how most people first see commit-gate: it must keep playing the whole week
// against the real bot and show what each person saw, rendered from what the bot really sent.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mrkdwnToText, renderMessage, renderModal } from '../../src/dev/block-kit-text.js';
import { runDemo } from '../../src/dev/demo.js';

const names = { user: (id: string) => (id === 'U0SAM' ? 'Sam' : id), channel: () => 'commitments' };

describe('npm run demo', () => {
  it('when the demo plays the week then the transcript shows each key moment as people saw it', async () => {
    const { transcript } = await runDemo();
    const moments = [
      // A seller asks: the modal with its inputs, then the request and the sign-off asks with buttons.
      'Sam types: /commit Acme Corp 120 widgets by 2027-01-15 $42k',
      '┌─ Commitment request',
      'Delivery date: [ 2027-01-15 📅 ]',
      '└─ [ Cancel ]  [ Ask for sign-off ]',
      '# CG-1 · Acme Corp',
      'Customer: Acme Corp',
      '↳ Operations sign-off for CG-1',
      '[ Approve ]  [ Approve with conditions ]  [ Propose a date ]  [ Ask for changes ]  [ Reject ]',
      // Approvals clear the request and the seller is told.
      'Sam (seller) saw:',
      '✅ You may commit CG-1 to Acme Corp',
      // Quorum: two distinct Finance owners.
      '1 of 2 approvals',
      '2 of 2 approvals: @Fiona, @Felix',
      '✅ You may commit CG-2 to Globex',
      // A non-owner is refused, privately.
      'only visible to you, in #commitments:',
      'Only an owner of Quality can decide this sign-off (@Quinn). Nothing was changed.',
      // A rejection with its reason reaches the seller.
      '┌─ Reject sign-off',
      '⛔ Do not commit CG-3 to Initech. Quality (@Quinn) rejected it: Anodizing takes 4 weeks',
      '➖ No decision needed: CG-3 is rejected.',
    ];
    for (const moment of moments) expect(transcript).toContain(moment);
    expect(transcript).not.toContain('[bot log]');
    expect(transcript).not.toMatch(/<@U0|&lt;|:white_check_mark:/);

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
