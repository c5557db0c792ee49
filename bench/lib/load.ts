// The load generator: a closed loop over loopback with node:http keep-alive connections. Each of
// `connections` workers sends its next request as soon as the previous one is answered, until a
// fixed number of requests is done (a fixed count, not a fixed duration, so a slow server does the
// same work as a fast one). A warm-up run first, then several measured runs; each figure reported
// is the median of the runs. Latency is timed per request with performance.now() (sub-ms), and
// throughput is requests / wall time of the run.
//
// Why not autocannon: with a fixed request count its run ends on its one-second ticker, so short
// runs report the ticker's rate, not the server's, and its latencies are whole milliseconds.
import { Agent, request as httpRequest } from 'node:http';
import type { SignedRequest } from './slack.js';
import { median, percentile, round } from './stats.js';

export interface LoadPlan {
  /** Concurrent connections (each sends its next request once the previous is answered). */
  readonly connections: number;
  readonly warmup: number;
  readonly amount: number;
  readonly runs: number;
}

export interface RunFigures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface LoadResult extends RunFigures {
  readonly requests: number;
  readonly runs: readonly RunFigures[];
}

function post(agent: Agent, url: URL, r: SignedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** One closed-loop run of `amount` requests, each built by `next()` just before it is sent. */
export async function loadRun(
  base: string,
  connections: number,
  amount: number,
  next: () => SignedRequest,
): Promise<RunFigures & { latencies: number[] }> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < amount) {
      sent++;
      const r = next();
      const t = performance.now();
      try {
        const status = await post(agent, url, r);
        if (status < 200 || status >= 300) non2xx++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    rps: round(amount / seconds, 1),
    p50: round(percentile(latencies, 50), 2),
    p99: round(percentile(latencies, 99), 2),
    non2xx,
    errors,
    latencies,
  };
}

export async function measureLoad(
  base: string,
  plan: LoadPlan,
  next: () => SignedRequest,
): Promise<LoadResult> {
  if (plan.warmup > 0) await loadRun(base, plan.connections, plan.warmup, next);
  const runs: RunFigures[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const { latencies: _, ...figures } = await loadRun(base, plan.connections, plan.amount, next);
    runs.push(figures);
  }
  return summarizeRuns(plan.amount, runs);
}

/** How many requests a plan sends in all (warm-up included): the size of a pool of distinct clicks. */
export function planTotal(plan: LoadPlan): number {
  return plan.warmup + plan.amount * plan.runs;
}

export interface PairedResult {
  readonly subject: LoadResult;
  readonly baseline: LoadResult;
}

/**
 * Measures a subject and its baseline in alternating runs (baseline, subject, baseline, …), so
 * both see the same machine: on a shared machine the load of other work drifts over seconds, and
 * comparing runs taken minutes apart would compare the drift.
 */
export async function measurePaired(
  subject: { url: string; next: () => SignedRequest },
  baseline: { url: string; next: () => SignedRequest },
  plan: LoadPlan,
): Promise<PairedResult> {
  if (plan.warmup > 0) {
    await loadRun(baseline.url, plan.connections, plan.warmup, baseline.next);
    await loadRun(subject.url, plan.connections, plan.warmup, subject.next);
  }
  const s: RunFigures[] = [];
  const b: RunFigures[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const { latencies: _b, ...bf } = await loadRun(
      baseline.url,
      plan.connections,
      plan.amount,
      baseline.next,
    );
    b.push(bf);
    const { latencies: _s, ...sf } = await loadRun(subject.url, plan.connections, plan.amount, subject.next);
    s.push(sf);
  }
  return { subject: summarizeRuns(plan.amount, s), baseline: summarizeRuns(plan.amount, b) };
}

function summarizeRuns(amount: number, runs: RunFigures[]): LoadResult {
  return {
    requests: amount,
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    runs,
  };
}

export interface RatePlan {
  /** Requests started per second, whether or not earlier ones were answered (open loop). */
  readonly perSecond: number;
  readonly amount: number;
  readonly runs: number;
}

export interface RateFigures {
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * Open loop: one request every 1/perSecond s, each timed from when it was due, so a server that
 * falls behind is charged for the wait (no coordinated omission). At a rate well under what the
 * server can take, p99 is the ack's own cost, not a queue.
 */
export async function rateRun(
  base: string,
  perSecond: number,
  amount: number,
  next: () => SignedRequest,
  /** Also receives each latency (for figures over several runs). */
  sink?: number[],
): Promise<RateFigures> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < amount; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const r = next();
    inFlight.push(
      post(agent, url, r).then(
        (status) => {
          if (status < 200 || status >= 300) non2xx++;
          const ms = performance.now() - due;
          latencies.push(ms);
          sink?.push(ms);
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return {
    p50: round(percentile(latencies, 50), 2),
    p99: round(percentile(latencies, 99), 2),
    non2xx,
    errors,
  };
}

/** Subject and baseline at the same fixed rate, in alternating runs; medians of the runs. */
export async function measurePairedAtRate(
  subject: { url: string; next: () => SignedRequest },
  baseline: { url: string; next: () => SignedRequest },
  plan: RatePlan,
): Promise<{ subject: RateFigures; baseline: RateFigures }> {
  const s: RateFigures[] = [];
  const b: RateFigures[] = [];
  for (let i = 0; i < plan.runs; i++) {
    b.push(await rateRun(baseline.url, plan.perSecond, plan.amount, baseline.next));
    s.push(await rateRun(subject.url, plan.perSecond, plan.amount, subject.next));
  }
  const med = (runs: RateFigures[]): RateFigures => ({
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  });
  return { subject: med(s), baseline: med(b) };
}
