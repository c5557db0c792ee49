// `npm run digest -- --week-of YYYY-MM-DD [--dry-run]` on the real process (INTERFACE.md).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SlackStandIn } from '../../dev/slack-stand-in.js';
import { closeDb, createDb } from '../../src/db/create-db.js';
import { assertValidMessage } from '../support/block-kit.js';
import { exampleConfigObject } from '../support/config.js';
import { seedGoldenWeek } from '../support/golden-week.js';
import { childEnv, NODE_TSX } from '../support/processes.js';

const root = new URL('../..', import.meta.url).pathname;

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'commit-gate-digest-cli-'));
  const configPath = join(dir, 'commit-gate.yml');
  writeFileSync(configPath, stringify(exampleConfigObject()));
  const dbPath = join(dir, 'cg.db');
  const db = createDb(dbPath);
  seedGoldenWeek(db);
  closeDb(db);
  env = childEnv({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    COMMIT_GATE_CONFIG: configPath,
    DATABASE_PATH: dbPath,
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(
  args: string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_TSX, 'src/cli.ts', 'digest', ...args], {
      cwd: root,
      env: { ...env, ...extra },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run digest', () => {
  it('when run with --dry-run then it prints the message as JSON and needs no Slack token', async () => {
    const r = await run(['--week-of', '2026-11-18', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const message = JSON.parse(r.stdout) as { text: string; blocks: unknown[] };
    assertValidMessage(message);
    expect(message.text).toContain('Weekly digest: Mon 16 Nov 2026 – Sun 22 Nov 2026');
    expect(message.text).toContain('4 requests worth $115,000.50');
    // Pending ages run to the real now, so only the sentence is certain, not its percentage.
    expect(message.text).toContain('Operations holds');
    // The next 4 weeks' load per product line; the weeks run from the real now, so not their dates.
    expect(message.text).toContain('Capacity, next weeks');
    expect(message.text).toMatch(/Widgets ·( \S+)? \d+ \w{3}: [\d,]+\/500 \(\d+%\)( · [^·]+){3}\n/);
    expect(message.text).toContain('Not checked (no capacity per week): Gadgets');
  });

  it('when the date is not a date then it exits 1 with one line', () => {
    const r = spawnSync(
      process.execPath,
      [...NODE_TSX, 'src/cli.ts', 'digest', '--week-of', '2026-02-30', '--dry-run'],
      {
        cwd: root,
        env,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('digest: --week-of: expected a date YYYY-MM-DD, got "2026-02-30"\n');
  });

  it('when run without --dry-run then it posts to the digest channel with the chart in the thread', async () => {
    const standIn = await SlackStandIn.start();
    try {
      const r = await run(['--week-of', '2026-11-18'], {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: standIn.apiUrl,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const messages = standIn.messages('C0DIGEST');
      const top = messages.filter((m) => !m.thread_ts);
      expect(top).toHaveLength(1);
      expect(top[0]?.text).toContain('Weekly digest');
      const files = standIn.files();
      expect(files).toHaveLength(1);
      expect(files[0]?.completed).toBe(true);
      expect(files[0]?.threadTs).toBe(top[0]?.ts);
      // A PNG: the signature's first bytes.
      expect(files[0]?.content?.subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await standIn.close();
    }
  });
});
