// Regression tests for the holes found by attacking the running bot (issue 20). Each test is named
// after the hole it closes, drives the real bot over signed HTTP (or real processes), and asserts
// the database and what the Slack stand-in received.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../src/slack/ids.js';
import { slashCommand, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

function count(table: string): number {
  const sqlite = new Database(h.dbPath, { readonly: true });
  try {
    return Number(sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
  } finally {
    sqlite.close();
  }
}

describe('hole 2: future timestamps were accepted', () => {
  it.each([
    ['one hour ahead', 3600],
    ['74 years ahead', 74 * 365 * 86_400],
    ['six minutes ahead', 360],
  ])('when a request is signed %s then every path answers 401 and nothing changes', async (_name, offset) => {
    const command = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }), {
      timestampOffsetSeconds: offset,
    });
    expect(command.status).toBe(401);
    const submission = await h.slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel: null }),
        values: h.requestValues({}),
      }),
      { timestampOffsetSeconds: offset },
    );
    expect(submission.status).toBe(401);
    const event = await h.slack.event(
      { type: 'event_callback', event: { type: 'app_home_opened', user: 'U0SELLER', tab: 'home' } },
      { timestampOffsetSeconds: offset },
    );
    expect(event.status).toBe(401);
    expect(count('requests')).toBe(0);
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
    expect(h.standIn.callsTo('views.publish')).toHaveLength(0);
  });

  it('when a request is signed four minutes ahead then it is still served', async () => {
    const res = await h.slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }), {
      timestampOffsetSeconds: 240,
    });
    expect(res.status).toBe(200);
    await h.standIn.waitFor((c) => c.method === 'views.open');
  });
});

describe('hole 10e: unknown paths answered 400', () => {
  it('when a path the bot does not serve is asked then 404, and a known path with the wrong method gets 405', async () => {
    const base = `http://127.0.0.1:${h.runtime.port}`;
    const signedElsewhere = await h.slack.post(
      '/slack/other',
      'command=%2Fcommit',
      'application/x-www-form-urlencoded',
    );
    expect(signedElsewhere.status).toBe(404);
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${base}/nothing-here`, { method: 'POST', body: '{}' })).status).toBe(404);
    const getEvents = await fetch(`${base}/slack/events`);
    expect(getEvents.status).toBe(405);
    expect(getEvents.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/healthz`, { method: 'POST', body: '' })).status).toBe(405);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(count('requests')).toBe(0);
  });
});
