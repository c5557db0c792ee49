// Regression tests for the holes found by attacking the running bot (issue 20). Each test is named
// after the hole it closes, drives the real bot over signed HTTP (or real processes), and asserts
// the database and what the Slack stand-in received.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const root = new URL('../..', import.meta.url).pathname;
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('hole 8: files were world-readable', () => {
  it('when the bot runs under umask 022 then the database, -wal and -shm are 0600', () => {
    expect(modeOf(h.dbPath)).toBe(0o600);
    expect(modeOf(`${h.dbPath}-wal`)).toBe(0o600);
    expect(modeOf(`${h.dbPath}-shm`)).toBe(0o600);
  });

  it('when db:migrate creates a database in a missing folder under umask 022 then the folder is 0700 and the file 0600, and an old 0644 file is made 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-modes-'));
    try {
      const path = join(dir, 'data', 'nested', 'cg.db');
      const run = () =>
        spawnSync('sh', ['-c', 'umask 022 && exec npx tsx src/cli.ts migrate'], {
          cwd: root,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: path },
          encoding: 'utf8',
        });
      const first = run();
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(modeOf(join(dir, 'data', 'nested'))).toBe(0o700);
      expect(modeOf(path)).toBe(0o600);
      // A database an older version left readable by everyone.
      chmodSync(path, 0o644);
      expect(run().status).toBe(0);
      expect(modeOf(path)).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
