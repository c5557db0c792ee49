// The production image, proven without Docker (CI has no engine): the Dockerfile is replayed on a
// clean copy of the project (test/support/dockerfile-recipe.ts), then the image's CMD is started
// with the image's ENV and production settings, against the local Slack stand-in. The checks are
// what a deploy needs: /healthz, the image's HEALTHCHECK command, and one /commit round trip.
// Slow by nature (npm ci builds better-sqlite3 from source here): 1.5 to 3 minutes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SlackClientSim } from '../../dev/signed-requests.js';
import { SlackStandIn } from '../../dev/slack-stand-in.js';
import { CALLBACKS } from '../../src/slack/ids.js';
import { exampleConfigObject } from '../support/config.js';
import { dockerignore, type Recipe, replayDockerfile } from '../support/dockerfile-recipe.js';
import { requestFormValues, slashCommand, viewSubmission } from '../support/fixtures.js';
import { childEnv } from '../support/processes.js';

const root = new URL('../..', import.meta.url).pathname;
const SECRET = 'production-signing-secret';
// Generous: on a busy two-core machine the native build alone has taken over two minutes, and
// with several builds sharing it (load average 17) the whole replay has taken over ten.
const BUILD_TIMEOUT_MS = 20 * 60_000;
const CLEANUP_TIMEOUT_MS = 2 * 60_000;

let work: string;
let recipe: Recipe;
let replayMs: number;
let standIn: SlackStandIn;
let bot: ChildProcess | undefined;
let port: number;
let dataDir: string;
const output: string[] = [];

/** Disk use in KiB, as `du -sk` reports it. */
function sizeKiB(path: string): number {
  const r = spawnSync('du', ['-sk', path], { encoding: 'utf8' });
  return Number.parseInt(r.stdout, 10);
}

async function healthz(): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.status,
    () => 0,
  );
}

describe('the production image recipe (Dockerfile, replayed)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'commit-gate-image-'));
    const started = Date.now();
    recipe = await replayDockerfile({
      root,
      workDir: work,
      // What a build machine has: a PATH, a HOME (npm's cache and registry settings), nothing else.
      baseEnv: childEnv({
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        // npm ci takes packages from npm's cache when they are there, and the network otherwise.
        npm_config_prefer_offline: 'true',
      }),
    });
    replayMs = Date.now() - started;

    standIn = await SlackStandIn.start();
    // The /data volume and a mounted config file, in the scratch folder.
    dataDir = join(work, 'volume-data');
    mkdirSync(dataDir);
    const configPath = join(work, 'commit-gate.yml');
    writeFileSync(configPath, stringify(exampleConfigObject()));
    port = 20000 + Math.floor(Math.random() * 20000);
    const [command, ...args] = recipe.cmd;
    if (!command) throw new Error('the Dockerfile has no CMD');
    bot = spawn(command, args, {
      cwd: recipe.appDir,
      env: childEnv({
        PATH: process.env.PATH,
        ...recipe.env,
        // docker run -e …: the secrets, and the paths the volume and mount have on this machine.
        SLACK_BOT_TOKEN: 'xoxb-production-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: standIn.apiUrl,
        PORT: String(port),
        DATABASE_PATH: join(dataDir, 'commit-gate.db'),
        COMMIT_GATE_CONFIG: configPath,
      }),
    });
    bot.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    bot.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    for (let i = 0; i < 300 && (await healthz()) !== 200; i++) {
      if (bot.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    bot?.kill('SIGKILL');
    await standIn?.close();
    // Two node_modules trees (the build stage's has the dev dependencies): slow to delete on a
    // busy disk, so asynchronously and with time to spare.
    if (work) await rm(work, { recursive: true, force: true });
  }, CLEANUP_TIMEOUT_MS);

  it('when built then the runtime holds compiled code, migrations and production dependencies only', () => {
    const app = recipe.appDir;
    expect(readdirSync(app).sort()).toEqual(['dist', 'migrations', 'node_modules', 'package.json']);
    expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(app, 'migrations/meta/_journal.json'))).toBe(true);
    for (const devOnly of ['typescript', 'vitest', '@biomejs/biome', 'drizzle-kit', 'ajv'])
      expect(existsSync(join(app, 'node_modules', devOnly)), devOnly).toBe(false);
    expect(existsSync(join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/better-sqlite3/deps'))).toBe(false);
    // The chart's font ships in the image (the slim base has none): exactly the two it loads.
    expect(readdirSync(join(app, 'node_modules/dejavu-fonts-ttf/ttf')).sort()).toEqual([
      'DejaVuSans-Bold.ttf',
      'DejaVuSans.ttf',
    ]);
    // Only OS setup is skipped (the replay cannot create users or /data on this machine).
    expect(recipe.skipped.filter((s) => / RUN /.test(s))).toEqual([
      expect.stringContaining('mkdir -p /data && chown node:node /data'),
    ]);
    expect(recipe.env).toMatchObject({ NODE_ENV: 'production', DATABASE_PATH: '/data/commit-gate.db' });
    expect(recipe.cmd).toEqual(['node', 'dist/main.js']);
    console.info(
      `production recipe: replayed in ${(replayMs / 1000).toFixed(1)} s; runtime ${(sizeKiB(app) / 1024).toFixed(0)} MiB ` +
        `(node_modules ${(sizeKiB(join(app, 'node_modules')) / 1024).toFixed(0)} MiB); ` +
        recipe.steps
          .filter((s) => s.ms > 1000)
          .map((s) => `${s.instruction.split(' ').slice(0, 3).join(' ')}: ${(s.ms / 1000).toFixed(1)} s`)
          .join('; '),
    );
  });

  it('when started with the image CMD and ENV then /healthz is ok, the HEALTHCHECK passes and migrations ran on the volume', async () => {
    expect(await healthz(), output.join('')).toBe(200);
    const [command, ...args] = recipe.healthcheck;
    const check = spawnSync(command ?? 'false', args, {
      env: childEnv({ PATH: process.env.PATH, PORT: String(port) }),
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(check.status, check.stderr).toBe(0);
    const sqlite = new Database(join(dataDir, 'commit-gate.db'), { readonly: true });
    expect(sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'requests'").pluck().get()).toBe(
      1,
    );
    sqlite.close();
  });

  it('when a signed /commit and a form submission arrive then the modal opens and the request is posted', async () => {
    const slack = new SlackClientSim({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET, standIn });
    const command = await slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: 'Acme 10 gadgets' }));
    expect(command.status).toBe(200);
    const [open] = await standIn.waitFor('views.open');
    const modal = open?.args.view as { callback_id: string; private_metadata: string } | undefined;
    expect(modal?.callback_id).toBe(CALLBACKS.requestModal);

    const values = requestFormValues({
      customer: 'Acme Corp',
      productLineId: 'gadgets',
      quantity: '10',
      value: '10000',
      deliveryDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
    });
    const submit = await slack.interaction(
      viewSubmission({
        userId: 'U0SELLER',
        callbackId: CALLBACKS.requestModal,
        privateMetadata: modal?.private_metadata ?? '',
        values,
      }),
    );
    expect(submit.json()).toMatchObject({ response_action: 'update' });
    const [parent] = await standIn.waitFor((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
    expect(parent?.args.channel).toBe('C0REQUESTS');
    expect(String(parent?.args.text)).toContain('CG-1');

    const forged = await slack.slashCommand(slashCommand({ user_id: 'U0SELLER', text: '' }), {
      signature: 'wrong',
    });
    expect(forged.status).toBe(401);
    expect(output.join('')).not.toContain('xoxb-production-token');
  });

  it('when the README backup command runs beside the live bot then it writes a consistent copy', () => {
    // README.md "Operations and failure" → Backups: the same code, with this machine's paths.
    const target = join(dataDir, 'backup.db');
    const code = `new (require('better-sqlite3'))(${JSON.stringify(join(dataDir, 'commit-gate.db'))}).backup(${JSON.stringify(target)}).then(() => console.log('ok'))`;
    const r = spawnSync('node', ['-e', code], {
      cwd: recipe.appDir,
      env: childEnv({ PATH: process.env.PATH }),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stdout.trim(), r.stderr).toBe('ok');
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(1);
    copy.close();
  });

  it('when the container is stopped then the bot exits 0 after a clean shutdown', async () => {
    const exited = new Promise<number | null>((resolve) => bot?.once('exit', (code) => resolve(code)));
    bot?.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toContain('commit-gate stopped');
  });
});

describe('.dockerignore as the replay reads it', () => {
  it('when a path or a folder matches a pattern then it is left out of the build context, unless re-included', () => {
    const ignored = dockerignore('# comment\nnode_modules\n*.db\ntest\n*.md\n!KEEP.md\n');
    expect(ignored('node_modules/x/index.js')).toBe(true);
    expect(ignored('data.db')).toBe(true);
    expect(ignored('test/e2e/a.test.ts')).toBe(true);
    expect(ignored('README.md')).toBe(true);
    expect(ignored('KEEP.md')).toBe(false);
    expect(ignored('src/testing.ts')).toBe(false);
    expect(ignored('src/main.ts')).toBe(false);
  });
});
