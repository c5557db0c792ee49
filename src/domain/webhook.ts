// What a webhook receiver is sent for a history event (INTERFACE.md "Outbound webhooks"). Pure:
// the signature and the HTTP call are in src/api/webhooks/.
import { requestRef } from './request.js';

/** The history's name, except `request.approved`, which receivers know as `request.cleared`. */
export function webhookTypeOf(eventType: string): string {
  return eventType === 'request.approved' ? 'request.cleared' : eventType;
}

/** The webhooks (by url) that listed this history event. */
export function subscribersOf(
  webhooks: readonly { readonly url: string; readonly events: readonly string[] }[],
  eventType: string,
): string[] {
  const type = webhookTypeOf(eventType);
  return [...new Set(webhooks.filter((w) => w.events.includes(type)).map((w) => w.url))];
}

export interface WebhookEvent {
  /** The events table's id: stable across retries, so receivers de-duplicate by it. */
  readonly id: number;
  readonly requestId: number;
  readonly type: string;
  readonly actorId: string | null;
  readonly at: Date;
  readonly data: Readonly<Record<string, unknown>>;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Keys in snake_case all the way down, like every answer of the HTTP API. */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeKeys(v)]));
}

export function webhookBodyOf(e: WebhookEvent): {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
} {
  const { actorId: _actor, ...data } = e.data;
  return {
    id: `evt_${e.id}`,
    type: webhookTypeOf(e.type),
    created_at: e.at.toISOString(),
    data: {
      reference: requestRef(e.requestId),
      actor: e.actorId,
      ...(snakeKeys(data) as Record<string, unknown>),
    },
  };
}
