// The outbox's own thread (a worker_threads entry, started by jobs/outbox-port.ts): every delivery
// (rendering, Web API calls, Home publishes and the leadership board, the Monday digest, capacity
// re-renders, webhooks) and the prune of delivered rows run here, on a second SQLite connection to
// the same WAL file, so none of it holds up the main thread's acks. The dispatcher is the same
// OutboxDispatcher (jobs/outbox.ts) with the same repo code and rows: exactly once, order per
// ordering key and crash safety are what they were in-process.
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';
import { composeDispatcher, composeServices } from '../composition.js';
import type { Config, LogLevel } from '../config.js';
import { closeDb, createDb } from '../db/create-db.js';
import { yieldToAnnouncedWrites } from '../db/write-turns.js';
import { createLogger, type LogSink } from '../logger.js';
import type { DeliveryResult } from '../metrics.js';
import { type Clock, type GroupDirectory, systemClock } from '../services/ports.js';
import { clientOptions } from '../slack/create-app.js';
import { outboxPruner } from './outbox-prune.js';
import { clockOnBuffer } from './shared-clock.js';

/** What the main thread hands the worker: plain data only (structured clone). */
export interface OutboxWorkerData {
  readonly config: Config;
  readonly token: string;
  readonly apiUrl: string;
  readonly databasePath: string;
  readonly logLevel: LogLevel;
  /** Send log lines to the main thread (tests collect them) instead of writing them to fd 2. */
  readonly forwardLogs: boolean;
  readonly slackTimeoutMs: number;
  readonly settleMs: number;
  readonly pollMs?: number;
  readonly baseBackoffMs?: number;
  /** The injected clock's shared state (jobs/shared-clock.ts); null: the system clock. */
  readonly clock: SharedArrayBuffer | null;
  /** The main thread's announced writes (db/write-turns.ts): the worker's writes wait for them. */
  readonly writeTurns: SharedArrayBuffer;
  /** 1 while a kick message is on its way (jobs/outbox-port.ts coalesces kicks with it). */
  readonly kickPending: SharedArrayBuffer;
  /** Owner user groups' members as the main thread last fetched them. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
}

/** Main thread → worker. */
export type ToWorker =
  | { readonly type: 'start' }
  | { readonly type: 'kick' }
  | { readonly type: 'groups'; readonly members: Readonly<Record<string, readonly string[]>> }
  | { readonly type: 'drain' | 'stop' | 'prune'; readonly id: number };

/** Worker → main thread. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'reply'; readonly id: number; readonly value?: number; readonly error?: string }
  | { readonly type: 'log'; readonly line: string }
  | {
      readonly type: 'metrics';
      readonly deliveries: readonly (readonly [string, DeliveryResult, number])[];
      readonly digestRuns: readonly (readonly ['ok' | 'error', number])[];
    };

const port = parentPort;
if (!port) throw new Error('jobs/outbox-worker.ts runs as a worker thread (jobs/outbox-port.ts starts it)');
const data = workerData as OutboxWorkerData;
const send = (message: FromWorker) => port.postMessage(message);

// Whole lines straight to the file descriptor: a worker's process.stderr is piped through the
// main thread's event loop, which would put every delivery's log line back on the acks' loop.
const sink: LogSink = data.forwardLogs
  ? (line) => send({ type: 'log', line })
  : (line) => writeSync(2, `${line}\n`);
const logger = createLogger(data.logLevel, sink).child({ thread: 'outbox' });
// An error nothing caught (an unhandled rejection counts) ends the thread, and the main thread
// then ends the process (exit code 1). Said here first: the error the main thread receives is a
// structured clone that may have lost its message (SqliteError arrives as { code }).
process.on('uncaughtException', (error) => {
  logger.error('the outbox worker failed', error);
  process.exit(1);
});

/** Owner groups as the main thread fetched them (it refreshes them and sends each new list). */
class GroupsFromMain implements GroupDirectory {
  private members_ = new Map<string, readonly string[]>();
  set(members: Readonly<Record<string, readonly string[]>>): void {
    this.members_ = new Map(Object.entries(members));
  }
  members(groupId: string): readonly string[] {
    return this.members_.get(groupId) ?? [];
  }
}

// /metrics lives on the main thread: counts are summed here and sent in one message at most
// every METRICS_FLUSH_MS, and before every reply (a test that drains then scrapes sees them).
const METRICS_FLUSH_MS = 250;
const deliveries = new Map<string, number>();
const digestRuns = new Map<'ok' | 'error', number>();
let flushTimer: NodeJS.Timeout | undefined;
function flushMetrics(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = undefined;
  if (!deliveries.size && !digestRuns.size) return;
  send({
    type: 'metrics',
    deliveries: [...deliveries].map(([key, n]) => {
      const [kind, result] = JSON.parse(key) as [string, DeliveryResult];
      return [kind, result, n] as const;
    }),
    digestRuns: [...digestRuns],
  });
  deliveries.clear();
  digestRuns.clear();
}
function counted(): void {
  flushTimer ??= setTimeout(flushMetrics, METRICS_FLUSH_MS);
}

const kickPending = new Int32Array(data.kickPending);
const clock: Clock = data.clock ? clockOnBuffer(data.clock) : systemClock;
const groups = new GroupsFromMain();
groups.set(data.groups);
// The main thread migrated the file before starting this thread.
const db = createDb(data.databasePath, { migrate: false });
yieldToAnnouncedWrites(db.$client, data.writeTurns);
// The main thread's connection never checkpoints the WAL (runtime.ts): this thread does, every
// second and after its own commits (SQLite's auto-checkpoint, on), so the log stays bounded and the
// copy into the database file never runs on the event loop that serves /slack/events. PASSIVE
// takes no write lock: the main thread's writes go on meanwhile.
const CHECKPOINT_EVERY_MS = 1000;
const checkpoints = setInterval(() => {
  try {
    db.$client.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    logger.warn('WAL checkpoint failed; the next one retries', { error: String(error) });
  }
}, CHECKPOINT_EVERY_MS);
checkpoints.unref();
let dispatcherKick = () => {};
const composition = composeServices(db, {
  config: data.config,
  clock,
  groups,
  onNotify: () => dispatcherKick(),
});
const client = new WebClient(data.token, {
  ...clientOptions({ SLACK_API_URL: data.apiUrl }, data.slackTimeoutMs),
  logger,
});
const dispatcher = composeDispatcher(composition, {
  client,
  logger,
  settleMs: data.settleMs,
  ...(data.pollMs === undefined ? {} : { pollMs: data.pollMs }),
  ...(data.baseBackoffMs === undefined ? {} : { baseBackoffMs: data.baseBackoffMs }),
  onDelivery: (kind, result) => {
    const key = JSON.stringify([kind, result]);
    deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    counted();
  },
  onDigestRun: (result) => {
    digestRuns.set(result, (digestRuns.get(result) ?? 0) + 1);
    counted();
  },
});
dispatcherKick = () => dispatcher.kick();
// The week that ended last is counted here once it has ended (a minute after Monday 00:00 at the
// latest, and after a start), so the Monday digest, /commit digest and the leadership board read
// it kept instead of counting it when they are due. Asking costs one indexed read.
const PREPARE_DIGEST_EVERY_MS = 60_000;
const prepareDigest = () => {
  try {
    if (composition.prepareDigest())
      logger.info('digest: counted the week that ended last ahead of its digest');
  } catch (error) {
    logger.warn('digest: counting last week ahead failed; the digest counts it when due', {
      error: String(error),
    });
  }
};
setTimeout(prepareDigest, 5_000).unref();
setInterval(prepareDigest, PREPARE_DIGEST_EVERY_MS).unref();
const prune = outboxPruner({
  repo: composition.outboxRepo,
  clock,
  // Small batches: each holds SQLite's write lock, which the main thread's acks may be waiting for.
  batch: 100,
  logger: logger.child({ component: 'outbox' }),
});

async function answer(id: number, work: () => Promise<number | undefined>): Promise<void> {
  try {
    const value = await work();
    flushMetrics();
    send({ type: 'reply', id, ...(value === undefined ? {} : { value }) });
  } catch (error) {
    flushMetrics();
    send({ type: 'reply', id, error: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      dispatcher.start();
      return;
    case 'kick':
      // Cleared before the run starts: a commit after this point posts a new kick.
      Atomics.store(kickPending, 0, 0);
      dispatcher.kick();
      return;
    case 'groups':
      groups.set(message.members);
      return;
    case 'drain':
      void answer(message.id, async () => {
        await dispatcher.drain();
        return undefined;
      });
      return;
    case 'prune':
      void answer(message.id, () => prune());
      return;
    case 'stop':
      void answer(message.id, async () => {
        await dispatcher.stop();
        clearInterval(checkpoints);
        closeDb(db);
        return undefined;
      }).then(() => port.close());
      return;
  }
});

logger.info('outbox worker ready', { database: data.databasePath });
send({ type: 'ready' });
