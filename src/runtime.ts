// Starts and stops everything in order: database → Slack app → outbox dispatcher, and back.
// main.ts calls it with the real environment; the end-to-end tests call it in-process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config, Env } from './config.js';
import { closeDb, createDb, type Db } from './db/create-db.js';
import { createDelegationStore } from './db/delegation-repo.js';
import { createOutboxRepo } from './db/outbox-repo.js';
import { createRequestStore } from './db/request-repo.js';
import { OutboxDispatcher } from './jobs/outbox.js';
import type { AppLogger } from './logger.js';
import type { ServiceDeps } from './services/deps.js';
import type { Clock } from './services/ports.js';
import { clientOptions, createSlackApp, verifyBotToken } from './slack/create-app.js';
import { classifySlackError, createNotifier, renderContext } from './slack/notifier.js';
import { UserGroupCache } from './slack/usergroups.js';

export interface RuntimeOptions {
  readonly env: Env;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /** Outbox poll interval; tests shorten it. */
  readonly pollMs?: number;
  readonly baseBackoffMs?: number;
}

export interface Runtime {
  readonly port: number;
  readonly db: Db;
  readonly app: App;
  readonly dispatcher: OutboxDispatcher;
  /** Owner user group members; tests refresh it after changing the stand-in's groups. */
  readonly groups: UserGroupCache;
  stop(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { env, config, clock, logger } = options;
  const identity = await verifyBotToken(env, logger);
  let healthy = false;
  const db = createDb(env.DATABASE_PATH);
  healthy = true;
  const store = createRequestStore(db);
  const outboxRepo = createOutboxRepo(db);

  let dispatcher: OutboxDispatcher | undefined;
  const delegations = createDelegationStore(db);
  const groups = new UserGroupCache(
    new WebClient(env.SLACK_BOT_TOKEN, { ...clientOptions(env), logger }),
    config,
    logger.child({ component: 'usergroups' }),
  );
  await groups.refresh();
  groups.start();
  const services: ServiceDeps = {
    store,
    config,
    clock,
    onNotify: () => dispatcher?.kick(),
    delegations,
    groups,
  };

  const health = (_req: IncomingMessage, res: ServerResponse) => {
    const ok = healthy && db.$client.open;
    const body = ok ? { status: 'ok', outbox: outboxRepo.stats() } : { status: 'unavailable' };
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const app = createSlackApp({
    env,
    identity,
    logger,
    health,
    deps: { services, config, clock, logger, ctx: renderContext(config) },
  });

  dispatcher = new OutboxDispatcher({
    repo: outboxRepo,
    deliver: createNotifier({ client: app.client, store, config, services }),
    classify: classifySlackError,
    clock,
    logger: logger.child({ component: 'outbox' }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.baseBackoffMs === undefined ? {} : { baseBackoffMs: options.baseBackoffMs }),
  });

  let port: number;
  let healthServer: Server | undefined;
  if (env.mode === 'http') {
    const server = (await app.start(env.PORT)) as Server;
    port = (server.address() as AddressInfo).port;
  } else {
    // Socket Mode has no HTTP listener of its own; /healthz still needs one for containers.
    healthServer = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') health(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      healthServer?.once('error', reject);
      healthServer?.listen(env.PORT, resolve);
    });
    port = (healthServer.address() as AddressInfo).port;
    await app.start();
  }
  dispatcher.start();
  logger.info('commit-gate started', { mode: env.mode, port });

  let stopping: Promise<void> | undefined;
  return {
    port,
    db,
    app,
    dispatcher,
    groups,
    stop() {
      stopping ??= (async () => {
        healthy = false;
        groups.stop();
        await app.stop().catch((e: unknown) => logger.warn('error while stopping Slack app', e));
        if (healthServer) await new Promise<void>((resolve) => healthServer?.close(() => resolve()));
        await dispatcher?.stop();
        closeDb(db);
        logger.info('commit-gate stopped');
      })();
      return stopping;
    },
  };
}
