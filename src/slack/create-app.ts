import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Env } from '../config.js';
import type { AppLogger } from '../logger.js';
import { register as registerDecide } from './listeners/actions/decide.js';
import { register as registerNegotiate } from './listeners/actions/negotiate.js';
import { register as registerCommit } from './listeners/commands/commit.js';
import type { ListenerDeps } from './listeners/deps.js';
import { register as registerNegotiationModals } from './listeners/views/negotiation-modals.js';
import { register as registerRejectModal } from './listeners/views/reject-modal.js';
import { register as registerRequestModal } from './listeners/views/request-modal.js';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface CreateAppOptions {
  readonly env: Env;
  /** Who the bot is, from auth.test at start-up: Bolt then never calls auth.test per request. */
  readonly identity: BotIdentity;
  readonly logger: AppLogger;
  readonly deps: ListenerDeps;
  readonly health: HealthHandler;
}

/** Slack's Web API client settings: the outbox owns retries, so the client never sleeps on its own. */
export function clientOptions(env: Env) {
  return {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
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
        throw new StartupError(`env: SLACK_BOT_TOKEN: Slack rejected the token (${code})`);
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

export function createSlackApp({ env, logger, deps, health, identity }: CreateAppOptions): App {
  const common = {
    token: env.SLACK_BOT_TOKEN,
    botId: identity.botId,
    botUserId: identity.botUserId,
    logger,
    logLevel: LogLevel[env.LOG_LEVEL.toUpperCase() as keyof typeof LogLevel],
    clientOptions: clientOptions(env),
  };
  const app =
    env.mode === 'socket'
      ? new App({ ...common, socketMode: true, appToken: env.SLACK_APP_TOKEN })
      : new App({
          ...common,
          signingSecret: env.SLACK_SIGNING_SECRET ?? '',
          customRoutes: [{ path: '/healthz', method: ['GET'], handler: health }],
        });
  registerCommit(app, deps);
  registerRequestModal(app, deps);
  registerDecide(app, deps);
  registerRejectModal(app, deps);
  registerNegotiate(app, deps);
  registerNegotiationModals(app, deps);
  app.error(async (error) => {
    logger.error('unhandled listener error', error);
  });
  return app;
}
