// `npm run digest -- --week-of YYYY-MM-DD [--dry-run | --format csv|json]` on the real process (INTERFACE.md).
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
    type Message = { text: string; blocks: unknown[] };
    const message = JSON.parse(r.stdout) as Message & { thread?: Message[] };
    assertValidMessage(message);
    for (const reply of message.thread ?? []) assertValidMessage(reply);
    expect(message.text).toContain('Weekly digest: Mon 16 Nov 2026 – Sun 22 Nov 2026');
    // The six links open the digest; the flow sections follow in the thread when the week is long.
    expect(message.text).toContain('Sales');
    const all = [message, ...(message.thread ?? [])].map((m) => m.text).join('\n');
    expect(all).toContain('4 requests worth $115,000.50');
    // Pending ages run to the real now, so only the sentence is certain, not its percentage.
    expect(all).toContain('Operations holds');
    // The next 4 weeks' load per product line; the weeks run from the real now, so not their dates.
    expect(all).toContain('Capacity, next weeks');
    expect(all).toMatch(/Widgets ·( \S+)? \d+ \w{3}: [\d,]+\/500 \(\d+%\)( · [^·]+){3}\n/);
    expect(all).toContain('Not checked (no capacity per week): Gadgets');
  });

  it('when run with --format csv then every figure is a link,figure,this_week,last_week,median_8w row', async () => {
    const r = await run(['--week-of', '2026-11-18', '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('link,figure,this_week,last_week,median_8w');
    // The golden history's hand counts (test/integration/digest-golden-week.test.ts); an empty
    // cell is a week with nothing to measure.
    expect(lines).toContain('sales,requests_in,4,2,1');
    expect(lines).toContain('sales,value_in.gadgets,10000050,0,0');
    expect(lines).toContain('finance,discount_given,1986111,0,0');
    expect(lines).toContain('people,asked,9,2,0.5');
    expect(lines).toContain('leadership,escalation_answer_hours,,,2');
    expect(lines).toContain('promises_kept,otif.widgets,50,,100');
    expect(lines).toContain('promises_kept,payments_overdue,600000,0,0');
    // Every row has five cells, and every link is there.
    expect(lines.every((l) => l.split(',').length === 5)).toBe(true);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(
      new Set(['sales', 'execution', 'quality', 'finance', 'people', 'leadership', 'promises_kept']),
    );
  });

  it('when run with --format json then the same figures come as JSON with the ranked where-to-look', async () => {
    const [csv, json] = await Promise.all([
      run(['--week-of', '2026-11-18', '--format', 'csv']),
      run(['--week-of', '2026-11-18', '--format=json']),
    ]);
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout) as {
      weekStart: string;
      figures: {
        link: string;
        figure: string;
        this_week: number | null;
        last_week: number | null;
        median_8w: number | null;
      }[];
      whereToLook: string[];
    };
    expect(out.weekStart).toBe('2026-11-16');
    expect(out.figures).toHaveLength(csv.stdout.trimEnd().split('\n').length - 1);
    expect(out.figures).toContainEqual({
      link: 'execution',
      figure: 'otif',
      this_week: 25,
      last_week: null,
      median_8w: 100,
    });
    expect(out.whereToLook).toEqual([
      'Payment terms drifted longer: 36.5 days value-weighted this week against an 8-week median of 30 (default 30), $25,000.50 on terms over 30 days: act on Finance.',
    ]);
  });

  it('when --format is neither csv nor json then it exits 1 naming the option', async () => {
    const r = await run(['--week-of', '2026-11-18', '--format', 'xml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('digest: --format: expected csv or json, got "xml"\n');
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
