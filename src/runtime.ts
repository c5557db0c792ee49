// Starts and stops everything in order: database → Slack app → outbox dispatcher, and back.
// main.ts calls it with the real environment; the end-to-end tests call it in-process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { createRoutes } from './api/routes.js';
import { createApiServer } from './api/server.js';
import { composeDispatcher, composeServices } from './composition.js';
import type { Config, Env } from './config.js';
import { createApiIdempotencyRepo } from './db/api-idempotency-repo.js';
import { closeDb, createDb, type Db, raiseRequestSequence } from './db/create-db.js';
import { createProcessedRepo } from './db/processed-repo.js';
import { createReminderStore } from './db/schedule-repo.js';
import { describeProblem, StorageHealth } from './db/storage-health.js';
import { announceWrites, createWriteTurns } from './db/write-turns.js';
import { eligibleApprovers } from './domain/routing.js';
import { OUTBOX_STUCK_AFTER_MS, type OutboxDispatcher } from './jobs/outbox.js';
import { type Dispatcher, OutboxWorker } from './jobs/outbox-port.js';
import { outboxPruner } from './jobs/outbox-prune.js';
import { type ScheduledTask, Scheduler } from './jobs/scheduler.js';
import { isShareable, type SharedClockState } from './jobs/shared-clock.js';
import type { AppLogger, LogSink } from './logger.js';
import { Metrics } from './metrics.js';
import { runDueDigest } from './services/digest-schedule.js';
import { type Clock, type RequestStore, systemClock } from './services/ports.js';
import { runPromiseAsksPaced } from './services/promise-asks.js';
import { runRemindersPaced } from './services/reminders.js';
import type { DigestDeps } from './services/weekly-digest.js';
import { clientOptions, createSlackApp, StartupError, verifyBotToken } from './slack/create-app.js';
import { renderContext } from './slack/delivery/dispatch.js';
import { highestReferencePosted } from './slack/reference-floor.js';
import { createSellerDirectory } from './slack/user-directory.js';
import { UserGroupCache } from './slack/usergroups.js';

class StorageUnavailable extends Error {}

export interface RuntimeOptions {
  readonly env: Env;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /** Outbox poll interval; tests shorten it. */
  readonly pollMs?: number;
  readonly baseBackoffMs?: number;
  /** Web API call timeout (default 10 s); tests shorten it to exercise timeouts. */
  readonly slackTimeoutMs?: number;
  /** Wait before retrying an unanswered call (default: three times the Web API timeout). */
  readonly settleMs?: number;
  /** Runs the scheduled jobs (digest, reminders, expiry); default true. Tests may turn it off. */
  readonly schedule?: boolean;
  /** How often the scheduler looks for due work; default one minute. */
  readonly scheduleMs?: number;
  /** The digest's capacity section; default: the next 4 weeks' load when any line has capacity. */
  readonly capacity?: DigestDeps['capacity'];
  /**
   * Where the outbox dispatcher runs: `worker` (default, production) is its own thread and SQLite
   * connection (jobs/outbox-worker.ts), so delivery work never holds up an ack; `in-process`
   * shares this thread's event loop and connection, as before.
   */
  readonly outbox?: 'worker' | 'in-process';
  /** Where the worker's log lines go (tests collect them); default: written to fd 2 by the worker. */
  readonly workerLogs?: LogSink;
  /** When the worker dies unasked; default: log it and exit 1 (jobs/outbox-port.ts). */
  readonly onWorkerDeath?: (reason: string) => void;
}

export interface Runtime {
  readonly port: number;
  readonly db: Db;
  readonly app: App;
  /** The outbox dispatcher: the worker thread's port, or the in-process one. */
  readonly dispatcher: Dispatcher;
  readonly scheduler: Scheduler;
  /** Owner user group members; tests refresh it after changing the stand-in's groups. */
  readonly groups: UserGroupCache;
  /** What GET /metrics serves. */
  readonly metrics: Metrics;
  stop(): Promise<void>;
}

/**
 * Never give a CG-n Slack has already seen: after a restore (or a deleted database) the sequence
 * continues above the highest reference the bot posted in the requests channel. If Slack cannot
 * be asked, start anyway (button keys still keep old messages from deciding new requests).
 */
async function continueReferencesAfterSlack(
  env: Env,
  config: Config,
  botId: string,
  db: Db,
  logger: AppLogger,
): Promise<void> {
  const client = new WebClient(env.SLACK_BOT_TOKEN, { ...clientOptions(env), logger });
  let posted: number;
  try {
    posted = await highestReferencePosted(client, config.channels.requests, botId);
  } catch (error) {
    logger.warn('could not read the requests channel to check references after a restore', error);
    return;
  }
  const found = raiseRequestSequence(db, posted);
  if (!found.raised) return;
  const context = {
    databasePath: env.DATABASE_PATH,
    highestInDatabase: found.stored,
    highestInSlack: posted,
  };
  if (found.requests === 0)
    logger.error(
      `the database is empty but the requests channel shows CG-${posted}: was the database file deleted or replaced? New requests continue from CG-${posted + 1}`,
      context,
    );
  else
    logger.warn(
      `the requests channel shows CG-${posted}, beyond the database's CG-${found.stored} (a restored backup?): new requests continue from CG-${posted + 1}`,
      context,
    );
}

/**
 * A function whose owners, less one (the seller may be one of them), are fewer than its
 * `approvals` cannot clear its own owners' requests; such requests go to leadership at once.
 */
function warnUnreachableQuorums(
  config: Config,
  groupMembers: (groupId: string) => readonly string[],
  logger: AppLogger,
): void {
  for (const fn of Object.values(config.functions)) {
    const eligible = eligibleApprovers(fn.owners, null, groupMembers);
    if (!eligible.known || eligible.ids.length - 1 >= fn.approvals) continue;
    logger.warn(
      `config: functions.${fn.id}: approvals: ${fn.approvals} needs more owners: with ${eligible.ids.length} owner(s), a request asked by one of them can never be cleared (leadership is told at once when it happens)`,
      { function: fn.id, owners: eligible.ids.length, approvals: fn.approvals },
    );
  }
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { env, config, clock, logger } = options;
  const inWorker = (options.outbox ?? 'worker') === 'worker';
  const sharedClock = inWorker ? workerClock(clock, options.capacity) : null;
  const identity = await verifyBotToken(env, logger);
  const db = openDatabase(env.DATABASE_PATH);
  // The worker lets this thread's writes go first (db/write-turns.ts): a main thread that waited
  // for SQLite's write lock would sleep in the busy handler with the event loop blocked.
  const writeTurns = inWorker ? createWriteTurns() : null;
  if (writeTurns) {
    announceWrites(db.$client, writeTurns);
    // WAL checkpoints copy the log into the database file (about 18 ms for 1,000 pages here, with
    // its fsyncs): the connection whose commit crosses the threshold pays, on its own thread. With
    // the worker, this thread never checkpoints; the worker does, on its connection (outbox-worker.ts).
    db.$client.pragma('wal_autocheckpoint = 0');
  }
  const metrics = new Metrics();
  const settleMs = options.settleMs ?? 3 * (options.slackTimeoutMs ?? 10_000);
  // Started first (main has migrated the file) so the thread loads while the rest starts.
  const worker = inWorker
    ? OutboxWorker.spawn({
        data: {
          config,
          token: env.SLACK_BOT_TOKEN,
          apiUrl: env.SLACK_API_URL,
          databasePath: env.DATABASE_PATH,
          logLevel: env.LOG_LEVEL,
          slackTimeoutMs: options.slackTimeoutMs ?? 10_000,
          settleMs,
          ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
          ...(options.baseBackoffMs === undefined ? {} : { baseBackoffMs: options.baseBackoffMs }),
          clock: sharedClock?.buffer ?? null,
          writeTurns: writeTurns ?? createWriteTurns(),
          kickPending: new SharedArrayBuffer(4),
          groups: {},
        },
        logger,
        metrics,
        ...(options.workerLogs ? { logs: options.workerLogs } : {}),
        ...(options.onWorkerDeath ? { onDeath: options.onWorkerDeath } : {}),
      })
    : null;
  try {
    return await startAround(options, identity, db, metrics, worker, sharedClock, settleMs);
  } catch (error) {
    await worker?.stop();
    closeDb(db);
    throw error;
  }
}

/**
 * The clock's state the worker thread reads: none for the system clock (the worker builds its
 * own), a test's or the demo's clock through shared memory (jobs/shared-clock.ts).
 */
function workerClock(clock: Clock, capacity: RuntimeOptions['capacity']): SharedClockState | null {
  if (capacity)
    throw new Error(
      "runtime: a capacity hook is a function, which cannot reach the outbox worker: use outbox: 'in-process'",
    );
  if (clock === systemClock) return null;
  if (isShareable(clock)) return clock.shared;
  throw new Error(
    "runtime: the outbox worker reads the clock from shared memory: inject systemClock or a ShareableClock (jobs/shared-clock.ts), or use outbox: 'in-process'",
  );
}

async function startAround(
  options: RuntimeOptions,
  identity: Awaited<ReturnType<typeof verifyBotToken>>,
  db: Db,
  metrics: Metrics,
  worker: OutboxWorker | null,
  sharedClock: SharedClockState | null,
  settleMs: number,
): Promise<Runtime> {
  const { env, config, clock, logger } = options;
  const storage = new StorageHealth(db, env.DATABASE_PATH, logger.child({ component: 'storage' }));
  let dispatcher: Dispatcher | undefined;
  const groups = new UserGroupCache(
    new WebClient(env.SLACK_BOT_TOKEN, { ...clientOptions(env), logger }),
    config,
    logger.child({ component: 'usergroups' }),
  );
  // The worker renders owners from the same members (it never calls usergroups.users.list).
  if (worker) groups.onRefresh((members) => worker.groups(members));
  await groups.refresh();
  groups.start();
  await continueReferencesAfterSlack(env, config, identity.botId, db, logger);
  warnUnreachableQuorums(config, (id) => groups.members(id), logger);
  const composition = composeServices(db, {
    config,
    clock,
    groups,
    onNotify: () => dispatcher?.kick(),
    wrapStore: (store) => countDecisions(store, metrics),
    ...(options.capacity ? { capacity: options.capacity } : {}),
  });
  const { services, store, home, digest, outboxRepo, jobRuns } = composition;
  metrics.observeOutbox(() => {
    const now = clock.now();
    const stats = outboxRepo.stats(now);
    const waitedMs = stats.oldestPendingAt ? now.getTime() - stats.oldestPendingAt.getTime() : 0;
    return { pending: stats.pending, oldestPendingAgeSeconds: waitedMs / 1000, failed: stats.failed };
  });
  let healthy = true;

  // 200 {"status":"ok"} when the database answers and the outbox is moving; 503 when the database
  // is closed or the oldest pending delivery has waited over OUTBOX_STUCK_AFTER_MS (Slack down
  // or refusing for that long: someone should look). Failures already reported to a person are
  // counted but do not make the bot unhealthy: a restart would not fix them.
  const health = (_req: IncomingMessage, res: ServerResponse) => {
    let body: Record<string, unknown>;
    let ok = false;
    try {
      if (!healthy || !db.$client.open) throw new Error('database closed');
      db.$client.prepare('SELECT 1').get();
      const now = clock.now();
      const problem = storage.problem(now);
      if (problem) throw new StorageUnavailable(describeProblem(problem));
      const stats = outboxRepo.stats(now);
      const waitedMs = stats.oldestPendingAt ? now.getTime() - stats.oldestPendingAt.getTime() : 0;
      const stuck = waitedMs > OUTBOX_STUCK_AFTER_MS;
      ok = !stuck;
      body = {
        status: ok ? 'ok' : 'degraded',
        database: 'ok',
        outbox: {
          status: stuck ? 'stuck' : 'ok',
          pending: stats.pending,
          oldestPendingAgeSeconds: Math.round(waitedMs / 1000),
          failed: stats.failed,
          failedLastHour: stats.failedLastHour,
          stuckAfterSeconds: OUTBOX_STUCK_AFTER_MS / 1000,
        },
      };
    } catch (error) {
      // A storage problem was logged once where it was found; other failures are logged here.
      if (error instanceof StorageUnavailable) body = { status: 'unavailable', database: error.message };
      else {
        logger.warn('health check failed', error);
        body = { status: 'unavailable', database: 'unavailable' };
      }
    }
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const apiClient = new WebClient(env.SLACK_BOT_TOKEN, { ...clientOptions(env), logger });
  const api = createApiServer({
    token: env.COMMIT_GATE_API_TOKEN,
    routes: createRoutes({
      services,
      sellers: createSellerDirectory(apiClient, logger.child({ component: 'api' })),
    }),
    idempotency: createApiIdempotencyRepo(db),
    transaction: (fn) => store.transaction(fn),
    clock,
    logger: logger.child({ component: 'api' }),
  });

  const app = createSlackApp({
    env,
    identity,
    logger,
    health,
    api,
    metrics,
    processed: createProcessedRepo(db),
    storage,
    ...(options.slackTimeoutMs === undefined ? {} : { timeoutMs: options.slackTimeoutMs }),
    deps: { services, config, clock, logger, ctx: renderContext(config), home, digest },
  });

  // Delivery: on its own thread (the default), or in this one (outbox: 'in-process').
  let inProcess: OutboxDispatcher | undefined;
  if (worker) {
    dispatcher = worker;
  } else {
    inProcess = composeDispatcher(composition, {
      client: app.client,
      logger,
      settleMs,
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
      ...(options.baseBackoffMs === undefined ? {} : { baseBackoffMs: options.baseBackoffMs }),
      onDelivery: (kind, result) => metrics.delivery(kind, result),
      onDigestRun: (result) => metrics.digestRun(result),
    });
    dispatcher = inProcess;
  }
  const outboxDispatcher = dispatcher;
  // A test's clock that jumps makes rows due: tell the worker at once rather than at its next poll.
  const stopKicking = sharedClock && worker ? sharedClock.onMove(() => worker.kick()) : () => {};

  const reminders = createReminderStore(db);
  const scheduler = new Scheduler({
    tasks: [
      { name: 'weekly_digest', run: () => runDueDigest({ ...services, jobRuns }) },
      { name: 'reminders', run: () => runRemindersPaced({ ...services, reminders }) },
      { name: 'promise_asks', run: () => runPromiseAsksPaced(services) },
      {
        name: 'outbox_prune',
        // On the worker's connection when there is one: its batches never block this loop.
        run: worker
          ? () => worker.prune()
          : outboxPruner({ repo: outboxRepo, clock, logger: logger.child({ component: 'outbox' }) }),
      },
    ].map((task): ScheduledTask => ({ name: task.name, run: countRuns(metrics, task.name, task.run) })),
    logger: logger.child({ component: 'scheduler' }),
    ...(options.scheduleMs === undefined ? {} : { intervalMs: options.scheduleMs }),
  });

  let port: number;
  let healthServer: Server | undefined;
  if (env.mode === 'http') {
    const server = (await app.start(env.PORT)) as Server;
    port = (server.address() as AddressInfo).port;
  } else {
    // Socket Mode has no HTTP listener of its own; /healthz still needs one for containers.
    healthServer = createServer((req, res) => {
      const path = req.url?.split('?')[0];
      if (req.method === 'GET' && path === '/healthz') health(req, res);
      else if (req.method === 'GET' && path === '/metrics') metrics.handler(req, res);
      else if (req.url?.startsWith('/api/')) api(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      healthServer?.once('error', reject);
      healthServer?.listen(env.PORT, resolve);
    });
    port = (healthServer.address() as AddressInfo).port;
    try {
      await app.start();
    } catch (error) {
      healthServer.close();
      throw appTokenError(error);
    }
  }
  // The worker's start (and the scheduler's first prune) wait in its port until it has loaded.
  (worker ?? inProcess)?.start();
  if (options.schedule ?? true) scheduler.start();
  if (worker) {
    // Slack's requests are served and acked already: acks never wait for the delivery thread,
    // whose module graph loads on the other core meanwhile; until it is ready, rows just wait.
    try {
      await worker.ready();
    } catch (error) {
      await scheduler.stop();
      await app.stop().catch(() => {});
      healthServer?.close();
      throw error;
    }
  }
  logger.info('commit-gate started', { mode: env.mode, port });

  let stopping: Promise<void> | undefined;
  return {
    port,
    db,
    app,
    dispatcher: outboxDispatcher,
    scheduler,
    groups,
    metrics,
    stop() {
      stopping ??= (async () => {
        healthy = false;
        stopKicking();
        groups.stop();
        await app.stop().catch((e: unknown) => logger.warn('error while stopping Slack app', e));
        if (healthServer) await new Promise<void>((resolve) => healthServer?.close(() => resolve()));
        await scheduler.stop();
        await outboxDispatcher.stop();
        closeDb(db);
        logger.info('commit-gate stopped');
      })();
      return stopping;
    },
  };
}

/** Opens the database, or says which variable to fix: better-sqlite3 alone names no setting. */
function openDatabase(path: string): Db {
  try {
    return createDb(path);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new StartupError(
      `env: DATABASE_PATH: ${path}: ${reason}: make its folder exist and writable by the user ` +
        'running the bot, or set DATABASE_PATH to a file in one that is',
    );
  }
}

/** apps.connections.open refusing the app-level token, named as the variable to fix. */
function appTokenError(error: unknown): unknown {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code !== 'string') return error;
  return new StartupError(
    `env: SLACK_APP_TOKEN: Slack rejected the app-level token (${code}): create one with the ` +
      'connections:write scope under Basic Information → App-Level Tokens (xapp-…), or unset ' +
      'SLACK_APP_TOKEN to serve HTTP',
  );
}

// The thin hooks of /metrics: decorators around what the runtime wires together, so no service,
// listener or job knows that it is counted.

/** Counts decision events once their transaction commits (a rolled-back one counts nothing). */
function countDecisions(store: RequestStore, metrics: Metrics): RequestStore {
  let appended: string[] | null = null;
  return {
    ...store,
    transaction<T>(fn: () => T): T {
      if (appended) return store.transaction(fn);
      appended = [];
      try {
        const result = store.transaction(fn);
        metrics.committedEvents(appended);
        return result;
      } finally {
        appended = null;
      }
    },
    appendEvents(requestId, events) {
      store.appendEvents(requestId, events);
      const types = events.map((e) => e.type);
      if (appended) appended.push(...types);
      else metrics.committedEvents(types);
    },
  };
}

function countRuns(metrics: Metrics, task: string, run: () => unknown): () => Promise<unknown> {
  return async () => {
    try {
      const result = await run();
      metrics.schedulerRun(task, 'ok');
      return result;
    } catch (error) {
      metrics.schedulerRun(task, 'error');
      throw error;
    }
  };
}
