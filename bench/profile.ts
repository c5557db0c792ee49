// Profiles the bot under one kind of load: starts it (as a child, with --cpu-prof) on a copy of a
// seeded database, sends the load, stops it, and prints where its CPU went (self time by function,
// and time spent under each of the project's own functions). The .cpuprofile stays for DevTools.
//
//   npx tsx bench/profile.ts submit|modal|help|refused [size]
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SlackStandIn } from '../dev/slack-stand-in.js';
import { ACTIONS } from '../src/slack/ids.js';
import { exampleConfigObject } from '../test/support/config.js';
import { measureLoad } from './lib/load.js';
import { outboxIdle, startChild } from './lib/processes.js';
import {
  approveRequest,
  BOT_TOKEN,
  commandRequest,
  SIGNING_SECRET,
  type SignedRequest,
  simpleRequest,
  submitRequest,
} from './lib/slack.js';
import { seededDb } from './seed.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const kind = process.argv[2] ?? 'submit';
const size = Number(process.argv[3] ?? 10_000);
const standIn = await SlackStandIn.start();
const responseUrl = standIn.responseUrl({ channel: 'C0SALES' });
const work = mkdtempSync(join(tmpdir(), 'commit-gate-profile-'));
writeFileSync(join(work, 'commit-gate.yml'), stringify(exampleConfigObject()));
copyFileSync(seededDb(size).path, join(work, 'bot.db'));
const bot = await startChild({
  name: 'bot',
  script: 'src/main.ts',
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
  userId: 'U0OPS1',
  channelId: 'C0REQUESTS',
  messageTs: '1700000000.000100',
  threadTs: '1700000000.000001',
};
const next: Record<string, () => SignedRequest> = {
  submit: () => submitRequest('U0SELLER', simpleRequest()),
  modal: () => commandRequest('Acme 120 widgets by 2027-03-15', 'U0SELLER', responseUrl),
  help: () => commandRequest('help', 'U0SELLER', responseUrl),
  refused: () => approveRequest(refused, ACTIONS.approve, responseUrl),
};
const make = next[kind];
if (!make) throw new Error(`unknown load ${kind}; one of ${Object.keys(next).join(', ')}`);
const result = await measureLoad(
  `${bot.url}/slack/events`,
  { connections: 10, warmup: 200, amount: 1500, runs: 1 },
  make,
);
await outboxIdle(bot);
await bot.stop();
await standIn.close();
process.stdout.write(`${kind}: ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms\n`);

const file = readdirSync(work).find((f) => f.endsWith('.cpuprofile') && f.includes('.0.'));
if (!file) throw new Error(`no profile written in ${work}`);
const profile = JSON.parse(readFileSync(join(work, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<string, number>();
const under = new Map<string, number>();
let total = 0;
const name = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*?\/src\//, 'src/')}`;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const node = byId.get(id);
  if (!node) return;
  self.set(name(node), (self.get(name(node)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    if (!n?.callFrame.url.includes('/src/')) continue;
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
  `\nself time\n${top(self, 25)}\n\ntime under the project's functions\n${top(under, 25)}\n`,
);
process.stdout.write(`\nprofile: ${join(work, file)} (open in Chrome DevTools)\n`);
