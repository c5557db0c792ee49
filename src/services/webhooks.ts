// Which webhook deliveries an appended history event makes: one per configured webhook that
// listed it (INTERFACE.md "Outbound webhooks"). Called by the request store in the transaction
// that appends the events, so no event commits without its deliveries, nor they without it.
import type { Config } from '../config.js';
import { subscribersOf } from '../domain/webhook.js';
import type { Notification } from './notifications.js';

export function webhookDeliveriesFor(
  config: Pick<Config, 'webhooks'>,
):
  | ((
      requestId: number,
      appended: readonly { readonly id: number; readonly type: string }[],
    ) => Notification[])
  | undefined {
  if (!config.webhooks.length) return undefined;
  return (requestId, appended) =>
    appended.flatMap((e) =>
      subscribersOf(config.webhooks, e.type).map(
        (url): Notification => ({ kind: 'webhook.deliver', requestId, eventId: e.id, url }),
      ),
    );
}
