// Only the digest case of the history bench (bench/history.ts), at chosen sizes, without starting
// the bot: `npx tsx bench/digest-case.ts 10000 1000000`. Seeds (or reuses bench/.cache/), adds a
// promise for every approved request of the last 26 weeks (the seed predates promises: promised
// on the delivery date, most delivered on time, some late, part or unpaid) on a copy, then times
// buildWeeklyDigest + buildDigestMessages as the history case does. `--db=PATH` times a prepared
// copy instead (see below).
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config.js';
import { closeDb, createDb } from '../src/db/create-db.js';
import { createDigestReader } from '../src/db/digest-repo.js';
import { localDate, weekStart } from '../src/domain/calendar.js';
import { buildTrend, buildWeeklyDigest } from '../src/services/weekly-digest.js';
import { buildDigestMessages } from '../src/slack/views/digest.js';
import { exampleConfigObject } from '../test/support/config.js';
import { median } from './lib/stats.js';
import { SEED_ANCHOR, seededDb } from './seed.js';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
// `--db=PATH`: time a database already prepared (a copy of a seed with its promises) instead of
// seeding; bench/.cache keeps one seed per size, so another branch's schema's seed is measured
// from a copy rather than re-seeded over.
const given = process.argv.find((a) => a.startsWith('--db='))?.slice('--db='.length);
const config = parseConfig(exampleConfigObject());
const clock = { now: () => SEED_ANCHOR };
const lastWeek = localDate(new Date(SEED_ANCHOR.getTime() - 7 * 86_400_000), config.timezone);
const lastMonday = weekStart(lastWeek);

for (const size of given ? [0] : sizes.length ? sizes : [10_000, 1_000_000]) {
  const path = given ?? `${seededDb(size, (l) => process.stderr.write(`${l}\n`)).path}.promises`;
  if (!given && !existsSync(path)) {
    const seeded = { path: path.slice(0, -'.promises'.length) };
    copyFileSync(seeded.path, `${path}.tmp`);
    const db = createDb(`${path}.tmp`);
    const since = SEED_ANCHOR.getTime() - 26 * 7 * 86_400_000;
    db.$client.exec(`
      INSERT INTO promises (request_id, seller_id, customer, product_line_id, quantity, value_minor,
        payment_terms_days, promised_on, due_on, cleared_at, cleared_on, cleared_via, state,
        delivered_quantity, delivered_on, paid_minor, payment_due_on, updated_at)
      SELECT id, seller_id, customer, product_line_id, quantity, value_minor, payment_terms_days,
        delivery_date, delivery_date, created_at, date(created_at / 1000, 'unixepoch'), 'signoffs',
        CASE id % 10 WHEN 0 THEN 'open' WHEN 1 THEN 'partly_delivered' ELSE 'delivered' END,
        CASE id % 10 WHEN 0 THEN 0 WHEN 1 THEN quantity / 2 ELSE quantity END,
        CASE WHEN id % 10 >= 2 THEN date(delivery_date, '+' || (id % 3) || ' days') END,
        CASE WHEN id % 10 >= 4 THEN value_minor ELSE 0 END,
        CASE WHEN id % 10 >= 2 THEN date(delivery_date, '+' || ((id % 3) + payment_terms_days) || ' days') END,
        created_at
      FROM requests WHERE status = 'approved' AND created_at >= ${since};
      INSERT INTO promise_deliveries (request_id, delivered_on, quantity, recorded_by, at)
        SELECT request_id, coalesce(delivered_on, promised_on), delivered_quantity, 'U0OPS1', updated_at
        FROM promises WHERE delivered_quantity > 0;
      INSERT INTO promise_payments (request_id, paid_on, amount_minor, recorded_by, at)
        SELECT request_id, payment_due_on, paid_minor, 'U0FIN1', updated_at FROM promises WHERE paid_minor > 0;
      INSERT INTO promise_quality_issues (request_id, reported_on, kind, note, recorded_by, at)
        SELECT request_id, delivered_on, 'rework', 'bench', 'U0QA1', updated_at FROM promises WHERE request_id % 17 = 0 AND delivered_on IS NOT NULL;
      ANALYZE;
    `);
    closeDb(db);
    copyFileSync(`${path}.tmp`, path);
    rmSync(`${path}.tmp`, { force: true });
  }
  const db = createDb(path);
  const promises = db.$client.prepare('SELECT count(*) AS n FROM promises').get() as { n: number };
  const requests = given
    ? (db.$client.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n
    : size;
  // CPU time as well as wall time: on a shared machine the wall clock mostly measures the others.
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  // The week cache (db/digest-week-cache.ts) in its three states, as the bot meets them: nothing
  // kept (the first digest after an install or upgrade), the Monday after with nothing counted
  // ahead (the week just ended counted, the eight before kept: what a late write into that week
  // costs), and every ended week kept (the scheduled digest, the outbox worker having counted the
  // week when it ended; the same week again).
  const forget: Record<string, () => void> = {
    'nothing kept': () => db.$client.prepare('DELETE FROM digest_weeks').run(),
    'the Monday after': () =>
      db.$client.prepare('DELETE FROM digest_weeks WHERE first_day = ?').run(lastMonday),
    'every ended week kept': () => {},
  };
  for (const [state, before] of Object.entries(forget)) {
    const times: number[] = [];
    const cpu: number[] = [];
    const trendCpu: number[] = [];
    const run = () => {
      before();
      const t = performance.now();
      const c = process.cpuUsage();
      const deps = {
        reader: createDigestReader(db, { weekCache: { clock, timeZone: config.timezone } }),
        config,
        clock,
      };
      const digest = buildWeeklyDigest(deps, lastWeek);
      buildDigestMessages(digest, { currency: config.currency, timeZone: config.timezone });
      times.push(performance.now() - t);
      cpu.push(cpuMs(c));
      // The chart's trend as the poster builds it, from the digest's scoreboard.
      const ct = process.cpuUsage();
      buildTrend(deps, lastWeek, 8, digest.scoreboard);
      trendCpu.push(cpuMs(ct));
    };
    for (let i = 0; i < 3; i++) run();
    times.length = 0;
    cpu.length = 0;
    trendCpu.length = 0;
    for (let i = 0; i < 30; i++) run();
    process.stdout.write(
      `${requests} requests (${promises.n} promises), ${state}: digest p50 ${median(times)?.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; CPU p50 ${median(cpu)?.toFixed(1)} ms; trend CPU p50 ${median(trendCpu)?.toFixed(1)} ms\n`,
    );
  }
  closeDb(db);
}
