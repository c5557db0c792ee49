// Where the digest's time goes, piece by piece (CPU and wall ms, median of 15 after 3 warm-ups;
// for the chart also the longest the event loop was held), at a chosen size:
// `npx tsx bench/digest-breakdown.ts 1000000 [name filter]`, or on a prepared copy:
// `npx tsx bench/digest-breakdown.ts --db=PATH`. Run bench/digest-case.ts once first (it makes
// the *.promises copy of the seed).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config.js';
import { closeDb, createDb } from '../src/db/create-db.js';
import { createDigestReader } from '../src/db/digest-repo.js';
import { addDays, localDate, weekStart } from '../src/domain/calendar.js';
import { computeDigest, weekBounds } from '../src/domain/digest.js';
import { baseInput, buildScoreboard, buildTrend, buildWeeklyDigest } from '../src/services/weekly-digest.js';
import { renderTrendChart } from '../src/slack/digest-chart.js';
import { buildDigestMessages } from '../src/slack/views/digest.js';
import { exampleConfigObject } from '../test/support/config.js';
import { median } from './lib/stats.js';
import { SEED_ANCHOR, seededDb } from './seed.js';

const given = process.argv.find((a) => a.startsWith('--db='))?.slice('--db='.length);
const size = Number(given ? 0 : (process.argv[2] ?? 1_000_000));
const config = parseConfig(exampleConfigObject());
const clock = { now: () => SEED_ANCHOR };
const lastWeek = localDate(new Date(SEED_ANCHOR.getTime() - 7 * 86_400_000), config.timezone);
const db = createDb(given ?? `${seededDb(size, (l) => process.stderr.write(`${l}\n`)).path}.promises`);
const reader = createDigestReader(db);
const deps = { reader, config, clock };
const monday = weekStart(lastWeek);
const cur = weekBounds(monday, config.timezone);
const prev = weekBounds(addDays(monday, -7), config.timezone);
const nine = weekBounds(addDays(monday, -56), config.timezone);

const pieces: Record<string, () => unknown | Promise<unknown>> = {
  'reader.weekRows (1 week)': () => reader.weekRows(cur.start, cur.end),
  'reader.previousWeek': () => reader.previousWeek(prev.start, prev.end),
  'reader.pendingNow': () => reader.pendingNow(),
  'reader.scoreRequests (9 weeks)': () => reader.scoreRequests(nine.start, cur.end),
  'reader.scoreEvents (9 weeks, rows)': () => reader.scoreEvents(nine.start, cur.end),
  'reader.scoreEventFacts (9 weeks)': () =>
    reader.scoreEventFacts(
      Array.from({ length: 9 }, (_, i) => weekBounds(addDays(monday, -56 + 7 * i), config.timezone)),
    ),
  'reader.promises': () =>
    reader.promises({
      from: addDays(monday, -56),
      to: addDays(monday, 6),
      atRiskTo: addDays(monday, 20),
      overdueBefore: addDays(monday, 7),
    }),
  'reader.promiseFacts (9 weeks)': () =>
    reader.promiseFacts(
      {
        from: addDays(monday, -56),
        to: addDays(monday, 6),
        atRiskTo: addDays(monday, 20),
        overdueBefore: addDays(monday, 7),
      },
      Array.from({ length: 9 }, (_, i) => addDays(monday, -56 + 7 * i)),
      localDate(SEED_ANCHOR, config.timezone),
    ),
  'computeDigest (flow)': () =>
    computeDigest({
      ...baseInput(config),
      weekStart: monday,
      current: reader.weekRows(cur.start, cur.end),
      previous: reader.previousWeek(prev.start, prev.end),
      pendingNow: reader.pendingNow(),
      asOf: clock.now(),
    }),
  'buildScoreboard (reads + figures)': () => buildScoreboard(deps, lastWeek),
  buildWeeklyDigest: () => buildWeeklyDigest(deps, lastWeek),
};
const digest = buildWeeklyDigest(deps, lastWeek);
pieces.buildDigestMessages = () =>
  buildDigestMessages(digest, { currency: config.currency, timeZone: config.timezone });
pieces['buildTrend (given scoreboard)'] = () => buildTrend(deps, lastWeek, 8, digest.scoreboard);
const functions = Object.values(config.functions).map((f) => ({ id: f.id, label: f.label }));
pieces['trend + chart (renderTrendChart)'] = async () =>
  renderTrendChart({ weeks: buildTrend(deps, lastWeek, 8, digest.scoreboard), functions });
const trend = buildTrend(deps, lastWeek, 8, digest.scoreboard);
pieces['chart alone (renderTrendChart)'] = async () => renderTrendChart({ weeks: trend, functions });
const only = given ? process.argv.find((a, i) => i >= 2 && !a.startsWith('--db=')) : process.argv[3];
for (const [name, fn] of Object.entries(pieces)) {
  if (only && !name.includes(only)) continue;
  const cpu: number[] = [];
  const wall: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  for (let i = 0; i < 18; i++) {
    if (i === 3) loop.enable();
    const c = process.cpuUsage();
    const t = performance.now();
    try {
      await fn();
    } catch (e) {
      console.log(name, 'failed', (e as Error).message);
      break;
    }
    const u = process.cpuUsage(c);
    if (i >= 3) {
      cpu.push((u.user + u.system) / 1000);
      wall.push(performance.now() - t);
    }
  }
  loop.disable();
  // Only an awaited piece lets the loop run in between: for the others the delay is the piece.
  const held = name.includes('chart') ? `  longest loop block ${(loop.max / 1e6).toFixed(1)} ms` : '';
  console.log(
    `${name.padEnd(36)} CPU p50 ${median(cpu)?.toFixed(1)} ms  wall p50 ${median(wall)?.toFixed(1)} ms${held}`,
  );
}
closeDb(db);
