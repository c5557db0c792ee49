// Sends one webhook delivery: the event's body, signed at the moment of sending (a retry gets a
// fresh timestamp and signature for the same body and id). A failure is thrown as a
// WebhookDeliveryError the outbox classifies: the receiver's 5xx, 408, 429 and no answer are
// retried with backoff; any other answer (a 4xx: wrong URL, secret or payload) is permanent,
// reported once, and sent again by `npm run outbox:retry` once fixed.
import type { Clock } from '../../services/ports.js';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature.js';

export class WebhookDeliveryError extends Error {
  readonly code: string;
  constructor(
    readonly retry: boolean,
    code: string,
  ) {
    super(`webhook delivery failed: ${code}`);
    this.code = code;
  }
}

export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
}

const RETRIED_STATUSES = new Set([408, 425, 429]);

export async function sendWebhook(
  target: WebhookTarget,
  body: string,
  deps: { readonly clock: Clock; readonly timeoutMs?: number },
): Promise<{ status: number }> {
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'commit-gate-webhooks/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(target.secret, timestamp, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'error';
    throw new WebhookDeliveryError(true, name === 'TimeoutError' ? 'webhook_timeout' : 'webhook_unreachable');
  }
  // The receiver's answer body is not needed, only read so the connection is freed: a receiver that
  // drops it after a 2xx has still taken the event.
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return { status: res.status };
  // A receiver's Retry-After is not honoured as Slack's is: the outbox's Retry-After pauses every
  // delivery (Slack's limits are per workspace), and one slow receiver must not hold back Slack.
  // Its backoff (doubling, capped at 5 minutes) is gentle enough.
  const retry = res.status >= 500 || RETRIED_STATUSES.has(res.status);
  throw new WebhookDeliveryError(retry, `webhook_http_${res.status}`);
}
