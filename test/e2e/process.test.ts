// The operator contract of INTERFACE.md, checked on the real process: exit codes, one-line
// errors, /healthz, migrations, graceful shutdown.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SlackStandIn } from '../../dev/slack-stand-in.js';
import { exampleConfigObject } from '../support/config.js';
import { childEnv, isAlive, NODE_TSX, portIsFree, processesHolding } from '../support/processes.js';

const root = new URL('../..', import.meta.url).pathname;

let dir: string;
let configPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'commit-gate-proc-'));
  configPath = join(dir, 'commit-gate.yml');
  writeFileSync(configPath, stringify(exampleConfigObject()));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Only what the bot needs: the test runner's own variables must not leak into the child.
  return childEnv({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    COMMIT_GATE_CONFIG: configPath,
    DATABASE_PATH: join(dir, 'db', 'cg.db'),
    ...extra,
  });
}

function runMain(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [...NODE_TSX, 'src/main.ts'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('start-up errors', () => {
  it('when SLACK_BOT_TOKEN is missing then it exits 1 with one line naming the variable', () => {
    const r = runMain(baseEnv({ SLACK_SIGNING_SECRET: 's' }));
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('env: SLACK_BOT_TOKEN: required');
  });

  it('when a config key is invalid then it exits 1 with one line naming the config path, no stack trace', () => {
    const raw = exampleConfigObject();
    (raw.functions as Record<string, unknown>).finance = { label: 'Finance', owners: [] };
    writeFileSync(configPath, stringify(raw));
    const r = runMain(baseEnv({ SLACK_BOT_TOKEN: 'xoxb-secret-token-value', SLACK_SIGNING_SECRET: 's' }));
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('config: functions.finance.owners: expected at least one Slack user id');
    expect(r.stderr + r.stdout).not.toContain('secret-token-value');
  });
});

describe('running', () => {
  let child: ChildProcess | undefined;
  let standIn: SlackStandIn;
  beforeEach(async () => {
    standIn = await SlackStandIn.start();
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await standIn.close();
  });

  it('when started in HTTP mode then /healthz is ok, and SIGTERM exits 0 after a clean shutdown', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const output: string[] = [];
    child = spawn(process.execPath, [...NODE_TSX, 'src/main.ts'], {
      cwd: root,
      env: baseEnv({
        SLACK_BOT_TOKEN: 'xoxb-secret-token-value',
        SLACK_SIGNING_SECRET: 'signing-secret-value',
        SLACK_API_URL: standIn.apiUrl,
        PORT: String(port),
      }),
    });
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
    const body = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json());
    expect(body).toMatchObject({ status: 'ok' });

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const logs = output.join('');
    expect(logs).toContain('commit-gate stopped');
    expect(logs).not.toContain('secret-token-value');
    expect(logs).not.toContain('signing-secret-value');
  });
});

describe('a bot token Slack rejects', () => {
  it('when auth.test answers invalid_auth then start-up stops with exit 1 and one line naming the variable', async () => {
    const standIn = await SlackStandIn.start({ tokens: ['xoxb-the-real-one'] });
    try {
      const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [...NODE_TSX, 'src/main.ts'], {
          cwd: root,
          env: baseEnv({
            SLACK_BOT_TOKEN: 'xoxb-revoked-token-value',
            SLACK_SIGNING_SECRET: 's',
            SLACK_API_URL: standIn.apiUrl,
            PORT: '0',
          }),
        });
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.once('exit', (status) => resolve({ status, stderr }));
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(
        /^env: SLACK_BOT_TOKEN: Slack rejected the token \(invalid_auth\): copy the Bot User OAuth Token/,
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('revoked-token-value');
    } finally {
      await standIn.close();
    }
  });
});

/** Runs the bot to its exit (start-up failures), with the stand-in as Slack. */
function runUntilExit(env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_TSX, 'src/main.ts'], { cwd: root, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (status) => resolve({ status, stderr }));
  });
}

describe('start-up errors name the culprit and say what to do', () => {
  let standIn: SlackStandIn;
  beforeEach(async () => {
    standIn = await SlackStandIn.start({ tokens: ['xoxb-good-bot-token', 'xapp-good-app-token'] });
  });
  afterEach(async () => {
    await standIn.close();
  });
  const slackEnv = (extra: Record<string, string>) =>
    baseEnv({ SLACK_BOT_TOKEN: 'xoxb-good-bot-token', SLACK_API_URL: standIn.apiUrl, PORT: '0', ...extra });

  it('when the database cannot be created then it exits 1 naming DATABASE_PATH, without a stack trace', async () => {
    // Nobody, not even root, may create files in /proc.
    const r = await runUntilExit(
      slackEnv({ SLACK_SIGNING_SECRET: 's', DATABASE_PATH: '/proc/commit-gate.db' }),
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^env: DATABASE_PATH: \/proc\/commit-gate\.db: .+: make its folder exist and writable by the user running the bot/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('when Slack refuses the app-level token then it exits 1 naming SLACK_APP_TOKEN', async () => {
    const r = await runUntilExit(slackEnv({ SLACK_APP_TOKEN: 'xapp-revoked-app-token' }));
    expect(r.status).toBe(1);
    // Bolt logs its own line first; the last line is the one to act on.
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /^env: SLACK_APP_TOKEN: Slack rejected the app-level token \(invalid_auth\): create one with the connections:write scope/,
    );
    expect(r.stderr).not.toContain('revoked-app-token');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('when a channel is written as #name, which YAML reads as a comment, then it says to quote it or use the channel id', async () => {
    const yaml = stringify(exampleConfigObject()).replace(/requests: C0REQUESTS/, 'requests: #sales');
    expect(yaml).toContain('requests: #sales');
    writeFileSync(configPath, yaml);
    const r = await runUntilExit(slackEnv({ SLACK_SIGNING_SECRET: 's' }));
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'config: channels.requests: is empty (in YAML, # starts a comment: quote the value); use the channel id, ' +
        'e.g. "C0123ABCD" (channel details → About, at the bottom)',
    );
  });

  it('when the config has several mistakes then every one is listed, one line each', async () => {
    const raw = exampleConfigObject();
    raw.timezone = 'America/Nowhere';
    raw.currency = 'usd';
    (raw.channels as Record<string, unknown>).digest = '#digest';
    writeFileSync(configPath, stringify(raw));
    const r = await runUntilExit(slackEnv({ SLACK_SIGNING_SECRET: 's' }));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'config: timezone: expected an IANA time zone such as America/New_York',
      'config: currency: expected an ISO 4217 code such as USD',
      'config: channels.digest: expected a Slack channel id such as "C0123ABCD", not a channel name',
    ]);
  });
});

describe('npm run db:migrate', () => {
  it('when run on a new path then it creates the folder and applies every migration', () => {
    const dbPath = join(dir, 'fresh', 'nested', 'cg.db');
    const r = spawnSync('npm', ['run', '--silent', 'db:migrate'], {
      cwd: root,
      env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: dbPath }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    const sqlite = new Database(dbPath, { readonly: true });
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(['requests', 'sign_offs', 'sign_off_approvals', 'events', 'outbox']),
    );
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    sqlite.close();
  });
});

describe('npm start', () => {
  it('when npm start is sent SIGTERM then the bot it runs (node on dist/, not tsx) exits cleanly and frees the port', async () => {
    const standIn = await SlackStandIn.start();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const dbPath = join(dir, 'db', 'cg.db');
    let logs = '';
    // The real `npm start`: prestart compiles src/ to dist/, then start runs node on it.
    const npm = spawn('npm', ['start'], {
      cwd: root,
      env: baseEnv({
        SLACK_BOT_TOKEN: 'xoxb-secret-token-value',
        SLACK_SIGNING_SECRET: 'signing-secret-value',
        SLACK_API_URL: standIn.apiUrl,
        PORT: String(port),
      }),
    });
    npm.stderr.on('data', (d: Buffer) => {
      logs += d.toString();
    });
    try {
      await expect
        .poll(
          () =>
            fetch(`http://127.0.0.1:${port}/healthz`).then(
              (r) => r.status,
              () => 0,
            ),
          {
            timeout: 120_000,
            interval: 100,
          },
        )
        .toBe(200);
      const [bot] = processesHolding(dbPath);
      if (bot === undefined) throw new Error('no process holds the database');
      expect(readFileSync(`/proc/${bot}/cmdline`, 'utf8').split('\0').slice(1, 2)).toEqual(['dist/main.js']);

      const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect.poll(() => isAlive(bot), { timeout: 10_000 }).toBe(false);
      expect(await portIsFree(port)).toBe(true);
      expect(processesHolding(dbPath)).toEqual([]);
      expect(logs).toContain('commit-gate stopped');
    } finally {
      npm.kill('SIGKILL');
      await standIn.close();
    }
  }, 180_000);
});
