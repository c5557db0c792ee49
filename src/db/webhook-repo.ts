// Reads for webhook deliveries: the event to send, and whether a receiver's failure was reported.
import type { WebhookEvent } from '../domain/webhook.js';
import type { Db } from './create-db.js';

export interface WebhookReader {
  eventById(id: number): WebhookEvent | null;
  /** A webhook delivery to this url given up before and not retried since (so already reported). */
  hasGivenUp(url: string, exceptOutboxId?: number): boolean;
}

export function createWebhookReader(db: Db): WebhookReader {
  const sqlite = db.$client;
  const event = sqlite.prepare<
    [number],
    { id: number; request_id: number; type: string; actor_id: string | null; at: number; data: string }
  >('SELECT id, request_id, type, actor_id, at, data FROM events WHERE id = ? AND request_id IS NOT NULL');
  // Failed rows are few (outbox_pending_idx leads with status); the url is in the payload.
  const givenUp = sqlite
    .prepare<[string]>(
      "SELECT 1 FROM outbox WHERE status = 'failed' AND kind = 'webhook.deliver' AND json_extract(payload, '$.url') = ? LIMIT 1",
    )
    .pluck();
  return {
    eventById(id) {
      const row = event.get(id);
      if (!row) return null;
      return {
        id: row.id,
        requestId: row.request_id,
        type: row.type,
        actorId: row.actor_id,
        at: new Date(row.at),
        data: JSON.parse(row.data) as Record<string, unknown>,
      };
    },
    hasGivenUp: (url) => givenUp.get(url) !== undefined,
  };
}
