// The /commit command is escaped by Slack (manifest.yml should_escape: true): & < > arrive as
// &amp; &lt; &gt; and a mention as <@U…|name>. The bot decodes the text once, before the prefill
// parser and every subcommand read it.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

describe('/commit text escaped by Slack', () => {
  it('when the customer has an ampersand then the modal is prefilled with it decoded', async () => {
    await h.slack.slashCommand(
      slashCommand({ user_id: 'U0SELLER', text: 'Smith &amp; Sons 10 widgets by 2026-12-15 &lt;rush&gt;' }),
    );
    const [open] = await h.standIn.waitFor((c) => c.method === 'views.open');
    const json = JSON.stringify(open?.args.view);
    expect(json).toContain('"initial_value":"Smith & Sons"');
    expect(json).toContain('"initial_value":"10"');
    expect(json).toContain('"initial_date":"2026-12-15"');
    expect(json).not.toContain('&amp;');
    expect(json).not.toContain('&lt;');
  });

  it('when an owner names their delegate with an escaped mention then the delegation is recorded', async () => {
    await h.slack.slashCommand(
      slashCommand({ user_id: 'U0OPS1', text: 'away 2026-12-01 2026-12-05 <@U0OPS2|olga>' }),
    );
    const [answer] = await h.standIn.waitFor((c) => c.method === 'response_url');
    expect(String(answer?.args.text)).toContain('<@U0OPS2> decides your sign-offs for you');
    const sqlite = new Database(h.dbPath, { readonly: true });
    try {
      expect(
        sqlite.prepare('SELECT owner_id, delegate_id, start_day, end_day FROM delegations').all(),
      ).toEqual([
        { owner_id: 'U0OPS1', delegate_id: 'U0OPS2', start_day: '2026-12-01', end_day: '2026-12-05' },
      ]);
    } finally {
      sqlite.close();
    }
  });
});
