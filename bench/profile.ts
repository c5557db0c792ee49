// Profiles the shipped bot under one kind of load: builds, starts `node --cpu-prof dist/main.js`
// (as a child) on a copy of a seeded database, sends the load, stops it, and prints where its CPU
// went while the load ran (samples outside the load window, start-up and set-up, are left out):
// time by part of the program (ack path, delivery, HTTP, SQLite, GC, idle), self time by function,
// and time under each of the project's own functions. The .cpuprofile stays for DevTools.
//
//   npx tsx bench/profile.ts submit|approve|modal|help|refused|start [size] [--rate=100] [--amount=N]
//
// `--rate=N` sends an open loop at N requests a second (the issue's 100/s: the ack's own cost,
// not a queue); without it, a closed loop of 10 connections (saturation). `approve` first submits
// the requests whose sign-offs it clicks (before the window).

import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { SlackStandIn } from '../dev/slack-stand-in.js';
import { ACTIONS } from '../src/slack/ids.js';
import { exampleConfigObject } from '../test/support/config.js';
import { loadRun, measureLoad, rateRun } from './lib/load.js';
import { buildOnce, outboxIdle, SHIPPED_BOT, setChildClock, startChild } from './lib/processes.js';
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
import { SEED_ANCHOR, seededDb } from './seed.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const kind = positional[0] ?? 'submit';
const size = Number(positional[1] ?? 10_000);
const rate = flag('rate') ? Number(flag('rate')) : null;
const amount = Number(flag('amount') ?? (rate ? rate * 20 : 1500));
buildOnce();
// The same clock as bench/run.ts: the seed's Monday 09:00 (see CHILD_NOW there).
setChildClock(new Date(SEED_ANCHOR.getTime() + 2 * 3_600_000));
const standIn = await SlackStandIn.start();
const responseUrl = standIn.responseUrl({ channel: 'C0SALES' });
const work = mkdtempSync(join(tmpdir(), 'commit-gate-profile-'));
writeFileSync(join(work, 'commit-gate.yml'), stringify(exampleConfigObject()));
copyFileSync(seededDb(size).path, join(work, 'bot.db'));
const spawnedAt = Number(process.hrtime.bigint() / 1000n);
const bot = await startChild({
  name: 'bot',
  program: SHIPPED_BOT,
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${work}`],
  env: {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: standIn.apiUrl,
    DATABASE_PATH: join(work, 'bot.db'),
    COMMIT_GATE_CONFIG: join(work, 'commit-gate.yml'),
  },
  logFile: join(work, 'bot.log'),
});
const refused = {
  signOffId: 1,
  version: 1,
  key: '0'.repeat(32),
  userId: 'U0OPS1',
  channelId: 'C0REQUESTS',
  messageTs: '1700000000.000100',
  threadTs: '1700000000.000001',
};
let pool: ClickTarget[] = [];
let turn = 0;
const next: Record<string, () => SignedRequest> = {
  submit: () => submitRequest('U0SELLER', simpleRequest()),
  approve: () => approveRequest(pool[turn++] as ClickTarget, ACTIONS.approve, responseUrl),
  modal: () => commandRequest('Acme 120 widgets by 2027-03-15', 'U0SELLER', responseUrl),
  help: () => commandRequest('help', 'U0SELLER', responseUrl),
  refused: () => approveRequest(refused, ACTIONS.approve, responseUrl),
};
// `start`: no load; the window is spawn to the first healthy /healthz (start-up's own cost).
next.start = next.help as () => SignedRequest;
const make = next[kind];
if (!make) throw new Error(`unknown load ${kind}; one of ${Object.keys(next).join(', ')}`);
const events = `${bot.url}/slack/events`;
if (kind === 'approve') {
  // The sign-offs to click: one pending Operations sign-off per submitted request.
  const sqlite = new Database(join(work, 'bot.db'), { readonly: true });
  const firstNew = (sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM requests').get() as { id: number })
    .id;
  await loadRun(events, 10, amount + 200, () => submitRequest('U0SELLER', simpleRequest()));
  await outboxIdle(bot);
  pool = (
    sqlite
      .prepare(
        `SELECT s.id, s.message_ts, r.message_ts AS parent_ts, r.button_key FROM sign_offs s JOIN requests r ON r.id = s.request_id
         WHERE r.id > ? AND s.status = 'pending' AND s.function_id = 'operations' AND s.message_ts IS NOT NULL
         ORDER BY s.id`,
      )
      .all(firstNew) as { id: number; message_ts: string; parent_ts: string; button_key: string }[]
  ).map((row) => ({
    signOffId: row.id,
    version: 1,
    key: row.button_key,
    userId: 'U0OPS1',
    channelId: 'C0REQUESTS',
    messageTs: row.message_ts,
    threadTs: row.parent_ts,
  }));
  sqlite.close();
}
const healthyAt = Number(process.hrtime.bigint() / 1000n);
let windowStart = spawnedAt;
let windowEnd = healthyAt;
let summary = `start-up to healthy ${Math.round(bot.startupMs)} ms, no load`;
if (kind !== 'start') {
  // Warm-up, outside the window (JIT, prepared statements, keep-alive connections).
  await loadRun(events, 10, 100, make);
  await outboxIdle(bot);
  // The window: V8's profile timestamps are CLOCK_MONOTONIC microseconds, as is hrtime here.
  windowStart = Number(process.hrtime.bigint() / 1000n);
  summary = rate
    ? await rateRun(events, rate, amount, make).then(
        (r) => `${rate}/s open loop, p50 ${r.p50} ms, p99 ${r.p99} ms`,
      )
    : await measureLoad(events, { connections: 10, warmup: 0, amount, runs: 1 }, make).then(
        (r) => `closed loop, ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
      );
  // Delivery of what the load caused belongs to its cost: the window ends when the outbox is empty.
  await outboxIdle(bot);
  windowEnd = Number(process.hrtime.bigint() / 1000n);
}
await bot.stop();
await standIn.close();
process.stdout.write(`${kind} at ${size.toLocaleString('en-US')}: ${amount} requests, ${summary}\n`);

// One profile per thread: the main thread's (thread id 0: Bolt, the listeners, the acks) and,
// since the outbox runs in its worker thread, the worker's (thread id 1: delivery).
const profiles = readdirSync(work).filter((f) => f.endsWith('.cpuprofile'));
const file = profiles.find((f) => f.includes('.0.'));
if (!file) throw new Error(`no profile written in ${work}`);
const workerFile = profiles.find((f) => f !== file);
analyse(file, 'main thread (acks)', 25);
if (workerFile) analyse(workerFile, 'outbox worker thread (delivery)', 12);
process.stdout.write(
  `\nprofile: ${join(work, file)}${workerFile ? `, ${join(work, workerFile)}` : ''} (open in Chrome DevTools)\n`,
);

function analyse(file: string, label: string, count: number): void {
  const profile = JSON.parse(readFileSync(join(work, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const under = new Map<string, number>();
  const parts = new Map<string, number>();
  let total = 0;
  // Each sample's time: startTime plus the deltas so far. Outside the window: not counted.
  const at: number[] = [];
  profile.timeDeltas.reduce((t, dt, i) => {
    at[i] = t + dt;
    return t + dt;
  }, profile.startTime);
  const inWindow = (i: number) => (at[i] ?? 0) >= windowStart && (at[i] ?? 0) <= windowEnd;
  const windowed = profile.samples.some((_, i) => inWindow(i));
  if (!windowed) process.stdout.write('(no sample inside the load window: the whole profile is counted)\n');
  /** Which part of the program a stack belongs to, by the files on it (innermost rule that matches). */
  const partOf = (stack: readonly ProfileNode[]): string => {
    const leaf = stack[0]?.callFrame.functionName ?? '';
    if (leaf === '(idle)') return 'idle';
    if (leaf === '(garbage collector)') return 'garbage collector';
    if (leaf === '(program)') return '(program: native, not attributed)';
    const urls = stack.map((n) => n.callFrame.url);
    const has = (part: string) => urls.some((u) => u.includes(part));
    if (has('/jobs/outbox')) return 'delivery: the outbox dispatcher (render, Web API calls, Home, marks)';
    if (has('/slack/listeners/')) return 'ack path: listeners (parse, service, SQLite, ack)';
    if (has('/jobs/scheduler')) return 'scheduler';
    if (has('@slack/web-api') || has('axios')) return 'Web API client (outside the dispatcher)';
    if (has('@slack/bolt')) return 'Bolt: receiver, signature, middleware';
    if (has('node:_http') || has('node:net') || has('node:internal/http')) return 'node HTTP';
    return 'other';
  };
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*?\/(src|dist)\//, '$1/')}`;
  profile.samples.forEach((id, i) => {
    if (windowed && !inWindow(i)) return;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const node = byId.get(id);
    if (!node) return;
    const stack: ProfileNode[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n) stack.push(n);
    }
    const part = partOf(stack);
    parts.set(part, (parts.get(part) ?? 0) + dt);
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      const url = n?.callFrame.url ?? '';
      if (!n || url.includes('node_modules') || !/\/(src|dist)\//.test(url)) continue;
      const key = name(n);
      if (!seen.has(key)) under.set(key, (under.get(key) ?? 0) + dt);
      seen.add(key);
    }
  });
  const top = (m: Map<string, number>, count: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  process.stdout.write(
    `\n== ${label}\nwindow: ${(total / 1e6).toFixed(2)} s of samples\n\nby part of the program\n${top(parts, 12)}\n` +
      `\nself time\n${top(self, count)}\n\ntime under the project's functions\n${top(under, count)}\n`,
  );
}
