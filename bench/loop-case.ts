// Only the event-loop phase of `npm run bench` (bench/loop.ts), on the shipped program, without the
// ack cases: `npx tsx bench/loop-case.ts [size] [--loop-jobs=digest,reminders,prune,rerender]`. Builds,
// starts `node dist/main.js` on a copy of the seeded database (default 1,000,000 requests, as the
// full bench's largest size), reads its idle RSS once the outbox is idle, then runs
// measureLoopBlocks as bench/run.ts does (50/s on /slack/events, /commit help and submit
// alternating) and prints the result as JSON. `--cpu-prof=DIR` profiles the bot (bench/long-tasks.mjs reads it).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SlackStandIn } from '../dev/slack-stand-in.js';
import { closeDb, createDb } from '../src/db/create-db.js';
import { exampleConfigObject } from '../test/support/config.js';
import { buildOnce, outboxIdle, SHIPPED_BOT, setChildClock, startChild } from './lib/processes.js';
import { BOT_TOKEN, commandRequest, SIGNING_SECRET, simpleRequest, submitRequest } from './lib/slack.js';
import { measureLoopBlocks } from './loop.js';
import { SEED_ANCHOR, SELLERS, seededDb } from './seed.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const size = Number(positional[0] ?? 1_000_000);
const jobsArg = process.argv.find((a) => a.startsWith('--loop-jobs='));
/** `--cpu-prof=DIR`: the bot runs under `node --cpu-prof` (one .cpuprofile per thread, at exit). */
const profileDir = process.argv.find((a) => a.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length);
const only = jobsArg ? jobsArg.slice('--loop-jobs='.length).split(',') : null;
const progress = (line: string) =>
  process.stderr.write(`[loop ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

buildOnce();
// The same clock as bench/run.ts (CHILD_NOW): the seed's Monday 09:00, the digest slot just come.
setChildClock(new Date(SEED_ANCHOR.getTime() + 2 * 3_600_000));
const seed = seededDb(size, progress);
const standIn = await SlackStandIn.start();
const responseUrl = standIn.responseUrl({ channel: 'C0SALES' });
const work = mkdtempSync(join(tmpdir(), 'commit-gate-loop-'));
writeFileSync(join(work, 'commit-gate.yml'), stringify(exampleConfigObject()));
const dbPath = join(work, 'bot.db');
progress(`copying the ${size.toLocaleString('en-US')}-request database`);
copyFileSync(seed.path, dbPath);
const bot = await startChild({
  name: 'bot',
  program: SHIPPED_BOT,
  env: {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: standIn.apiUrl,
    DATABASE_PATH: dbPath,
    COMMIT_GATE_CONFIG: join(work, 'commit-gate.yml'),
  },
  logFile: join(work, 'bot.log'),
  ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
});
await outboxIdle(bot);
// Settled: a few seconds after start-up, as bench/run.ts reads it after its three cold starts.
await new Promise((resolve) => setTimeout(resolve, 3000));
const idleRssMb = Math.round(bot.rss() / 1e5) / 10;
const db = createDb(dbPath, { migrate: false });
let sellerTurn = 0;
const seller = () => SELLERS[sellerTurn++ % SELLERS.length] as string;
let n = 0;
const loop = await measureLoopBlocks({
  bot,
  sqlite: db.$client,
  perSecond: 50,
  only,
  next: () =>
    n++ % 2 === 0 ? commandRequest('help', seller(), responseUrl) : submitRequest(seller(), simpleRequest()),
  progress,
});
await outboxIdle(bot);
closeDb(db);
await bot.stop();
await standIn.close();
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ size, startupMs: Math.round(bot.startupMs), idleRssMb, ...loop }, null, 2)}\n`,
);
