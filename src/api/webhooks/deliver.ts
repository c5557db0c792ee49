// The outbox's deliverer for `webhook.deliver`: the event as it was recorded (an event never
// changes, so a retry sends the same body and id), signed and POSTed to the configured receiver.
import type { Config } from '../../config.js';
import type { WebhookReader } from '../../db/webhook-repo.js';
import { webhookBodyOf } from '../../domain/webhook.js';
import type { Notification } from '../../services/notifications.js';
import type { Clock } from '../../services/ports.js';
import { sendWebhook, WebhookDeliveryError } from './sender.js';

type WebhookNotification = Extract<Notification, { kind: 'webhook.deliver' }>;

export interface WebhookReceipt {
  readonly channelId: null;
  readonly messageTs: null;
  readonly skipped?: boolean;
}

export function createWebhookDeliverer(deps: {
  readonly config: Pick<Config, 'webhooks'>;
  readonly events: Pick<WebhookReader, 'eventById'>;
  readonly clock: Clock;
  readonly timeoutMs?: number;
}) {
  return async function deliverWebhook(n: WebhookNotification): Promise<WebhookReceipt> {
    const target = deps.config.webhooks.find((w) => w.url === n.url);
    // The webhook was removed from the config since: nobody wants this event any more.
    if (!target) return { channelId: null, messageTs: null, skipped: true };
    const event = deps.events.eventById(n.eventId);
    if (!event) throw new WebhookDeliveryError(false, 'event_not_found');
    await sendWebhook(target, JSON.stringify(webhookBodyOf(event)), {
      clock: deps.clock,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    });
    return { channelId: null, messageTs: null };
  };
}
