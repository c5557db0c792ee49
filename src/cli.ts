// Operator commands: `migrate` (npm run db:migrate), `digest` (npm run digest -- --week-of
// YYYY-MM-DD [--dry-run]), `backup PATH` (npm run db:backup -- PATH) and `outbox-retry [CG-N]`
// (npm run outbox:retry).
import { existsSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { ConfigError, type Env, loadConfig, parseEnv } from './config.js';
import { backupDatabase } from './db/backup.js';
import { createCapacityStore } from './db/capacity-repo.js';
import { closeDb, createDb } from './db/create-db.js';
import { createDigestReader } from './db/digest-repo.js';
import { createOutboxRepo } from './db/outbox-repo.js';
import { isIsoDate, weekStart } from './domain/calendar.js';
import { parseRequestRef } from './domain/request.js';
import { createLogger } from './logger.js';
import { digestCapacity } from './services/capacity.js';
import { systemClock } from './services/ports.js';
import { buildWeeklyDigest, type DigestDeps } from './services/weekly-digest.js';
import { createDigestPoster } from './slack/digest-poster.js';
import { buildDigestMessages } from './slack/views/digest.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/** The environment, with Slack tokens required only when `needSlack` (a dry run talks to nobody). */
function environment(needSlack: boolean): Env {
  try {
    // The CLI never serves HTTP or Socket Mode: only the bot token matters, never the signing secret.
    return parseEnv({
      ...process.env,
      SLACK_BOT_TOKEN: needSlack ? process.env.SLACK_BOT_TOKEN : 'xoxb-unused',
      SLACK_APP_TOKEN: 'xapp-unused',
    });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function migrate(): void {
  // migrate needs only DATABASE_PATH: a machine preparing a volume may not have Slack tokens.
  const path = environment(false).DATABASE_PATH;
  try {
    closeDb(createDb(path));
  } catch (error) {
    fail(`migrate: ${path}: ${firstLine(error)}`);
  }
  process.stdout.write(`migrated ${path}\n`);
}

async function digest(args: readonly string[]): Promise<void> {
  const usage = 'usage: npm run digest -- --week-of YYYY-MM-DD [--dry-run]';
  const at = args.indexOf('--week-of');
  const day =
    at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--week-of='))?.slice('--week-of='.length);
  const dryRun = args.includes('--dry-run');
  const unknown = args.filter(
    (a, i) =>
      a.startsWith('--') &&
      !['--week-of', '--dry-run'].includes(a) &&
      !a.startsWith('--week-of=') &&
      i !== at + 1,
  );
  if (!day || unknown.length) fail(usage);
  if (!isIsoDate(day)) fail(`digest: --week-of: expected a date YYYY-MM-DD, got "${day}"`);
  const env = environment(!dryRun);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env.COMMIT_GATE_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const db = createDb(env.DATABASE_PATH);
  try {
    const capacity = digestCapacity({ config, clock: systemClock, capacity: createCapacityStore(db) });
    const deps: DigestDeps = {
      reader: createDigestReader(db),
      config,
      clock: systemClock,
      ...(capacity ? { capacity } : {}),
    };
    if (dryRun) {
      const [first, ...thread] = buildDigestMessages(buildWeeklyDigest(deps, day), {
        currency: config.currency,
        timeZone: config.timezone,
        locale: config.locale,
      });
      // {text, blocks} is the message posted to the channel; `thread` holds the replies when the
      // week did not fit in one message.
      process.stdout.write(
        `${JSON.stringify({ ...first, ...(thread.length ? { thread } : {}) }, null, 2)}\n`,
      );
      return;
    }
    const logger = createLogger(env.LOG_LEVEL);
    const client = new WebClient(env.SLACK_BOT_TOKEN, { slackApiUrl: env.SLACK_API_URL, logger });
    const post = createDigestPoster({ client, config, digest: deps, logger });
    const posted = await post(weekStart(day));
    process.stdout.write(
      `posted the digest of the week of ${weekStart(day)} to ${config.channels.digest} (${posted.messages} message(s), ts ${posted.ts})\n`,
    );
  } catch (error) {
    fail(`digest: ${firstLine(error)}`);
  } finally {
    closeDb(db);
  }
}

async function backup(args: readonly string[]): Promise<void> {
  const [target] = args;
  if (!target) fail('usage: npm run db:backup -- PATH');
  const path = environment(false).DATABASE_PATH;
  if (!existsSync(path)) fail(`backup: ${path}: no such database`);
  if (existsSync(target)) fail(`backup: ${target}: already exists; choose a new path`);
  try {
    const result = await backupDatabase(path, target);
    process.stdout.write(`backed up ${path} to ${target} (${result.pages} pages, integrity ok)\n`);
  } catch (error) {
    fail(`backup: ${firstLine(error)}`);
  }
}

/** After the cause of a given-up delivery is fixed (the bot invited, a scope granted). */
function outboxRetry(args: readonly string[]): void {
  const [ref] = args;
  const requestId = ref === undefined ? undefined : parseRequestRef(ref);
  if (requestId === null) fail('usage: npm run outbox:retry [-- CG-N]');
  const db = createDb(environment(false).DATABASE_PATH);
  try {
    const n = createOutboxRepo(db).requeueFailed(requestId);
    process.stdout.write(`requeued ${n} failed deliveries; the running bot sends them within seconds\n`);
  } finally {
    closeDb(db);
  }
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case 'migrate':
    migrate();
    break;
  case 'digest':
    await digest(rest);
    break;
  case 'backup':
    await backup(rest);
    break;
  case 'outbox-retry':
    outboxRetry(rest);
    break;
  default:
    fail(
      'usage: cli.ts migrate | digest --week-of YYYY-MM-DD [--dry-run] | backup PATH | outbox-retry [CG-N]',
    );
}
