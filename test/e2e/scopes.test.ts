// Every Web API call the bot makes, scored by the scope Slack requires for *how* it was called
// (test/support/slack-scopes.ts), against manifest.yml: an escalation to two leaders opens a group
// DM (mpim:write) and, after an uncertain post, looks in its history (mpim:history).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleConfig } from '../support/config.js';
import { Harness } from '../support/harness.js';
import { scopeOfCall, standInConversationType } from '../support/slack-scopes.js';

const DAY = 86_400_000;
const manifest = parseYaml(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
  oauth_config: { scopes: { bot: string[] } };
};

let h: Harness;
afterEach(async () => {
  await h.stop();
});

async function settle(): Promise<void> {
  await h.runtime.scheduler.tick();
  await h.runtime.dispatcher.drain();
}

describe('scopes of the calls the bot makes', () => {
  it('when a sign-off is escalated to two leaders and the post must be retried then every call has its scope in the manifest', async () => {
    const config = { ...exampleConfig(), leadership: ['U0CEO', 'U0CFO'] };
    h = await Harness.start({ config, start: '2026-11-20T20:00:00Z', schedule: true });
    await settle();
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets', value: '10000' });
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string');
    await h.runtime.dispatcher.drain();
    h.clock.jump(3 * DAY); // Monday: the reminder
    await settle();
    // Wednesday: the escalation; its first post fails, so the retry first looks for it in history.
    h.standIn.failNext('chat.postMessage', { status: 500 });
    h.clock.jump(2 * DAY);
    await settle();
    await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('G') && c.status === 200,
    );

    const typeOf = (channel: string) => standInConversationType(channel);
    const calls = h.standIn.calls.map((c) => ({
      method: c.method,
      scope: scopeOfCall(c.method, c.args, typeOf),
    }));
    // The calls this test exists for happened: a group DM opened and its history read.
    expect(calls).toContainEqual({ method: 'conversations.open', scope: 'mpim:write' });
    expect(calls).toContainEqual({ method: 'conversations.history', scope: 'mpim:history' });

    const declared = new Set(manifest.oauth_config.scopes.bot);
    const missing = calls.filter(
      (c) => c.scope !== null && (c.scope === undefined || !declared.has(c.scope)),
    );
    expect(missing).toEqual([]);
  });
});
