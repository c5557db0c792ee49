// `npm run bench`: the shipped commit-gate (`npm run build`, then `node dist/main.js` as the image
// runs it) against a bare Bolt app (plain JavaScript on node), at two history sizes, in one run.
// Prints a table on stdout, progress on stderr, and writes bench/results.json (atomically).
// See bench/README.md for what each figure means and the flags (--quick, --sizes=, --cases=,
// --with-tsx, --no-loop).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type RecordedCall, SlackStandIn, STAND_IN_WORKSPACE } from '../dev/slack-stand-in.js';
import { parseConfig } from '../src/config.js';
import { createCapacityStore } from '../src/db/capacity-repo.js';
import { closeDb, createDb } from '../src/db/create-db.js';
import { createOutbox } from '../src/db/outbox-repo.js';
import { createPromiseStore } from '../src/db/promise-repo.js';
import { createRequestStore } from '../src/db/request-repo.js';
import { renderContext } from '../src/slack/delivery/dispatch.js';
import { ACTIONS } from '../src/slack/ids.js';
import { exampleConfigObject } from '../test/support/config.js';
import { type BareCase, type CaseContext, selectCases } from './cases.js';
import { runEndToEnd } from './e2e.js';
import { installedProductionSize } from './footprint.js';
import { HISTORY_MEASUREMENTS, type HistoryContext } from './history.js';
import {
  type LoadPlan,
  type LoadResult,
  measurePaired,
  measurePairedAtRate,
  planTotal,
  type RateFigures,
  type RatePlan,
} from './lib/load.js';
import {
  BARE_BOLT,
  buildOnce,
  type ChildServer,
  outboxIdle,
  type Program,
  ROOT,
  SHIPPED_BOT,
  setChildClock,
  startChild,
  TSX_BOT,
} from './lib/processes.js';
import {
  approveRequest,
  BOT_TOKEN,
  type ClickTarget,
  commandRequest,
  SIGNING_SECRET,
  type SignedRequest,
  simpleRequest,
  submitRequest,
} from './lib/slack.js';
import { median, ratio, round, summarize } from './lib/stats.js';
import { type LoopResult, measureLoopBlocks } from './loop.js';
import { renderReport } from './report.js';
import { SEED_ANCHOR, SELLERS, seededDb } from './seed.js';

// `--only=rerender`: just the issue-16 case (a decision re-rendering N live cards), nothing else.
if (process.argv.includes('--only=rerender')) {
  const { runRerenderBench } = await import('./rerender.js');
  const figures = await runRerenderBench((line) => process.stderr.write(`[bench] ${line}\n`));
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const withTsx = process.argv.includes('--with-tsx');
const withLoop = !process.argv.includes('--no-loop');
const withHistory = !process.argv.includes('--no-history');
const loopJobsArg = process.argv.find((a) => a.startsWith('--loop-jobs='));
/** `--loop-jobs=digest` makes only those background jobs due (bench/loop.ts keys); all by default. */
const LOOP_JOBS = loopJobsArg ? loopJobsArg.slice('--loop-jobs='.length).split(',') : null;
const casesArg = process.argv.find((a) => a.startsWith('--cases='));
/** `--cases=help,submit` runs only those ack cases (and what they need); all by default. */
const CASES = selectCases(casesArg ? casesArg.slice('--cases='.length).split(',') : null);
/**
 * The bot's clock (bench/lib/probe.mjs shifts it): Monday 09:00 in the example config's New York,
 * two hours after the newest seeded request, so the seeded queue is as fresh on any day the bench
 * runs, business hours have begun, and this week's digest slot has just come.
 */
const CHILD_NOW = new Date(SEED_ANCHOR.getTime() + 2 * 3_600_000);
const PLAN: LoadPlan = quick
  ? { connections: 10, warmup: 100, amount: 300, runs: 3 }
  : { connections: 10, warmup: 200, amount: 1000, runs: 3 };
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
/** `--sizes=10000,50000` for a quicker look; the default is the issue's two sizes. */
/** The fixed-rate (open loop) runs: a busy rate, yet well under what either server can take. */
const RATE: RatePlan = quick
  ? { perSecond: 100, amount: 100, runs: 2 }
  : { perSecond: 100, amount: 200, runs: 2 };
const SIZES: readonly number[] = sizesArg
  ? sizesArg.slice('--sizes='.length).split(',').map(Number)
  : [10_000, 1_000_000];
const E2E = quick ? { requests: 100, perSecond: 20 } : { requests: 300, perSecond: 20 };
/** Load on /slack/events while the background jobs run (alternating /commit help and submit). */
const LOOP_RATE = 50;
const HISTORY_SCALE = quick ? 0.3 : 1;

const progress = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Stand-in calls by method while a case runs (and its outbox drains): what the bot really did. */
let listener: ((call: RecordedCall) => void) | null = null;
progress('building: npm run build (tsc -> dist/)');
const buildMs = buildOnce();
setChildClock(CHILD_NOW);
let counts = new Map<string, number>();
const standIn = await SlackStandIn.start({
  onCall: (call) => {
    const key = call.response.ok === true ? call.method : `${call.method} (${String(call.response.error)})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    listener?.(call);
  },
});
const responseUrl = standIn.responseUrl({ channel: 'C0SALES' });

const work = mkdtempSync(join(tmpdir(), 'commit-gate-bench-'));
const configPath = join(work, 'commit-gate.yml');
const configObject = exampleConfigObject();
writeFileSync(configPath, stringify(configObject));
const config = parseConfig(configObject);
const commonEnv = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: standIn.apiUrl,
};

let sellerTurn = 0;
const seller = () => SELLERS[sellerTurn++ % SELLERS.length] as string;

interface CaseResult extends LoadResult {
  readonly name: string;
  readonly label: string;
  /** The bare Bolt app on the same kind of request, measured in runs alternating with these. */
  readonly bare: LoadResult & { readonly case: BareCase };
  /** Latency at a fixed rate (RATE), bot and bare Bolt in alternating runs. */
  readonly atRate: { readonly perSecond: number; readonly bot: RateFigures; readonly bare: RateFigures };
  readonly slackCalls: Record<string, number>;
  readonly drainMs: number;
}

// ---------------------------------------------------------------------------------------------
// The bare Bolt app: up for the whole run, measured next to every case of the bot.

const seeds = SIZES.map((size) => seededDb(size, progress));
progress('bare Bolt: starting');
const bare = await startChild({
  name: 'bare',
  program: BARE_BOLT,
  env: {
    ...commonEnv,
    BARE_BOT_ID: STAND_IN_WORKSPACE.botId,
    BARE_BOT_USER_ID: STAND_IN_WORKSPACE.botUserId,
  },
  logFile: join(work, 'bare.log'),
});
const bareIdleRss = bare.rss();
const bareSampler = bare.sampleRss();
const clickShape: ClickTarget = {
  signOffId: 1,
  version: 1,
  key: '0'.repeat(32),
  userId: 'U0OPS1',
  channelId: config.channels.requests,
  messageTs: '1700000000.000100',
  threadTs: '1700000000.000001',
};
const BARE_REQUESTS: Record<BareCase, () => SignedRequest> = {
  command: () => commandRequest('help', seller(), responseUrl),
  action: () => approveRequest(clickShape, ACTIONS.approve, responseUrl),
  view: () => submitRequest(seller(), simpleRequest()),
};

async function runCase(
  server: ChildServer,
  name: string,
  label: string,
  bareCase: BareCase,
  next: () => SignedRequest,
): Promise<CaseResult> {
  counts = new Map();
  progress(`${server.name}: ${label}`);
  const { subject, baseline } = await measurePaired(
    { url: `${server.url}/slack/events`, next },
    { url: `${bare.url}/slack/events`, next: BARE_REQUESTS[bareCase] },
    PLAN,
  );
  await outboxIdle(server);
  const atRate = await measurePairedAtRate(
    { url: `${server.url}/slack/events`, next },
    { url: `${bare.url}/slack/events`, next: BARE_REQUESTS[bareCase] },
    RATE,
  );
  const drainMs = await outboxIdle(server);
  return {
    name,
    label,
    ...subject,
    bare: { case: bareCase, ...baseline },
    atRate: { perSecond: RATE.perSecond, bot: atRate.subject, bare: atRate.baseline },
    slackCalls: Object.fromEntries(counts),
    drainMs: round(drainMs, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// commit-gate at each history size

interface SizeResult {
  readonly size: number;
  readonly seedSeconds: number | null;
  readonly dbBytes: number;
  readonly startupMs: number;
  readonly startupRunsMs: readonly number[];
  readonly idleRss: number;
  readonly peakRss: number;
  readonly idleRssAfter: number;
  readonly cases: Record<string, CaseResult>;
  readonly e2e?: Awaited<ReturnType<typeof runEndToEnd>>;
  readonly history: Record<string, ReturnType<typeof summarize> & { readonly opsPerSecond: number }>;
  /** Event-loop delay while the background jobs run (the largest size only). */
  readonly loop?: LoopResult;
  /** The labelled extra (`--with-tsx`): the same database through tsx, start-up and idle RSS. */
  readonly tsx?: {
    readonly program: string;
    readonly startupMs: number;
    readonly runsMs: readonly number[];
    readonly idleRss: number;
  };
}

async function startBot(dbPath: string, name: string, program: Program = SHIPPED_BOT): Promise<ChildServer> {
  return startChild({
    name,
    program,
    env: { ...commonEnv, DATABASE_PATH: dbPath, COMMIT_GATE_CONFIG: configPath },
    logFile: join(work, `${name}.log`),
  });
}

async function measureSize(seed: (typeof seeds)[number]): Promise<SizeResult> {
  // The stand-in runs in this process and keeps every message it received (chat.update searches a
  // channel's list): each size starts it empty, so a later size does not pay for an earlier one's
  // messages in the load generator's own CPU. Nothing is pending: the last size's bot has stopped.
  standIn.reset();
  const dbPath = join(work, `bot-${seed.size}.db`);
  progress(`copying the ${seed.size.toLocaleString('en-US')}-request database`);
  copyFileSync(seed.path, dbPath);
  const label = `bot@${seed.size >= 1e6 ? `${seed.size / 1e6}M` : `${seed.size / 1e3}k`}`;
  // Start-up to healthy: three cold starts, the median reported; the third one stays up.
  const startupRunsMs: number[] = [];
  let bot: ChildServer | undefined;
  for (let i = 0; i < 3; i++) {
    await bot?.stop();
    bot = await startBot(dbPath, label);
    startupRunsMs.push(round(bot.startupMs, 0));
  }
  if (!bot) throw new Error('bot did not start');
  await outboxIdle(bot);
  const idleRss = bot.rss();
  const sampler = bot.sampleRss();

  const db = createDb(dbPath, { migrate: false });
  const sqlite = db.$client;
  const cases: Record<string, CaseResult> = {};
  const caseContext: CaseContext = {
    sqlite,
    config,
    responseUrl,
    seller,
    budget: planTotal(PLAN) + RATE.amount * RATE.runs,
    memo: new Map(),
  };
  for (const c of CASES) cases[c.name] = await runCase(bot, c.name, c.label, c.bare, c.prepare(caseContext));
  const peakRss = sampler.stop();

  let e2e: SizeResult['e2e'];
  if (seed.size === SIZES[0]) {
    progress(`${label}: end to end, ${E2E.requests} requests at ${E2E.perSecond}/s`);
    e2e = await runEndToEnd({
      bot,
      db: sqlite,
      ...E2E,
      responseUrl,
      requestsChannel: config.channels.requests,
      listen: (fn) => {
        listener = fn;
      },
    });
  }

  progress(`${label}: history measurements`);
  const history = withHistory ? await measureHistory(seed.size, db, bot) : {};
  const idleRssAfter = bot.rss();
  let loop: LoopResult | undefined;
  if (withLoop && seed.size === SIZES[SIZES.length - 1]) {
    progress(`${label}: event-loop delay while the background jobs run, ${LOOP_RATE}/s on /slack/events`);
    let n = 0;
    loop = await measureLoopBlocks({
      bot,
      sqlite,
      perSecond: LOOP_RATE,
      only: LOOP_JOBS,
      next: () =>
        n++ % 2 === 0
          ? commandRequest('help', seller(), responseUrl)
          : submitRequest(seller(), simpleRequest()),
      progress,
    });
    await outboxIdle(bot);
  }
  closeDb(db);
  await bot.stop();
  let tsx: SizeResult['tsx'];
  if (withTsx) {
    progress(`${label}: the labelled extra, ${TSX_BOT.label}: three cold starts`);
    const runsMs: number[] = [];
    let idle = 0;
    for (let i = 0; i < 3; i++) {
      const t = await startBot(dbPath, `${label}-tsx`, TSX_BOT);
      await outboxIdle(t);
      runsMs.push(round(t.startupMs, 0));
      idle = t.rss();
      await t.stop();
    }
    tsx = { program: TSX_BOT.label, startupMs: median(runsMs), runsMs, idleRss: idle };
  }
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  return {
    size: seed.size,
    seedSeconds: seed.seconds === null ? null : round(seed.seconds, 1),
    dbBytes: seed.bytes,
    startupMs: median(startupRunsMs),
    startupRunsMs,
    idleRss,
    peakRss,
    idleRssAfter,
    cases,
    ...(e2e ? { e2e } : {}),
    history,
    ...(loop ? { loop } : {}),
    ...(tsx ? { tsx } : {}),
  };
}

async function measureHistory(size: number, db: ReturnType<typeof createDb>, bot: ChildServer) {
  const store = createRequestStore(db);
  const clock = { now: () => SEED_ANCHOR };
  const sqlite = db.$client;
  const maxSeeded = size;
  const recentFrom = Math.max(1, maxSeeded - 2000);
  const pending = sqlite
    .prepare(
      `SELECT id, owners FROM sign_offs WHERE status = 'pending' AND request_id <= ? AND request_id > ? ORDER BY id`,
    )
    .all(maxSeeded, recentFrom) as { id: number; owners: string }[];
  let i = 0;
  const spread = (n: number, mod: number) => ((n * 2654435761) >>> 0) % mod;
  const h: HistoryContext = {
    size,
    db,
    store,
    services: {
      store,
      outbox: createOutbox(db),
      capacity: createCapacityStore(db),
      promises: createPromiseStore(db),
      config,
      clock,
      onNotify: () => undefined,
    },
    config,
    clock,
    ctx: renderContext(config),
    lastWeek: { start: new Date(SEED_ANCHOR.getTime() - 7 * 86_400_000), end: SEED_ANCHOR },
    bot: { url: bot.url, responseUrl },
    pick: {
      seller: () => SELLERS[spread(i++, SELLERS.length)] as string,
      requestId: (age) => (age === 'recent' ? recentFrom + spread(i++, 2000) : 1 + spread(i++, maxSeeded)),
      pendingSignOff: () => {
        const row = pending[spread(i++, pending.length)];
        if (!row) throw new Error('no pending sign-off in the seeded history');
        return { signOffId: row.id, ownerId: (JSON.parse(row.owners) as string[])[0] ?? '' };
      },
    },
  };
  const out: SizeResult['history'] = {};
  for (const m of HISTORY_MEASUREMENTS) {
    const iterations = Math.max(20, Math.round((m.iterations ?? 300) * HISTORY_SCALE));
    for (let w = 0; w < Math.ceil(iterations / 10); w++) await m.run(h);
    const samples: number[] = [];
    const started = performance.now();
    for (let n = 0; n < iterations; n++) {
      const t = performance.now();
      await m.run(h);
      samples.push(performance.now() - t);
    }
    const seconds = (performance.now() - started) / 1000;
    out[m.name] = { ...summarize(samples), opsPerSecond: round(iterations / seconds, 0) };
  }
  return out;
}

const sizes: SizeResult[] = [];
for (const seed of seeds) sizes.push(await measureSize(seed));
const barePeakRss = bareSampler.stop();
await bare.stop();
await standIn.close();

progress('installed production size');
const installed = installedProductionSize();
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Results

const small = sizes[0] as SizeResult;
const large = sizes[sizes.length - 1] as SizeResult;
/** Issue 19's goals, on the shipped program beside bare Bolt in one run. */
const GOALS = {
  p99Ratio: 1.5,
  rpsRatio: 0.4,
  historyGrowth: 2,
  idleRssRatio: 1.3,
  startupMsAtLargest: 1000,
  loopBlockMs: 20,
  clickToThreadMs: 100,
} as const;
const ackPath = Object.entries(small.cases).map(([name, c]) => {
  const base = c.bare;
  const p99Ratio = ratio(c.p99, base.p99);
  const rpsRatio = ratio(c.rps, base.rps);
  return {
    name,
    label: c.label,
    bot: { rps: c.rps, p50: c.p50, p99: c.p99 },
    bare: { case: base.case, rps: base.rps, p50: base.p50, p99: base.p99 },
    p99Ratio,
    rpsRatio,
    atRate: {
      perSecond: c.atRate.perSecond,
      bot: { p50: c.atRate.bot.p50, p99: c.atRate.bot.p99 },
      bare: { p50: c.atRate.bare.p50, p99: c.atRate.bare.p99 },
      p99Ratio: ratio(c.atRate.bot.p99, c.atRate.bare.p99),
    },
    meetsP99: p99Ratio <= GOALS.p99Ratio,
    meetsRps: rpsRatio >= GOALS.rpsRatio,
  };
});
const growth = (a: number, b: number) => ratio(b, a);
const history = [
  ...Object.entries(small.cases).flatMap(([name, c]) => {
    const l = large.cases[name];
    if (!l) return [];
    return [
      { name: `ack ${name}: p99 ms`, small: c.p99, large: l.p99, growth: growth(c.p99, l.p99) },
      {
        name: `ack ${name}: req/s (growth = slowdown)`,
        small: c.rps,
        large: l.rps,
        growth: ratio(c.rps, l.rps),
      },
    ];
  }),
  ...Object.entries(small.history).flatMap(([name, s]) => {
    const l = large.history[name];
    return l ? [{ name: `${name}: p50 ms`, small: s.p50, large: l.p50, growth: growth(s.p50, l.p50) }] : [];
  }),
].map((row) => ({ ...row, meets: row.growth <= GOALS.historyGrowth }));

const results = {
  generatedAt: new Date().toISOString(),
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverageAtEnd: (await import('node:os')).loadavg().map((n) => round(n, 2)),
  },
  program: SHIPPED_BOT.label,
  programs: {
    bot: {
      command: SHIPPED_BOT.label,
      env: SHIPPED_BOT.env,
      build: 'npm run build',
      buildMs: round(buildMs, 0),
    },
    bare: { command: BARE_BOLT.label, env: BARE_BOLT.env },
    preload:
      'both run with `--import ./bench/lib/probe.mjs` (bench only): Date shifted to the seed clock, and GET /loop ' +
      'for monitorEventLoopDelay; the program itself is unchanged',
    childClock: CHILD_NOW.toISOString(),
    ...(withTsx ? { extra: TSX_BOT.label } : {}),
  },
  method: {
    plan: PLAN,
    rate: RATE,
    note:
      'Closed loop over loopback (node:http keep-alive) from the bench process; fixed request counts per run; ' +
      'a warm-up run, then measured runs alternating bare Bolt and commit-gate, medians reported. Each server ' +
      'in its own child process; the Slack stand-in in the bench process answers at once. Latencies in ms.',
    quick,
    cases: CASES.map((c) => c.name),
  },
  goals: GOALS,
  ackPath,
  sizes,
  history,
  footprint: {
    bare: { idleRss: bareIdleRss, peakRss: barePeakRss, startupMs: round(bare.startupMs, 0) },
    bot: sizes.map((s) => ({
      size: s.size,
      idleRss: s.idleRss,
      peakRss: s.peakRss,
      idleRssAfter: s.idleRssAfter,
      idleRssRatio: ratio(s.idleRss, bareIdleRss),
      peakRssRatio: ratio(s.peakRss, barePeakRss),
      meetsIdleRss: ratio(s.idleRss, bareIdleRss) <= GOALS.idleRssRatio,
    })),
    startupToHealthyMs: sizes.map((s) => ({
      size: s.size,
      median: s.startupMs,
      runs: s.startupRunsMs,
      ratioToBare: ratio(s.startupMs, bare.startupMs),
    })),
    ...(withTsx
      ? {
          tsxExtra: sizes.flatMap((s) =>
            s.tsx ? [{ size: s.size, ...s.tsx, idleRssRatio: ratio(s.tsx.idleRss, bareIdleRss) }] : [],
          ),
        }
      : {}),
    installed,
  },
  loop: large.loop
    ? { size: large.size, ...large.loop, meets: large.loop.maxBlockMs <= GOALS.loopBlockMs }
    : null,
};

// Written through a temporary file and renamed, so a reader never sees half a file; formatted by
// Biome so `npm test` (biome check) accepts the committed results as they are.
const target = join(ROOT, 'bench/results.json');
const tmp = `${target}.tmp`;
const formatted = execFileSync(
  join(ROOT, 'node_modules/.bin/biome'),
  ['format', '--stdin-file-path=bench/results.json'],
  { cwd: ROOT, input: JSON.stringify(results), encoding: 'utf8' },
);
writeFileSync(tmp, formatted);
renameSync(tmp, target);
process.stdout.write(renderReport(results));
progress(`wrote ${target}`);
