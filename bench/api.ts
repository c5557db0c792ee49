// `npm run bench:api`: the HTTP API beside /slack/events on one bot process.
//   1. POST /api/v1/promises/CG-N/deliveries alone: closed-loop throughput and p99.
//   2. /slack/events (`/commit help`) at a fixed rate, with no API traffic, and again while the
//      API takes deliveries at a fixed rate: the goal is /slack/events p99 within 10%.
// Runs alternate (without, with, without, with …) so drift of a shared machine hits both; each
// figure is the median of the runs. Writes bench/api-results.json.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SlackStandIn } from '../dev/slack-stand-in.js';
import { parseConfig } from '../src/config.js';
import { createCapacityStore } from '../src/db/capacity-repo.js';
import { closeDb, createDb } from '../src/db/create-db.js';
import { createOutbox } from '../src/db/outbox-repo.js';
import { createPromiseStore } from '../src/db/promise-repo.js';
import { createRequestStore } from '../src/db/request-repo.js';
import { submitRequest } from '../src/services/submit-request.js';
import { exampleConfigObject } from '../test/support/config.js';
import { measureLoad, type RateFigures, rateRun } from './lib/load.js';
import { outboxIdle, ROOT, startChild, TSX_BOT } from './lib/processes.js';
import { BOT_TOKEN, commandRequest, SIGNING_SECRET, type SignedRequest } from './lib/slack.js';
import { median, ratio, round } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const PROMISES = 200;
const CLOSED = quick
  ? { connections: 10, warmup: 100, amount: 500, runs: 3 }
  : { connections: 10, warmup: 200, amount: 2000, runs: 3 };
/** Slack's side: a busy workspace's rate. The API's: a warehouse system posting shipments steadily. */
const SLACK_RATE = { perSecond: 100, amount: quick ? 300 : 600 };
const rateArg = process.argv.find((a) => a.startsWith('--api-rate='));
/** `--api-rate=10`: the steady API load beside Slack's (default 50 deliveries a second). */
const API_RATE = { perSecond: rateArg ? Number(rateArg.slice('--api-rate='.length)) : 50 };
const RUNS = quick ? 3 : 5;
const TOKEN = 'bench-api-token-0123456789abcdef';
const profileDir = process.argv.find((a) => a.startsWith('--cpu-prof-dir='))?.slice('--cpu-prof-dir='.length);

const progress = (line: string) =>
  process.stderr.write(`[bench:api ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const standIn = await SlackStandIn.start();
const work = mkdtempSync(join(tmpdir(), 'commit-gate-bench-api-'));
// No rules: every request is cleared at once, so each becomes a promise that deliveries can go to.
const configObject = { ...exampleConfigObject(), rules: [] };
const configPath = join(work, 'commit-gate.yml');
writeFileSync(configPath, stringify(configObject));
const config = parseConfig(configObject);
const dbPath = join(work, 'bot.db');

progress(`seeding ${PROMISES} cleared requests`);
{
  const db = createDb(dbPath);
  const deps = {
    store: createRequestStore(db, { timeZone: config.timezone }),
    outbox: createOutbox(db),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config,
    clock: { now: () => new Date() },
    onNotify: () => {},
  };
  const delivery = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < PROMISES; i++) {
    const result = submitRequest(deps, {
      sellerId: `U0SELLER${i % 10}`,
      sourceChannelId: null,
      raw: {
        customer: `Customer ${i}`,
        productLineId: 'gadgets',
        quantity: '1000000',
        value: '1000',
        deliveryDate: delivery,
      },
    });
    if (!result.ok || result.request.status !== 'approved') throw new Error('seed: request not cleared');
  }
  closeDb(db);
}

const bot = await startChild({
  name: 'bot',
  // The bot under tsx: the bench compares API load with none on the same program, no build needed.
  program: TSX_BOT,
  env: {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: standIn.apiUrl,
    DATABASE_PATH: dbPath,
    COMMIT_GATE_CONFIG: configPath,
    COMMIT_GATE_API_TOKEN: TOKEN,
    LOG_LEVEL: 'warn',
  },
  logFile: join(work, 'bot.log'),
  // `--cpu-prof-dir=DIR`: profile the bot (open the .cpuprofile in DevTools, or bench/profile.ts).
  ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
});
progress('bot up; waiting for the seed’s outbox to drain');
await outboxIdle(bot);

const responseUrl = standIn.responseUrl({ channel: 'C0SALES' });
let turn = 0;
const delivery = (): SignedRequest => {
  turn++;
  return {
    method: 'POST',
    path: `/api/v1/promises/CG-${(turn % PROMISES) + 1}/deliveries`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ quantity: 1 }),
  };
};
const help = () => commandRequest('help', 'U0SELLER1', responseUrl);

progress('API alone: closed loop');
const apiAlone = await measureLoad(bot.url, CLOSED, delivery);
await outboxIdle(bot);

const without: RateFigures[] = [];
const withApi: RateFigures[] = [];
let apiDuring: RateFigures[] = [];
const seconds = SLACK_RATE.amount / SLACK_RATE.perSecond;
for (let i = 0; i < RUNS; i++) {
  progress(`/slack/events at ${SLACK_RATE.perSecond}/s: run ${i + 1} of ${RUNS} without, then with API load`);
  without.push(await rateRun(bot.url, SLACK_RATE.perSecond, SLACK_RATE.amount, help));
  await outboxIdle(bot);
  const api = rateRun(bot.url, API_RATE.perSecond, Math.round(API_RATE.perSecond * seconds), delivery);
  withApi.push(await rateRun(bot.url, SLACK_RATE.perSecond, SLACK_RATE.amount, help));
  apiDuring = [...apiDuring, await api];
  await outboxIdle(bot);
}
await bot.stop();
await standIn.close();

const med = (runs: RateFigures[]) => ({
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
  errors: runs.reduce((n, r) => n + r.errors, 0),
});
const slackWithout = med(without);
const slackWith = med(withApi);
const results = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  api: {
    route: 'POST /api/v1/promises/CG-N/deliveries',
    closedLoop: { connections: CLOSED.connections, requests: CLOSED.amount, runs: CLOSED.runs },
    rps: apiAlone.rps,
    p50: apiAlone.p50,
    p99: apiAlone.p99,
    non2xx: apiAlone.non2xx,
    errors: apiAlone.errors,
    atRateDuringSlack: { perSecond: API_RATE.perSecond, ...med(apiDuring) },
  },
  slackEvents: {
    request: '/commit help',
    perSecond: SLACK_RATE.perSecond,
    runs: RUNS,
    withoutApi: slackWithout,
    withApi: slackWith,
    p99Ratio: ratio(slackWith.p99, slackWithout.p99),
    goal: 'p99 with API load within 10% of without (ratio ≤ 1.10)',
    met: ratio(slackWith.p99, slackWithout.p99) <= 1.1,
  },
};
const target = join(ROOT, 'bench/api-results.json');
writeFileSync(`${target}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
renameSync(`${target}.tmp`, target);
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `API deliveries: ${round(apiAlone.rps, 0)} req/s, p99 ${apiAlone.p99} ms (closed loop, ${CLOSED.connections} connections)\n` +
    `/slack/events p99 at ${SLACK_RATE.perSecond}/s: ${slackWithout.p99} ms without API load, ${slackWith.p99} ms with ${API_RATE.perSecond}/s of deliveries (×${results.slackEvents.p99Ratio})\n`,
);
