// What runtime.ts (main thread) and jobs/outbox-worker.ts (the delivery thread) both build on their
// own database connection: the stores and services, App Home's and the digest's reads, and the
// outbox dispatcher with its Slack notifier, digest poster, webhook deliverer and reports. One
// function each, so the two threads can never wire delivery differently.
import type { WebClient } from '@slack/web-api';
import { createWebhookDeliverer } from './api/webhooks/deliver.js';
import { WebhookDeliveryError } from './api/webhooks/sender.js';
import type { Config } from './config.js';
import { createCapacityStore } from './db/capacity-repo.js';
import type { Db } from './db/create-db.js';
import { createDelegationStore } from './db/delegation-repo.js';
import { createDigestReader } from './db/digest-repo.js';
import { keptKinds, WEEK_KINDS } from './db/digest-week-cache.js';
import { createHomeRepo } from './db/home-repo.js';
import { createMessageLocations } from './db/message-locations-repo.js';
import { createOutbox, createOutboxRepo, type OutboxRepo } from './db/outbox-repo.js';
import { createPaymentStanding } from './db/payment-standing.js';
import { createPromiseStore } from './db/promise-repo.js';
import { createRequestStore } from './db/request-repo.js';
import { createJobRunStore, type JobRunProgress } from './db/schedule-repo.js';
import { createWebhookReader, type WebhookReader } from './db/webhook-repo.js';
import { OutboxDispatcher } from './jobs/outbox.js';
import type { AppLogger } from './logger.js';
import type { DeliveryResult } from './metrics.js';
import { digestCapacity, liveCheck } from './services/capacity.js';
import type { ServiceDeps } from './services/deps.js';
import type { HomeDeps } from './services/home.js';
import { ownerIdsFor } from './services/owners.js';
import type { Clock, GroupDirectory, JobRunStore, Outbox, RequestStore } from './services/ports.js';
import { webhookDeliveriesFor } from './services/webhooks.js';
import { buildScoreboard, type DigestDeps, prepareLastWeek } from './services/weekly-digest.js';
import { createNotifier, renderContext } from './slack/delivery/dispatch.js';
import { createReportsFor } from './slack/delivery/reports.js';
import { classifySlackError } from './slack/delivery/slack-errors.js';
import { createDigestPoster } from './slack/digest-poster.js';
import { capacityNote } from './slack/views/capacity-check.js';
import type { RenderContext } from './slack/views/render-context.js';

export interface Composition {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly store: RequestStore;
  readonly services: ServiceDeps;
  readonly home: HomeDeps;
  readonly digest: DigestDeps;
  /** Counts the week that ended last ahead of its digest unless it is kept (prepareLastWeek). */
  readonly prepareDigest: () => boolean;
  readonly outboxRepo: OutboxRepo;
  readonly webhookReader: WebhookReader;
  readonly jobRuns: JobRunStore & JobRunProgress;
  readonly ctx: RenderContext;
}

export interface ComposeOptions {
  readonly config: Config;
  readonly clock: Clock;
  readonly groups: GroupDirectory;
  /** Called after a transaction that enqueued notifications has committed. */
  readonly onNotify: () => void;
  /** Wraps the request store (the main thread counts committed decisions for /metrics). */
  readonly wrapStore?: (store: RequestStore) => RequestStore;
  /** The digest's capacity section; default: the next 4 weeks' load when any line has capacity. */
  readonly capacity?: DigestDeps['capacity'];
}

export function composeServices(db: Db, options: ComposeOptions): Composition {
  const { config, clock, groups } = options;
  const outbox = createOutbox(db);
  const deliveriesFor = webhookDeliveriesFor(config);
  const plain = createRequestStore(db, {
    timeZone: config.timezone,
    ...(deliveriesFor ? { onEvents: { outbox, deliveriesFor } } : {}),
  });
  const store = options.wrapStore ? options.wrapStore(plain) : plain;
  const services: ServiceDeps = {
    store,
    outbox,
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config,
    clock,
    onNotify: options.onNotify,
    delegations: createDelegationStore(db),
    groups,
    payments: createPaymentStanding(db),
  };
  const ctx = renderContext(config);
  const digestReader = createDigestReader(db, { weekCache: { clock, timeZone: config.timezone } });
  const home: HomeDeps = {
    services,
    home: createHomeRepo(db),
    ownerIds: (userId) => ownerIdsFor(services, userId, clock.now()),
    // App Home's queue shows the verdict as it is now for open requests, like the messages do.
    capacityOf: (request) => {
      const check = liveCheck(services, request);
      return check ? capacityNote(check, ctx) : null;
    },
    // Leadership's live board: the six links this week so far (no capacity: the board shows the
    // links' headline figures, the digest the horizon).
    scoreboard: (day) => buildScoreboard({ reader: digestReader, config, clock }, day),
  };
  // The next weeks' load per product line, whenever any product line has a capacity.
  const capacityHook = options.capacity ?? digestCapacity(services);
  const digest: DigestDeps = {
    reader: digestReader,
    config,
    clock,
    ...(capacityHook ? { capacity: capacityHook } : {}),
  };
  return {
    db,
    outbox,
    store,
    services,
    home,
    digest,
    prepareDigest: () =>
      prepareLastWeek(digest, (monday) => {
        const kept = keptKinds(db, monday);
        return WEEK_KINDS.every((k) => kept.has(k));
      }),
    outboxRepo: createOutboxRepo(db),
    webhookReader: createWebhookReader(db),
    jobRuns: createJobRunStore(db, outbox),
    ctx,
  };
}

export interface DispatcherOptions {
  readonly client: WebClient;
  readonly logger: AppLogger;
  readonly pollMs?: number;
  readonly baseBackoffMs?: number;
  readonly settleMs: number;
  /** Each Slack delivery's result, for /metrics (`commit_gate_deliveries_total`). */
  readonly onDelivery?: (kind: string, result: DeliveryResult) => void;
  /** Each digest post's result, for /metrics (`commit_gate_digest_runs_total`). */
  readonly onDigestRun?: (result: 'ok' | 'error') => void;
}

export function composeDispatcher(c: Composition, options: DispatcherOptions): OutboxDispatcher {
  const { config } = c.services;
  const { client, logger } = options;
  const onDelivery = options.onDelivery ?? (() => {});
  const onDigestRun = options.onDigestRun ?? (() => {});
  const postDigest = createDigestPoster({
    client,
    config,
    digest: c.digest,
    runs: c.jobRuns,
    logger: logger.child({ component: 'digest' }),
  });
  const notify = createNotifier({
    client,
    services: c.services,
    locations: createMessageLocations(c.db),
    config,
    home: c.home,
    postDigest: async (weekStart) => {
      try {
        const result = await postDigest(weekStart);
        onDigestRun('ok');
        return result;
      } catch (error) {
        onDigestRun('error');
        throw error;
      }
    },
  });
  const slackDelivery: typeof notify = async (n, attempt) => {
    try {
      const receipt = await notify(n, attempt);
      onDelivery(n.kind, receipt.skipped ? 'skipped' : 'delivered');
      return receipt;
    } catch (error) {
      onDelivery(n.kind, classifySlackError(error).kind === 'permanent' ? 'permanent' : 'retry');
      throw error;
    }
  };
  const deliverWebhook = createWebhookDeliverer({ config, events: c.webhookReader, clock: c.services.clock });
  return new OutboxDispatcher({
    repo: c.outboxRepo,
    // Webhooks go to their receivers, everything else to Slack; the outbox's retries serve both.
    deliver: (n, attempt) => (n.kind === 'webhook.deliver' ? deliverWebhook(n) : slackDelivery(n, attempt)),
    classify: (error) =>
      error instanceof WebhookDeliveryError
        ? { kind: error.retry ? 'retry' : 'permanent', code: error.code }
        : classifySlackError(error),
    reportsFor: createReportsFor({
      config,
      store: c.store,
      webhookGivenUp: (url) => c.webhookReader.hasGivenUp(url),
    }),
    clock: c.services.clock,
    logger: logger.child({ component: 'outbox' }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.baseBackoffMs === undefined ? {} : { baseBackoffMs: options.baseBackoffMs }),
    settleMs: options.settleMs,
  });
}
