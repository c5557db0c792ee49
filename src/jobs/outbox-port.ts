// The main thread's side of the outbox worker (jobs/outbox-worker.ts): the dispatcher's public
// surface (kick, drain, stop) as messages, so runtime.ts, services' onNotify, /healthz and the
// tests keep their shape while every delivery runs on the worker's thread. drain, stop and prune
// are round trips: they resolve when the worker replies. Messages on one port arrive in order, so
// a kick posted after a commit, then a drain, finds the row; log lines and delivery counts sent
// before a reply arrive before it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { AppLogger, LogSink } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { FromWorker, OutboxWorkerData, ToWorker } from './outbox-worker.js';

/** What the rest of the program sees of the outbox dispatcher, in-process or in the worker. */
export interface Dispatcher {
  /** Asks for a run soon. */
  kick(): void;
  /** Delivers everything due now; resolves when nothing due is left. */
  drain(): Promise<void>;
  /** Stops polling and waits for deliveries in flight; undelivered rows stay for the next start. */
  stop(): Promise<void>;
}

export interface OutboxWorkerOptions {
  readonly data: Omit<OutboxWorkerData, 'forwardLogs'>;
  readonly logger: AppLogger;
  readonly metrics: Metrics;
  /** Where the worker's log lines go; default: the worker writes them to fd 2 itself. */
  readonly logs?: LogSink;
  /**
   * When the worker dies unasked (an uncaught error, an exit): the bot cannot deliver without it,
   * so by default the process exits 1 and the container restarts it. Nothing is lost: the rows it
   * had not finished stay pending (claimed rows come back when this host's new process starts).
   */
  readonly onDeath?: (reason: string) => void;
}

export class OutboxWorker implements Dispatcher {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (v: number | undefined) => void; reject: (e: Error) => void }
  >();
  private stopping: Promise<void> | undefined;
  private dead: string | null = null;
  private isReady = false;
  /** 1 while a kick message is on its way (shared with the worker, which clears it on reading). */
  private readonly kickPending: Int32Array;
  private readonly started: Promise<void>;
  private settleStart: { resolve: () => void; reject: (e: Error) => void } | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: OutboxWorkerOptions,
  ) {
    this.kickPending = new Int32Array(options.data.kickPending);
    this.started = new Promise((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    // Nobody may be waiting yet; a start-up failure is reported to whoever awaits ready().
    this.started.catch(() => {});
  }

  /**
   * Starts the thread; `ready()` resolves once it has opened the database and built its
   * dispatcher. Messages posted meanwhile wait for it, in order.
   */
  static spawn(options: OutboxWorkerOptions): OutboxWorker {
    const port = new OutboxWorker(
      spawnWorker({ ...options.data, forwardLogs: options.logs !== undefined }),
      options,
    );
    port.listen();
    return port;
  }

  ready(): Promise<void> {
    return this.started;
  }

  /** Starts the worker's dispatcher (after the Slack app, as the in-process one was). */
  start(): void {
    this.post({ type: 'start' });
  }

  /**
   * One message per burst: while a kick is on its way (the worker has not read it yet) further
   * kicks add nothing, since the worker's run will see every row committed before it reads it.
   * Measured: a message per commit was 6.5% of the main thread's CPU at 100 submits/s.
   */
  kick(): void {
    if (Atomics.exchange(this.kickPending, 0, 1) === 0) this.post({ type: 'kick' });
  }

  async drain(): Promise<void> {
    await this.ask('drain');
  }

  /** Deletes delivered rows past their keep period (jobs/outbox-prune.ts), on the worker's connection. */
  async prune(): Promise<number> {
    return (await this.ask('prune')) ?? 0;
  }

  /** The owner groups' members, after each refresh on the main thread. */
  groups(members: Readonly<Record<string, readonly string[]>>): void {
    this.post({ type: 'groups', members });
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.dead === null && this.isReady) {
        try {
          await this.ask('stop');
        } catch (error) {
          this.options.logger.warn('the outbox worker did not stop cleanly', error);
        }
      }
      await this.worker.terminate();
    })();
    return this.stopping;
  }

  private post(message: ToWorker): void {
    if (this.dead === null && !this.stopping) this.worker.postMessage(message);
  }

  private ask(type: 'drain' | 'stop' | 'prune'): Promise<number | undefined> {
    if (this.dead !== null) return Promise.reject(new Error(`the outbox worker is gone: ${this.dead}`));
    // Stopped (or stopping): nothing more is delivered or pruned here; the rows wait for the next start.
    if (this.stopping && type !== 'stop') return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type, id } satisfies ToWorker);
    });
  }

  private listen(): void {
    const { logger, metrics } = this.options;
    this.worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'log':
          this.options.logs?.(message.line);
          return;
        case 'metrics':
          for (const [kind, result, n] of message.deliveries)
            for (let i = 0; i < n; i++) metrics.delivery(kind, result);
          for (const [result, n] of message.digestRuns) for (let i = 0; i < n; i++) metrics.digestRun(result);
          return;
        case 'reply': {
          const waiter = this.waiting.get(message.id);
          this.waiting.delete(message.id);
          if (message.error !== undefined) waiter?.reject(new Error(message.error));
          else waiter?.resolve(message.value);
          return;
        }
        case 'ready':
          this.isReady = true;
          this.settleStart?.resolve();
          return;
      }
    });
    const died = (reason: string) => {
      if (this.dead !== null) return;
      this.dead = reason;
      for (const waiter of this.waiting.values())
        waiter.reject(new Error(`the outbox worker is gone: ${reason}`));
      this.waiting.clear();
      if (!this.isReady) {
        this.settleStart?.reject(new Error(`the outbox worker did not start: ${reason}`));
        return;
      }
      if (this.stopping) return;
      logger.error('the outbox worker died: nothing can be delivered, exiting', { reason });
      (this.options.onDeath ?? exitProcess)(reason);
    };
    this.worker.on('error', (error) => died(describe(error)));
    this.worker.on('exit', (code) => died(`exited with code ${code}`));
  }
}

/** An error from the worker, as a line: errors thrown there may arrive as plain objects (cloned). */
function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
    return [name, code, message].filter((part) => typeof part === 'string' && part).join(': ');
  }
  return inspect(error, { depth: 2, breakLength: Number.POSITIVE_INFINITY });
}

function exitProcess(): void {
  process.exit(1);
}

/**
 * The worker's young generation (V8's new space), in MB. V8's default (about 32 MB resident per
 * isolate once a burst of deliveries has touched it) made the worker cost 72 MB of idle RSS at
 * 10k history (309 vs 237 MB, same build in-process); 8 MB brought it to about 27 MB. Its
 * extra scavenges run on the worker's thread, never on the acks'.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * The built program runs dist/jobs/outbox-worker.js as is (inheriting node's flags: a bench's
 * --cpu-prof or preload applies to both threads). From TypeScript sources (tsx, vitest) the
 * thread first registers tsx's loader, then imports the .ts entry: node 20 does not apply a
 * loader given in a worker's execArgv to the worker's own entry.
 */
function spawnWorker(data: OutboxWorkerData): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  if (!fromSources)
    return new Worker(new URL('./outbox-worker.js', import.meta.url), { workerData: data, resourceLimits });
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(
    join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  const entry = new URL('./outbox-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, {
    eval: true,
    workerData: data,
    resourceLimits,
    execArgv: withoutTsx(process.execArgv),
  });
}

/** The parent's node flags less its tsx loader (registered by the boot code instead). */
function withoutTsx(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if ((arg === '--import' || arg === '--require' || arg === '--loader') && argv[i + 1]?.includes('tsx')) {
      i++;
      continue;
    }
    if (/^--(import|require|loader)=.*tsx/.test(arg)) continue;
    out.push(arg);
  }
  return out;
}
