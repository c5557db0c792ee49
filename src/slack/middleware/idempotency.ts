// Drops Slack redeliveries before any listener sees them, for every listener there is or will be.
// Slack retries an Events API delivery (X-Slack-Retry-Num, same event_id) when it did not see our
// 200 in time, and an interaction can arrive twice (a proxy retry, a Socket Mode reconnect);
// either way Slack's own id is the same, so the first delivery claims it and later ones are acked
// and dropped. Distinct clicks carry distinct ids and still reach the listeners, where the
// conditional updates make a second decision a refusal, not a second change.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import type { Clock } from '../../services/ports.js';
import { blockActions, tellClicker } from './refuse-invalid.js';

/** Storage health (db/storage-health.ts): every delivery's first write is the claim below. */
export interface StorageWatch {
  problem(at: Date): unknown;
  recordFailure(error: unknown): boolean;
  recordSuccess(): void;
}

export const STORAGE_APOLOGY =
  'Sorry, commit-gate cannot save anything right now (a storage problem on our side, already logged). Nothing was changed; please try again in a few minutes.';

/** Answers the person at once, however they reached the bot, when nothing can be saved. */
async function apologise(
  args: Parameters<Middleware<AnyMiddlewareArgs>>[0],
  logger: AppLogger,
): Promise<void> {
  const body = args.body as { type?: unknown; view?: { state?: { values?: Record<string, unknown> } } };
  const ack = 'ack' in args && typeof args.ack === 'function' ? args.ack : null;
  if ('command' in args) {
    await args.ack({ response_type: 'ephemeral', text: STORAGE_APOLOGY });
    return;
  }
  if (body.type === 'view_submission' && 'view' in args) {
    // On the form's first input: the person keeps what they typed and can submit again later.
    const first = Object.keys(body.view?.state?.values ?? {})[0];
    if (first) await args.ack({ response_action: 'errors', errors: { [first]: STORAGE_APOLOGY } });
    else await args.ack();
    return;
  }
  await ack?.();
  const click = blockActions.safeParse(body);
  if (click.success)
    await tellClicker(args.client, click.data, STORAGE_APOLOGY).catch((e: unknown) =>
      logger.warn('could not answer', e),
    );
}

/** The store of processed keys (db/processed-repo.ts). */
export interface ProcessedKeys {
  claim(key: string, at: Date): boolean;
  prune(before: Date): number;
}

/**
 * How long a key is remembered. Slack retries an event three times within about five minutes
 * and trigger ids expire after three seconds, so a day is ample; keys are pruned hourly.
 */
export const PROCESSED_KEY_TTL_MS = 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

/** Slack's unique id of a delivery: event_id for events, trigger_id for commands and interactions. */
export function deliveryKey(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { type?: unknown; event_id?: unknown; trigger_id?: unknown; actions?: unknown };
  if (b.type === 'event_callback' && typeof b.event_id === 'string' && b.event_id)
    return `event:${b.event_id}`;
  if (typeof b.trigger_id === 'string' && b.trigger_id) {
    // One block_actions payload carries one action; its action_ts tells two deliveries of one
    // trigger apart from two actions (Slack shares a trigger across a view's actions in one call).
    const first = Array.isArray(b.actions)
      ? (b.actions[0] as { action_ts?: unknown } | undefined)
      : undefined;
    const ts = typeof first?.action_ts === 'string' ? `:${first.action_ts}` : '';
    return `trigger:${b.trigger_id}${ts}`;
  }
  return null;
}

export function idempotency(deps: {
  keys: ProcessedKeys;
  clock: Clock;
  logger: AppLogger;
  storage?: StorageWatch;
}): Middleware<AnyMiddlewareArgs> {
  let lastPrune = 0;
  return async (args) => {
    const { body, next, context } = args;
    const now = deps.clock.now();
    if (deps.storage?.problem(now)) return apologise(args, deps.logger);
    const key = deliveryKey(body);
    let claimed = true;
    try {
      if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = now.getTime();
        const pruned = deps.keys.prune(new Date(now.getTime() - PROCESSED_KEY_TTL_MS));
        if (pruned) deps.logger.debug('pruned processed delivery keys', { pruned });
      }
      if (key) claimed = deps.keys.claim(key, now);
      deps.storage?.recordSuccess();
    } catch (error) {
      // A read-only file or a full disk: the storage watch logs it once and /healthz turns 503.
      if (deps.storage?.recordFailure(error)) return apologise(args, deps.logger);
      throw error;
    }
    if (key && !claimed) {
      deps.logger.info('redelivery dropped', {
        key,
        retryNum: context.retryNum,
        retryReason: context.retryReason,
      });
      // Events were acked by Bolt already; anything else must still get its 200.
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
      return;
    }
    await next();
  };
}
