// Operator commands: `migrate` (npm run db:migrate), `digest` (npm run digest -- --week-of
// YYYY-MM-DD [--dry-run | --format csv|json]), `backup PATH` (npm run db:backup -- PATH) and `outbox-retry [CG-N]`
// (npm run outbox:retry), `import KIND FILE.csv` (npm run import) and `export --from --to [--out]`
// (npm run export).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { stringify } from 'csv-stringify/sync';
import { exportCsv, IMPORT_KINDS, type ImportKind, importCsv } from './api/csv.js';
import { createRoutes } from './api/routes.js';
import { idempotentWrites } from './api/server.js';
import { type Config, ConfigError, type Env, loadConfig, parseEnv } from './config.js';
import { createApiIdempotencyRepo } from './db/api-idempotency-repo.js';
import { backupDatabase } from './db/backup.js';
import { createCapacityStore } from './db/capacity-repo.js';
import { closeDb, createDb, type Db } from './db/create-db.js';
import { createDelegationStore } from './db/delegation-repo.js';
import { createDigestReader } from './db/digest-repo.js';
import { createExportReader } from './db/export-repo.js';
import { createOutbox, createOutboxRepo } from './db/outbox-repo.js';
import { createPromiseStore } from './db/promise-repo.js';
import { createRequestStore } from './db/request-repo.js';
import { isIsoDate, weekStart } from './domain/calendar.js';
import type { Digest } from './domain/digest.js';
import { parseRequestRef } from './domain/request.js';
import { createLogger } from './logger.js';
import { digestCapacity } from './services/capacity.js';
import type { ServiceDeps } from './services/deps.js';
import { exportRequests } from './services/export.js';
import { systemClock } from './services/ports.js';
import { webhookDeliveriesFor } from './services/webhooks.js';
import { buildWeeklyDigest, type DigestDeps } from './services/weekly-digest.js';
import { createDigestPoster } from './slack/digest-poster.js';
import { buildDigestMessages, findingSentence } from './slack/views/digest.js';

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

/** Every figure of the digest's links and Promises kept, one row each (the export's shape). */
function figureRows(d: Digest): {
  link: string;
  figure: string;
  this_week: number | null;
  last_week: number | null;
  median_8w: number | null;
}[] {
  const sb = d.scoreboard;
  if (!sb) return [];
  return [...sb.links.flatMap((l) => l.figures), ...sb.promiseFigures].map((f) => ({
    link: f.link,
    figure: f.id.slice(f.id.indexOf('.') + 1),
    this_week: f.thisWeek,
    last_week: f.lastWeek,
    median_8w: f.median8w,
  }));
}

function exportDigest(d: Digest, format: 'csv' | 'json', currency: string): string {
  const rows = figureRows(d);
  if (format === 'csv') {
    return stringify(rows, {
      header: true,
      columns: ['link', 'figure', 'this_week', 'last_week', 'median_8w'],
      // An empty cell is "no value" (nothing to measure that week), never zero.
      cast: { number: (n) => String(n) },
    });
  }
  return `${JSON.stringify(
    {
      weekStart: d.weekStart,
      weekEnd: d.weekEnd,
      figures: rows,
      whereToLook: (d.scoreboard?.findings ?? []).map((f) => findingSentence(f, { currency })),
    },
    null,
    2,
  )}\n`;
}

/** The value of `--name V` or `--name=V`, and the index of V when given apart. */
function option(args: readonly string[], name: string): { value: string | undefined; at: number } {
  const at = args.indexOf(name);
  if (at >= 0) return { value: args[at + 1], at: at + 1 };
  return { value: args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1), at: -1 };
}

async function digest(args: readonly string[]): Promise<void> {
  const usage = 'usage: npm run digest -- --week-of YYYY-MM-DD [--dry-run | --format csv|json]';
  const week = option(args, '--week-of');
  const format = option(args, '--format');
  const day = week.value;
  const dryRun = args.includes('--dry-run');
  const unknown = args.filter(
    (a, i) =>
      a.startsWith('--') &&
      !['--week-of', '--dry-run', '--format'].includes(a) &&
      !a.startsWith('--week-of=') &&
      !a.startsWith('--format=') &&
      i !== week.at &&
      i !== format.at,
  );
  if (!day || unknown.length || (format.value !== undefined && dryRun)) fail(usage);
  if (!isIsoDate(day)) fail(`digest: --week-of: expected a date YYYY-MM-DD, got "${day}"`);
  if (format.value !== undefined && format.value !== 'csv' && format.value !== 'json') {
    fail(`digest: --format: expected csv or json, got "${format.value}"`);
  }
  const exportAs = format.value;
  const env = environment(!dryRun && exportAs === undefined);
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
      reader: createDigestReader(db, { weekCache: { clock: systemClock, timeZone: config.timezone } }),
      config,
      clock: systemClock,
      ...(capacity ? { capacity } : {}),
    };
    if (exportAs !== undefined) {
      process.stdout.write(exportDigest(buildWeeklyDigest(deps, day), exportAs, config.currency));
      return;
    }
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

/** The services the CSV commands call, on the bot's database; the running bot delivers their outbox. */
function cliServices(db: Db, config: Config): ServiceDeps {
  const outbox = createOutbox(db);
  const deliveriesFor = webhookDeliveriesFor(config);
  return {
    outbox,
    // The same options as the bot's store: promises get the business day, events their webhooks.
    store: createRequestStore(db, {
      timeZone: config.timezone,
      ...(deliveriesFor ? { onEvents: { outbox, deliveriesFor } } : {}),
    }),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config,
    clock: systemClock,
    // The running bot's dispatcher polls the outbox: what this command queued goes out within seconds.
    onNotify: () => {},
    delegations: createDelegationStore(db),
  };
}

function configOf(env: Env): Config {
  try {
    return loadConfig(env.COMMIT_GATE_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** `npm run import -- deliveries|payments|capacity FILE.csv`: all rows, or none. */
function importFile(args: readonly string[]): void {
  const usage = `usage: npm run import -- ${IMPORT_KINDS.join('|')} FILE.csv`;
  const [kind, file, ...extra] = args;
  if (!kind || !file || extra.length || !(IMPORT_KINDS as readonly string[]).includes(kind)) fail(usage);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    fail(`import: ${file}: cannot be read`);
  }
  const env = environment(false);
  const config = configOf(env);
  const db = createDb(env.DATABASE_PATH);
  try {
    const services = cliServices(db, config);
    const routes = createRoutes({
      services,
      // CSV rows never name a seller: the Slack lookup is never needed here.
      sellers: { idForEmail: async () => ({ ok: false, reason: 'unavailable' }) },
    });
    const transaction = <T>(fn: () => T): T => services.store.transaction(fn);
    const result = importCsv(
      {
        routes,
        transaction,
        once: idempotentWrites({
          idempotency: createApiIdempotencyRepo(db),
          transaction,
          clock: systemClock,
        }),
      },
      kind as ImportKind,
      text,
    );
    if (!result.ok) {
      process.stderr.write(`${result.errors.map((e) => `import: ${file}: ${e}`).join('\n')}\n`);
      fail(`import: ${file}: nothing imported (${result.errors.length} problem(s))`);
    }
    process.stdout.write(
      `imported ${result.imported} ${kind} row(s) from ${file}${result.alreadyImported ? ` (${result.alreadyImported} already imported before, unchanged)` : ''}\n`,
    );
  } finally {
    closeDb(db);
  }
}

/** `npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]` */
function exportFile(args: readonly string[]): void {
  const usage = 'usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]';
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [key, value] = [args[i], args[i + 1]];
    if (!key || value === undefined || !['--from', '--to', '--out'].includes(key)) fail(usage);
    options.set(key, value);
  }
  const from = options.get('--from');
  const to = options.get('--to');
  if (!from || !to) fail(usage);
  for (const [name, day] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (!isIsoDate(day)) fail(`export: ${name}: expected a date YYYY-MM-DD, got "${day}"`);
  if (to < from) fail('export: --to is before --from');
  const env = environment(false);
  const config = configOf(env);
  const db = createDb(env.DATABASE_PATH);
  try {
    const services = cliServices(db, config);
    const { columns, rows } = exportRequests({ ...services, reader: createExportReader(db) }, { from, to });
    const csv = exportCsv(columns, rows);
    const out = options.get('--out');
    if (out) {
      writeFileSync(out, csv);
      process.stdout.write(`exported ${rows.length} request(s) created ${from}..${to} to ${out}\n`);
    } else process.stdout.write(csv);
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
  case 'import':
    importFile(rest);
    break;
  case 'export':
    exportFile(rest);
    break;
  default:
    fail(
      'usage: cli.ts migrate | digest --week-of YYYY-MM-DD [--dry-run | --format csv|json] | backup PATH | outbox-retry [CG-N] | import KIND FILE.csv | export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]',
    );
}
