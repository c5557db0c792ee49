// `npm run bench -- --only=rerender` (issue 16): the cost of a decision whose week holds N open
// requests, each with a parent and an Operations message showing a live verdict. The decision
// (what an Approve click does after its ack) must stay cheap whatever N: it queues one
// capacity.update row; the outbox then fans it out and re-renders the N requests' messages.
// Measured in process, on a real SQLite file with the real migrations, against the Slack stand-in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebClient } from '@slack/web-api';
import { SlackStandIn } from '../dev/slack-stand-in.js';
import { parseConfig } from '../src/config.js';
import { createCapacityStore } from '../src/db/capacity-repo.js';
import { closeDb, createDb } from '../src/db/create-db.js';
import { createHomeRepo } from '../src/db/home-repo.js';
import { createMessageLocations } from '../src/db/message-locations-repo.js';
import { createOutbox, createOutboxRepo } from '../src/db/outbox-repo.js';
import { createPromiseStore } from '../src/db/promise-repo.js';
import { createRequestStore } from '../src/db/request-repo.js';
import { OutboxDispatcher } from '../src/jobs/outbox.js';
import { createLogger } from '../src/logger.js';
import { decideSignOff } from '../src/services/decide-signoff.js';
import type { ServiceDeps } from '../src/services/deps.js';
import { submitRequest } from '../src/services/submit-request.js';
import { createNotifier } from '../src/slack/delivery/dispatch.js';
import { classifySlackError } from '../src/slack/delivery/slack-errors.js';
import { exampleConfigObject } from '../test/support/config.js';
import { median, round, summarize } from './lib/stats.js';

const SIZES = [1, 20, 200] as const;
/** Decisions timed per size (each approves a different request of the same week). */
const DECISIONS = 30;
const NOW = new Date('2026-11-23T15:00:00Z');
const DELIVERY = '2026-12-16';

export interface RerenderFigures {
  readonly openInWeek: number;
  /** The decision's own work (decideSignOff: load, re-check, write, enqueue), wall clock, in ms. */
  readonly decisionMs: ReturnType<typeof summarize>;
  /** The same, in CPU time of this process (the "work"; wall clock adds the disk's fsync). */
  readonly decisionCpuMs: ReturnType<typeof summarize>;
  /** Outbox rows the decision queued. */
  readonly rowsQueued: number;
  /** Time for the outbox to fan out and deliver every re-render after one decision, in ms. */
  readonly drainMs: number;
  /** chat.update calls after one decision: about one per open message, not per change. */
  readonly updates: number;
  /**
   * chat.update calls after DECISIONS decisions queued before the outbox ran: coalesced, about the
   * same as after one (the burst's own requests are approved by then and shown once each).
   */
  readonly updatesAfterBurst: number;
}

async function measure(openInWeek: number, standIn: SlackStandIn): Promise<RerenderFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'commit-gate-rerender-'));
  const raw = exampleConfigObject();
  const lines = raw.product_lines as Record<string, unknown>[];
  // Room for everyone: every decision is a plain approval, never the over-capacity modal.
  lines[0] = { ...lines[0], capacity_per_week: 1_000_000 };
  const config = parseConfig({ ...raw, rules: [{ require: ['operations'] }] });
  const db = createDb(join(dir, 'bench.db'));
  const store = createRequestStore(db);
  const clock = { now: () => NOW };
  const services: ServiceDeps = {
    store,
    outbox: createOutbox(db),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config,
    clock,
    onNotify: () => {},
  };
  const client = new WebClient('xoxb-bench', { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } });
  const dispatcher = new OutboxDispatcher({
    repo: createOutboxRepo(db),
    deliver: createNotifier({
      client,
      config,
      services,
      locations: createMessageLocations(db),
      home: { services, home: createHomeRepo(db), ownerIds: () => [], capacityOf: () => null },
      postDigest: async () => undefined,
    }),
    classify: classifySlackError,
    clock,
    logger: createLogger('error', () => {}),
    concurrency: 8,
  });
  try {
    let seq = 0;
    const submit = () => {
      const res = submitRequest(services, {
        sellerId: 'U0SELLER',
        sourceChannelId: null,
        raw: {
          customer: `Customer ${seq++}`,
          productLineId: 'widgets',
          quantity: '10',
          value: '1000',
          deliveryDate: DELIVERY,
          paymentTermsDays: '30',
          discountPercent: '0',
          specialRequirements: null,
          dealReference: null,
        },
      });
      if (!res.ok) throw new Error(`seed failed: ${JSON.stringify(res.errors)}`);
      return res.request;
    };
    // N - 1 requests stay open in the week; each decision approves one more, the Nth.
    for (let i = 0; i < openInWeek - 1; i++) submit();
    await dispatcher.drain(); // every parent and sign-off message posted
    const decide = (signOffId: number) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = decideSignOff(services, { signOffId, actorId: 'U0OPS1', verdict: { kind: 'approve' } });
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - started;
      if (!result.ok) throw new Error(`decision refused: ${result.reason}`);
      return { ms, cpuMs: (used.user + used.system) / 1000 };
    };
    const outboxRows = () => db.$client.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    const updates = () => standIn.callsTo('chat.update').length;
    const target = () => submit().signOffs[0]?.id ?? 0;

    // One decision at a time, each followed by its re-renders: the decision's cost, and the drain's.
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    const drains: number[] = [];
    let rowsQueued = 0;
    let perDecision = 0;
    for (let i = 0; i < DECISIONS; i++) {
      const signOffId = target();
      await dispatcher.drain();
      const rowsBefore = outboxRows();
      const updatesBefore = updates();
      const { ms, cpuMs } = decide(signOffId);
      samples.push(ms);
      cpuSamples.push(cpuMs);
      rowsQueued = outboxRows() - rowsBefore;
      const started = performance.now();
      await dispatcher.drain();
      drains.push(performance.now() - started);
      perDecision = updates() - updatesBefore;
    }
    // A burst: DECISIONS decisions before the outbox runs; their re-renders collapse.
    const targets = Array.from({ length: DECISIONS }, target);
    await dispatcher.drain();
    const burstBefore = updates();
    for (const signOffId of targets) decide(signOffId);
    await dispatcher.drain();
    return {
      openInWeek,
      decisionMs: summarize(samples),
      decisionCpuMs: summarize(cpuSamples),
      rowsQueued,
      drainMs: round(median(drains), 1),
      updates: perDecision,
      updatesAfterBurst: updates() - burstBefore,
    };
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRerenderBench(log: (line: string) => void): Promise<RerenderFigures[]> {
  const standIn = await SlackStandIn.start();
  try {
    const out: RerenderFigures[] = [];
    for (const n of SIZES) {
      standIn.reset();
      log(`re-render bench: ${n} open request(s) in the week`);
      out.push(await measure(n, standIn));
    }
    return out;
  } finally {
    await standIn.close();
  }
}
