import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import type { Env } from '../config.js';
import type { AppLogger } from '../logger.js';
import type { ListenerDeps } from './listeners/deps.js';
import { register as registerDecide } from './listeners/actions/decide.js';
import { register as registerCommit } from './listeners/commands/commit.js';
import { register as registerRejectModal } from './listeners/views/reject-modal.js';
import { register as registerRequestModal } from './listeners/views/request-modal.js';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface CreateAppOptions {
  readonly env: Env;
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

export function createSlackApp({ env, logger, deps, health }: CreateAppOptions): App {
  const common = {
    token: env.SLACK_BOT_TOKEN,
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
  app.error(async (error) => {
    logger.error('unhandled listener error', error);
  });
  return app;
}
