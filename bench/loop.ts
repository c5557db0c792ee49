// Is the event loop ever blocked? While the running bot takes a steady load on /slack/events, the
// bench makes its background jobs due (by writing to the bot's database, as time would) and reads
// the bot's event-loop delay (perf_hooks.monitorEventLoopDelay, through bench/lib/probe.mjs) once
// a second until the bot's scheduler minute has done them all. The largest single delay is the
// longest the loop was blocked: any ack arriving then waited that long.
//
// To add a job: append to BACKGROUND_JOBS a `prepare` that makes it
// due and a `done` that tells, from the database, that the bot has finished it.
import type Database from 'better-sqlite3';
import { OUTBOX_KEEP_DELIVERED_MS } from '../src/jobs/outbox-prune.js';
import { DIGEST_JOB } from '../src/services/digest-schedule.js';
import { rateRun } from './lib/load.js';
import type { ChildServer } from './lib/processes.js';
import { childNow, type SignedRequest } from './lib/slack.js';
import { percentile, round } from './lib/stats.js';

export interface LoopContext {
  readonly sqlite: Database.Database;
  /** The bot's "now" (its clock is the bench's shifted clock). */
  readonly now: () => Date;
  readonly memo: Map<string, unknown>;
}

export interface BackgroundJob {
  /** For `--loop-jobs=digest,prune` (one job at a time tells which one blocks). */
  readonly key: string;
  readonly name: string;
  readonly what: string;
  prepare(ctx: LoopContext): void;
  done(ctx: LoopContext): boolean;
}

const PRUNABLE = 5_000;
const REMINDERS = 100;

export const BACKGROUND_JOBS: readonly BackgroundJob[] = [
  {
    key: 'digest',
    name: 'weekly digest',
    what: "the Monday digest: claimed at the scheduler's minute, built (figures, Block Kit, chart) and posted by the outbox",
    prepare: ({ sqlite, now }) => {
      // The slot (Monday 09:00) has come on the bot's clock; it was not claimed only because the
      // bot first ran after it. Moving "first seen" a month back makes it due, as on a real Monday.
      sqlite.prepare(`DELETE FROM job_runs WHERE job = ? AND period != 'first_seen'`).run(DIGEST_JOB);
      sqlite
        .prepare(`UPDATE job_runs SET claimed_at = ? WHERE job = ? AND period = 'first_seen'`)
        .run(now().getTime() - 30 * 86_400_000, DIGEST_JOB);
    },
    done: ({ sqlite }) =>
      sqlite
        .prepare(
          `SELECT 1 FROM job_runs WHERE job = ? AND period != 'first_seen' AND finished_at IS NOT NULL LIMIT 1`,
        )
        .get(DIGEST_JOB) !== undefined,
  },
  {
    key: 'reminders',
    name: 'reminders',
    what: `the scheduler's reminders with ${REMINDERS} pending sign-offs falling due for their reminder at once`,
    prepare: ({ sqlite, now, memo }) => {
      const ids = (
        sqlite
          .prepare(
            `SELECT id FROM sign_offs WHERE status = 'pending' AND reminded_at IS NOT NULL AND escalated_at IS NULL
             AND asked_at < ? ORDER BY id DESC LIMIT ?`,
          )
          .all(now().getTime() - 4 * 86_400_000, REMINDERS) as { id: number }[]
      ).map((r) => r.id);
      memo.set('reminders', ids);
      const reset = sqlite.prepare('UPDATE sign_offs SET reminded_at = NULL WHERE id = ?');
      sqlite.transaction(() => {
        for (const id of ids) reset.run(id);
      })();
    },
    done: ({ sqlite, memo }) => {
      const ids = (memo.get('reminders') as number[] | undefined) ?? [];
      if (!ids.length) return true;
      const left = sqlite
        .prepare(
          `SELECT count(*) AS n FROM sign_offs WHERE id IN (${ids.map(() => '?').join(',')}) AND reminded_at IS NULL`,
        )
        .get(...ids) as { n: number };
      return left.n === 0;
    },
  },
  {
    key: 'prune',
    name: 'outbox prune',
    what: `the outbox prune with ${PRUNABLE.toLocaleString('en-US')} delivered rows past the keep period (one run's cap)`,
    prepare: ({ sqlite, now }) => {
      // Copies of delivered rows, dated a keep period and a day earlier: what a month of traffic
      // leaves behind for the prune to delete.
      const shift = OUTBOX_KEEP_DELIVERED_MS + 86_400_000;
      sqlite
        .prepare(
          `INSERT INTO outbox (ordering_key, kind, payload, status, attempts, next_attempt_at, created_at, delivered_at)
           SELECT ordering_key, kind, payload, status, attempts, next_attempt_at - ?, created_at - ?, ? - ?
           FROM outbox WHERE status = 'done' ORDER BY id LIMIT ?`,
        )
        .run(shift, shift, now().getTime(), shift, PRUNABLE);
    },
    done: ({ sqlite, now }) =>
      (
        sqlite
          .prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'done' AND delivered_at < ?`)
          .get(now().getTime() - OUTBOX_KEEP_DELIVERED_MS) as { n: number }
      ).n === 0,
  },
  {
    key: 'rerender',
    name: 'capacity re-render',
    what: "a capacity change re-rendering every open card of the busiest product line's week (the live verdict)",
    prepare: ({ sqlite, now, memo }) => {
      // The week with the most open requests: the largest fan-out a decision can cause.
      const busiest = sqlite
        .prepare(
          `SELECT product_line_id AS pl, date(delivery_date, '-6 days', 'weekday 1') AS week, count(*) AS n
           FROM requests WHERE status = 'pending' GROUP BY 1, 2 ORDER BY n DESC LIMIT 1`,
        )
        .get() as { pl: string; week: string; n: number };
      const notice = { kind: 'capacity.update', productLineId: busiest.pl, weekStart: busiest.week };
      // As services/capacity.ts queues it (db/outbox-repo.ts: a capacity change is background).
      const { lastInsertRowid } = sqlite
        .prepare(
          `INSERT INTO outbox (ordering_key, kind, payload, status, attempts, next_attempt_at, created_at, priority)
           VALUES (?, 'capacity.update', ?, 'pending', 0, ?, ?, 1)`,
        )
        .run(
          `capacity:${busiest.pl}:${busiest.week}`,
          JSON.stringify(notice),
          now().getTime(),
          now().getTime(),
        );
      memo.set('rerender', Number(lastInsertRowid));
    },
    done: ({ sqlite, memo }) => {
      const id = memo.get('rerender') as number;
      // Delivered (not given up), and the re-renders it queued (background rows after it) too.
      const row = sqlite
        .prepare(
          `SELECT (SELECT status FROM outbox WHERE id = @id) AS status,
                  (SELECT count(*) FROM outbox WHERE id > @id AND status = 'pending' AND priority = 1) AS left`,
        )
        .get({ id }) as { status: string; left: number };
      if (row.status === 'failed') throw new Error('loop: the capacity re-render was given up');
      return row.status === 'done' && row.left === 0;
    },
  },
];

export interface LoopResult {
  readonly perSecond: number;
  readonly jobs: readonly { name: string; what: string; doneAfterS: number | null }[];
  /** The largest single delay seen over the whole phase, ms, and when (s after the jobs were made due). */
  readonly maxBlockMs: number;
  readonly maxBlockAtS: number;
  /** The same before any job was due (load alone), for comparison. */
  readonly loadOnlyMaxMs: number;
  /** Per second: the largest delay, ms. */
  readonly timeline: readonly { atS: number; maxMs: number }[];
  /** Ack latency of the load during the phase. */
  readonly ack: { readonly p50: number; readonly p99: number; readonly max: number; readonly errors: number };
}

/**
 * Runs the phase: `loadOnlyS` seconds of load alone, then the jobs made due, then load until all
 * are done (or `timeoutS`). The bot's scheduler ticks once a minute, so this takes up to a minute.
 */
export async function measureLoopBlocks(options: {
  readonly bot: ChildServer;
  readonly sqlite: Database.Database;
  readonly perSecond: number;
  readonly next: () => SignedRequest;
  /** Which jobs to make due (keys); all by default. */
  readonly only?: readonly string[] | null;
  readonly loadOnlyS?: number;
  readonly timeoutS?: number;
  readonly progress: (line: string) => void;
}): Promise<LoopResult> {
  const { bot, perSecond, next } = options;
  const unknown = (options.only ?? []).filter((k) => !BACKGROUND_JOBS.some((j) => j.key === k));
  if (unknown.length)
    throw new Error(
      `unknown job ${unknown.join(', ')}; one of ${BACKGROUND_JOBS.map((j) => j.key).join(', ')}`,
    );
  const jobs = options.only ? BACKGROUND_JOBS.filter((j) => options.only?.includes(j.key)) : BACKGROUND_JOBS;
  const ctx: LoopContext = { sqlite: options.sqlite, now: childNow, memo: new Map() };
  const latencies: number[] = [];
  let errors = 0;
  let stop = false;
  const url = `${bot.url}/slack/events`;
  const load = (async () => {
    while (!stop) {
      const r = await rateRun(url, perSecond, perSecond, next, latencies);
      errors += r.errors + r.non2xx;
    }
  })();
  const timeline: { atS: number; maxMs: number }[] = [];
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1000));
  await bot.loop(true);
  let loadOnlyMaxMs = 0;
  for (let s = 0; s < (options.loadOnlyS ?? 5); s++) {
    await tick();
    loadOnlyMaxMs = Math.max(loadOnlyMaxMs, (await bot.loop(true)).maxMs);
  }
  for (const job of jobs) job.prepare(ctx);
  options.progress(`loop: ${jobs.map((j) => j.name).join(', ')} made due; waiting for the minute`);
  const started = performance.now();
  const doneAt = new Map<string, number>();
  const elapsed = () => (performance.now() - started) / 1000;
  while (doneAt.size < jobs.length && elapsed() < (options.timeoutS ?? 90)) {
    await tick();
    timeline.push({ atS: round(elapsed(), 1), maxMs: (await bot.loop(true)).maxMs });
    for (const job of jobs)
      if (!doneAt.has(job.name) && job.done(ctx)) doneAt.set(job.name, round(elapsed(), 1));
  }
  // A few more seconds: the outbox delivers what the jobs enqueued (the digest's parts, the DMs).
  for (let s = 0; s < 5; s++) {
    await tick();
    timeline.push({ atS: round(elapsed(), 1), maxMs: (await bot.loop(true)).maxMs });
  }
  stop = true;
  await load;
  const worst = timeline.reduce((a, b) => (b.maxMs > a.maxMs ? b : a), { atS: 0, maxMs: 0 });
  return {
    perSecond,
    jobs: jobs.map((j) => ({
      name: j.name,
      what: j.what,
      doneAfterS: doneAt.get(j.name) ?? null,
    })),
    maxBlockMs: worst.maxMs,
    maxBlockAtS: worst.atS,
    loadOnlyMaxMs,
    timeline,
    ack: {
      p50: round(percentile(latencies, 50), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(Math.max(0, ...latencies), 2),
      errors,
    },
  };
}
