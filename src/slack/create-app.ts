import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Env } from '../config.js';
import type { AppLogger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { instrumentAcks } from './ack-metrics.js';
import { guardRequests } from './http-guard.js';
import { register as registerDecide } from './listeners/actions/decide.js';
import { register as registerHomeActions } from './listeners/actions/home.js';
import { register as registerNegotiate } from './listeners/actions/negotiate.js';
import { register as registerPromiseActions } from './listeners/actions/promises.js';
import { register as registerCommit } from './listeners/commands/commit.js';
import type { ListenerDeps } from './listeners/deps.js';
import { register as registerAppHome } from './listeners/events/app-home.js';
import { register as registerNegotiationModals } from './listeners/views/negotiation-modals.js';
import { register as registerPromiseModals } from './listeners/views/promise-modals.js';
import { register as registerRejectModal } from './listeners/views/reject-modal.js';
import { register as registerRequestModal } from './listeners/views/request-modal.js';
import { idempotency, type ProcessedKeys, type StorageWatch } from './middleware/idempotency.js';
import { refuseInvalid } from './middleware/refuse-invalid.js';
import { requestKey } from './middleware/request-key.js';
import { textLimits } from './middleware/text-limits.js';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface CreateAppOptions {
  readonly env: Env;
  /** Who the bot is, from auth.test at start-up: Bolt then never calls auth.test per request. */
  readonly identity: BotIdentity;
  readonly logger: AppLogger;
  readonly deps: ListenerDeps;
  readonly health: HealthHandler;
  /** Served as GET /metrics, and times every ack (slack/ack-metrics.ts). */
  readonly metrics?: Metrics;
  /** Slack delivery ids already processed (processed_interactions), for the idempotency middleware. */
  readonly processed: ProcessedKeys;
  /** Whether the database takes writes (db/storage-health.ts); absent: not watched. */
  readonly storage?: StorageWatch;
  /** Web API call timeout; the default suits Slack, tests shorten it. */
  readonly timeoutMs?: number;
  /**
   * The HTTP API (src/api/), served on the same port: every path under `/api/` goes to it before
   * Bolt's receiver, everything else to Bolt unchanged.
   */
  readonly api?: RequestListener;
}

/** Sends `/api/…` to the API and the rest to Slack's listener: one prefix test per request. */
export function withApi(api: RequestListener | undefined, slack: RequestListener): RequestListener {
  if (!api) return slack;
  return (req, res) => (req.url?.startsWith('/api/') ? api(req, res) : slack(req, res));
}

/** Slack's Web API client settings: the outbox owns retries, so the client never sleeps on its own. */
export function clientOptions(env: Pick<Env, 'SLACK_API_URL'>, timeoutMs = 10_000) {
  return {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  };
}

export interface BotIdentity {
  readonly botId: string;
  readonly botUserId: string;
}

/**
 * Checks the bot token once at start-up. A token Slack rejects stops start-up with a clear line;
 * a Slack that cannot be reached is retried a few times first (a deploy during a blip).
 */
export async function verifyBotToken(env: Env, logger: AppLogger, attempts = 3): Promise<BotIdentity> {
  const client = new WebClient(env.SLACK_BOT_TOKEN, { ...clientOptions(env), logger });
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await client.auth.test();
      if (!res.user_id || !res.bot_id)
        throw new StartupError('env: SLACK_BOT_TOKEN: not a bot token (auth.test has no bot_id)');
      return { botId: res.bot_id, botUserId: res.user_id };
    } catch (error) {
      if (error instanceof StartupError) throw error;
      const code = (error as { code?: unknown; data?: { error?: unknown } }).data?.error;
      if (typeof code === 'string')
        throw new StartupError(
          `env: SLACK_BOT_TOKEN: Slack rejected the token (${code}): copy the Bot User OAuth Token ` +
            '(xoxb-…) from the app’s OAuth & Permissions page, reinstalling the app if it was revoked',
        );
      if (attempt >= attempts)
        throw new StartupError(
          `cannot reach Slack at ${env.SLACK_API_URL} (auth.test failed ${attempts} times)`,
        );
      logger.warn('auth.test failed, retrying', { attempt });
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

export class StartupError extends Error {
  readonly code = 'startup_error';
}

/**
 * Bolt's HTTP receiver with answers that suit a hostile Internet: a signed request whose payload
 * Bolt cannot process (fields Slack always sends are missing) is the sender's fault, so 400 and
 * a log line, never a 500; one no listener acknowledged gets 404 after Slack's 3 s, as Bolt does.
 * Signature checks are Bolt's own (401 for missing, wrong or stale signatures).
 */
function httpReceiver(
  env: Env,
  logger: AppLogger,
  health: HealthHandler,
  api: RequestListener | undefined,
  metrics?: Metrics,
): HTTPReceiver {
  const customRoutes = [
    { path: '/healthz', method: ['GET'], handler: health },
    ...(metrics ? [{ path: '/metrics', method: ['GET'], handler: metrics.handler }] : []),
  ];
  const receiver = new HTTPReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET ?? '',
    logger,
    customRoutes,
    processEventErrorHandler: async ({ error, response }) => {
      if (response.headersSent) {
        logger.error('error after the ack', error);
        return false;
      }
      logger.warn('payload refused: Bolt could not process it', error);
      response.writeHead(400);
      response.end();
      return true;
    },
  });
  receiver.requestListener = withApi(
    api,
    guardRequests(receiver.requestListener, {
      signingSecret: env.SLACK_SIGNING_SECRET ?? '',
      slackPaths: ['/slack/events'],
      routes: Object.fromEntries(customRoutes.map((r) => [r.path, r.method])),
      onError: (e) => logger.warn('request refused', e),
    }),
  );
  return receiver;
}

export function createSlackApp({
  env,
  logger,
  deps,
  health,
  metrics,
  identity,
  processed,
  storage,
  timeoutMs,
  api,
}: CreateAppOptions): App {
  const common = {
    token: env.SLACK_BOT_TOKEN,
    botId: identity.botId,
    botUserId: identity.botUserId,
    logger,
    logLevel: LogLevel[env.LOG_LEVEL.toUpperCase() as keyof typeof LogLevel],
    clientOptions: clientOptions(env, timeoutMs),
  };
  const app =
    env.mode === 'socket'
      ? new App({ ...common, socketMode: true, appToken: env.SLACK_APP_TOKEN })
      : new App({ ...common, receiver: httpReceiver(env, logger, health, api, metrics) });
  if (metrics) instrumentAcks(app, metrics);
  // Global middleware runs for every delivery before any listener, in this order: redeliveries
  // are dropped first (they were handled once), then what no listener can handle is refused.
  app.use(
    idempotency({
      keys: processed,
      clock: deps.clock,
      logger: logger.child({ middleware: 'idempotency' }),
      ...(storage ? { storage } : {}),
    }),
  );
  app.use(refuseInvalid({ logger }));
  app.use(textLimits({ logger }));
  app.use(requestKey({ store: deps.services.store, logger }));
  registerCommit(app, deps);
  registerRequestModal(app, deps);
  registerDecide(app, deps);
  registerRejectModal(app, deps);
  registerAppHome(app, deps);
  registerHomeActions(app, deps);
  registerNegotiate(app, deps);
  registerNegotiationModals(app, deps);
  registerPromiseActions(app, deps);
  registerPromiseModals(app, deps);
  app.error(async (error) => {
    logger.error('unhandled listener error', error);
  });
  return app;
}
