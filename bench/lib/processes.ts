// Starts the servers under test as child processes (so the load generator never shares their
// event loop), times their start-up to a healthy /healthz, and samples their resident memory.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

/** A program the bench runs on `node`: what it is called in results.json, and its node arguments. */
export interface Program {
  readonly label: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** The bot as the image runs it (Dockerfile CMD, ENV NODE_ENV=production), after `npm run build`. */
export const SHIPPED_BOT: Program = {
  label: 'node dist/main.js',
  args: ['dist/main.js'],
  env: { NODE_ENV: 'production' },
};
/** The bot from its TypeScript sources through tsx: a labelled extra (`--with-tsx`), not the product. */
export const TSX_BOT: Program = {
  label: 'node --import tsx src/main.ts',
  args: ['--import', 'tsx', 'src/main.ts'],
};
/** The baseline, plain JavaScript on node like the bot's dist/. */
export const BARE_BOLT: Program = {
  label: 'node bench/bare-bolt.mjs',
  args: ['bench/bare-bolt.mjs'],
  env: { NODE_ENV: 'production' },
};
/** The bench's preload (clock offset, event-loop delay): see bench/lib/probe.mjs. */
export const PROBE = ['--import', './bench/lib/probe.mjs'] as const;

/** `npm run build` (tsc → dist/), once per bench run; returns how long it took, in ms. */
export function buildOnce(): number {
  const started = performance.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - started;
}

export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Spawn to the first 200 from /healthz, in ms. */
  readonly startupMs: number;
  /** Resident set size now, in bytes (VmRSS from /proc). */
  rss(): number;
  /** Samples RSS every 100 ms until stopped; returns the peak seen. */
  sampleRss(): { stop(): number };
  /** GET /healthz, parsed. */
  health(): Promise<Record<string, unknown>>;
  /** The event loop's delay since the last reset (the probe's GET /loop); `reset` starts a new window. */
  loop(reset?: boolean): Promise<LoopDelay>;
  stop(): Promise<void>;
}

export interface LoopDelay {
  readonly maxMs: number;
  readonly p99Ms: number;
  readonly meanMs: number | null;
  readonly count: number;
}

/** Children still running: killed if the bench itself exits early (a failed run leaves no orphans). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

let offsetMs = 0;
/** The children's clock offset (bench/lib/probe.mjs); the load generator signs with the same. */
export function clockOffsetMs(): number {
  return offsetMs;
}
/** Sets the offset so that the children's clock reads `at` now (call once, before any child starts). */
export function setChildClock(at: Date): void {
  offsetMs = Math.round(at.getTime() - Date.now());
}

export interface StartOptions {
  readonly name: string;
  /** What runs on `node` (one process: its pid is the server's). */
  readonly program: Program;
  readonly env: Readonly<Record<string, string>>;
  /** Where the child's stdout/stderr go (a file: the parent spends nothing on it). */
  readonly logFile: string;
  readonly timeoutMs?: number;
  /** Extra node flags, e.g. `--cpu-prof` to profile the server under load. */
  readonly nodeArgs?: readonly string[];
  /** Port for the probe's GET /loop (bench/lib/probe.mjs); the probe is always preloaded. */
  readonly probePort?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startChild(options: StartOptions): Promise<ChildServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(options.logFile, 'a');
  const started = performance.now();
  const probePort = options.probePort ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...PROBE, ...options.program.args],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...options.program.env,
        ...options.env,
        BENCH_CLOCK_OFFSET_MS: String(clockOffsetMs()),
        BENCH_PROBE_PORT: String(probePort),
        PORT: String(port),
      },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  live.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (dead) throw new Error(`${options.name} exited during start-up; see ${options.logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not healthy in time; see ${options.logFile}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const startupMs = performance.now() - started;
  const pid = child.pid ?? 0;
  const rss = () => {
    try {
      const status = readFileSync(join('/proc', String(pid), 'status'), 'utf8');
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : Number.NaN;
    } catch {
      return Number.NaN;
    }
  };
  return {
    name: options.name,
    pid,
    url,
    startupMs,
    rss,
    sampleRss() {
      let peak = rss();
      const timer = setInterval(() => {
        const now = rss();
        if (now > peak) peak = now;
      }, 100);
      return {
        stop() {
          clearInterval(timer);
          return Math.max(peak, rss());
        },
      };
    },
    async health() {
      // A kept-alive connection the server is closing at that moment answers ECONNRESET; that is
      // the client's race, not the bot's health, so a fresh connection is tried (the process
      // still has to be alive).
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(`${url}/healthz`);
          return (await res.json()) as Record<string, unknown>;
        } catch (error) {
          if (dead || attempt >= 3) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async loop(reset = false) {
      const res = await fetch(`http://127.0.0.1:${probePort}/loop${reset ? '?reset=1' : ''}`);
      return (await res.json()) as LoopDelay;
    },
    async stop() {
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until the bot's outbox has nothing pending (every Slack side effect delivered). */
export async function outboxIdle(server: ChildServer, timeoutMs = 180_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const body = await server.health();
    const outbox = body.outbox as { pending?: number } | undefined;
    if (!outbox || outbox.pending === 0) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(`${server.name}: outbox still has ${outbox.pending} pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
