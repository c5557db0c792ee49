import { type Actor, actorIdOf } from '../domain/actor.js';
import type { CommitRequest, RequestEvent } from '../domain/request.js';
import type { RawRequestInput, RequestField } from '../domain/validation.js';
import { checkCapacity } from './capacity.js';
import type { ServiceDeps } from './deps.js';
import { homeUpdatesFor } from './home.js';
import { validateAndRoute } from './intake.js';
import type { Notification } from './notifications.js';

export interface SubmitRequestInput {
  readonly sellerId: string;
  readonly raw: RawRequestInput;
  readonly sourceChannelId: string | null;
  /** Who submitted it: the seller in Slack (default), or the HTTP API on the seller's behalf. */
  readonly actor?: Actor;
}

export type SubmitRequestResult =
  | { readonly ok: true; readonly request: CommitRequest }
  | { readonly ok: false; readonly errors: Partial<Record<RequestField, string>> };

/** A seller asks for a commitment: validate, route, store, and queue the thread in one transaction. */
export function submitRequest(deps: ServiceDeps, input: SubmitRequestInput): SubmitRequestResult {
  const { config, clock, store, outbox } = deps;
  const at = clock.now();
  const intake = validateAndRoute(deps, input.raw, at);
  if (!intake.ok) return intake;
  const { facts, required } = intake;

  const request = store.transaction(() => {
    // Inside the write transaction: two sellers asking for the last free capacity at once see
    // each other's load (the second one's check counts the first as tentative).
    const capacityCheck = checkCapacity(deps, facts);
    const created = store.insertRequest({
      capacityCheck,
      sellerId: input.sellerId,
      facts,
      currency: config.currency,
      sourceChannelId: input.sourceChannelId,
      at,
      status: required.length ? 'pending' : 'approved',
      signOffs: required,
    });
    const actorId = input.actor ? actorIdOf(input.actor) : input.sellerId;
    const events: RequestEvent[] = [{ type: 'request.submitted', actorId, at, facts }];
    if (created.status === 'approved') events.push({ type: 'request.approved', at });
    store.appendEvents(created.id, events);
    const notifications: Notification[] = [
      { kind: 'parent.post', requestId: created.id },
      ...created.signOffs.map((s) => ({
        kind: 'signoff.post' as const,
        requestId: created.id,
        signOffId: s.id,
      })),
    ];
    if (created.status === 'approved') notifications.push({ kind: 'seller.outcome', requestId: created.id });
    notifications.push(...homeUpdatesFor(created, config.leadership, input.sellerId));
    outbox.enqueue(notifications, at);
    return created;
  });
  deps.onNotify();
  return { ok: true, request };
}
