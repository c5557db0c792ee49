// A bench-only preload (`node --import ./bench/lib/probe.mjs dist/main.js`): the program measured
// is still the shipped one, unchanged; this file only does two things the bench needs from inside
// the process, each turned on by its own environment variable.
//
// BENCH_CLOCK_OFFSET_MS: shifts Date (new Date(), Date.now()) by a fixed offset, so the bot lives
//   at the seeded history's "now" (bench/seed.ts SEED_ANCHOR) whatever day the bench runs. Without
//   it, every day after the seed's anchor the bot's first scheduler tick expired, reminded and
//   escalated more of the seeded queue, and the figures drifted with the calendar. The load
//   generator signs its requests with the same offset (Bolt checks the timestamp against Date.now).
//   Timers and performance.now() are not shifted.
//
// BENCH_PROBE_PORT: serves the event loop's delay (perf_hooks.monitorEventLoopDelay) on
//   127.0.0.1: GET /loop answers {"maxMs","p99Ms","meanMs","count"} since the last reset, and
//   GET /loop?reset=1 answers the same and starts a new window. The server is unref'd.
//
// Plain JavaScript so it runs on `node` before anything else is loaded (no tsx).
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const offset = Number(process.env.BENCH_CLOCK_OFFSET_MS ?? '0');
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  // A function, not a class, so that `Date()` called without `new` keeps working; instances are
  // the real Date's (same prototype), so `instanceof Date` holds for every date in the process.
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + offset).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [RealDate.now() + offset] : args, new.target);
  }
  ShiftedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(ShiftedDate, RealDate);
  ShiftedDate.now = () => RealDate.now() + offset;
  globalThis.Date = ShiftedDate;
}

const port = Number(process.env.BENCH_PROBE_PORT ?? '0');
// The outbox worker thread inherits this preload (node's flags): it gets the shifted Date above,
// and the probe stays on the main thread, whose loop serves /slack/events.
if (port > 0 && isMainThread) {
  // 10 ms is prom-client's default resolution; a block of B ms is recorded as a delay of about B.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://probe');
    if (req.method !== 'GET' || url.pathname !== '/loop') {
      res.writeHead(404);
      res.end();
      return;
    }
    const body = JSON.stringify({
      maxMs: ms(delay.max),
      p99Ms: ms(delay.percentile(99)),
      meanMs: ms(delay.mean),
      count: delay.count,
    });
    if (url.searchParams.get('reset') === '1') delay.reset();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
