import { type Actor, actorIdOf } from '../domain/actor.js';
import { localDate } from '../domain/calendar.js';
import { type FastLaneVerdict, fastLaneVerdict } from '../domain/fast-lane.js';
import type { CommitRequest, RequestEvent } from '../domain/request.js';
import type { RawRequestInput, RequestField } from '../domain/validation.js';
import { capacityUpdatesFor, checkCapacity } from './capacity.js';
import type { ServiceDeps } from './deps.js';
import { homeUpdatesFor } from './home.js';
import { quorumEscalations, routeFacts, unreachableQuorums, validateFacts } from './intake.js';
import type { Notification } from './notifications.js';

export interface SubmitRequestInput {
  readonly sellerId: string;
  readonly raw: RawRequestInput;
  readonly sourceChannelId: string | null;
  /** Who submitted it: the seller in Slack (default), or the HTTP API on the seller's behalf. */
  readonly actor?: Actor;
  /** Slack's view.id: the same view submitted again (a new trigger) returns the first request. */
  readonly viewId?: string | null;
}

export type SubmitRequestResult =
  | {
      readonly ok: true;
      readonly request: CommitRequest;
      readonly duplicate?: boolean;
      readonly fastLane?: FastLaneVerdict;
    }
  | { readonly ok: false; readonly errors: Partial<Record<RequestField, string>> };

/** A seller asks for a commitment: validate, route, store, and queue the thread in one transaction. */
export function submitRequest(deps: ServiceDeps, input: SubmitRequestInput): SubmitRequestResult {
  const { config, clock, store, outbox } = deps;
  const at = clock.now();
  const validated = validateFacts(deps, input.raw, at);
  if (!validated.ok) return validated;
  const { facts } = validated;
  let lane: FastLaneVerdict | undefined;

  const viewId = input.viewId ?? null;
  let duplicate = false;
  const request = store.transaction(() => {
    const earlier = viewId === null ? null : store.requestIdForView(viewId);
    const existing = earlier === null ? null : store.loadRequest(earlier);
    if (existing) {
      duplicate = true;
      return existing;
    }
    // Inside the write transaction: two sellers asking for the last free capacity at once see
    // each other's load (the second one's check counts the first as tentative). The verdict
    // routes the request (`when.capacity`, the over-capacity gate) and decides the fast lane.
    const capacityCheck = checkCapacity(deps, facts);
    const today = localDate(at, config.timezone);
    lane = config.fast_lane
      ? fastLaneVerdict(facts, config.fast_lane, {
          currency: config.currency,
          productLines: config.product_lines,
          today,
          capacity: capacityCheck,
          customerHasPaymentOverdue: deps.payments?.hasPaymentOverdue(facts.customer, today) ?? false,
        })
      : undefined;
    const fastLane = lane?.cleared ? lane.reasons : null;
    const required = fastLane ? [] : routeFacts(deps, facts, at, capacityCheck);
    const stuck = unreachableQuorums(deps, input.sellerId, required);
    const created = store.insertRequest({
      capacityCheck,
      sellerId: input.sellerId,
      facts,
      currency: config.currency,
      sourceChannelId: input.sourceChannelId,
      at,
      status: required.length ? 'pending' : 'approved',
      signOffs: required.map((r) => (stuck.has(r.functionId) ? { ...r, escalatedAt: at } : r)),
      viewId,
      fastLane,
      ...(fastLane ? { clearedVia: 'fast_lane' as const } : {}),
    });
    const actorId = input.actor ? actorIdOf(input.actor) : input.sellerId;
    const events: RequestEvent[] = [{ type: 'request.submitted', actorId, at, facts, capacityCheck }];
    if (created.status === 'approved')
      events.push(
        fastLane
          ? { type: 'request.approved', at, fastLane: true, reasons: fastLane }
          : { type: 'request.approved', at },
      );
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
    const escalations = quorumEscalations(deps, created, stuck, at);
    store.appendEvents(created.id, escalations.events);
    notifications.push(...escalations.notifications);
    notifications.push(...homeUpdatesFor(created, config.leadership, input.sellerId));
    // The week's load changed: the other open requests loading it show the new figures.
    notifications.push(...capacityUpdatesFor(deps, [created.facts]));
    outbox.enqueue(notifications, at);
    return created;
  });
  if (duplicate) return { ok: true, request, duplicate };
  deps.onNotify();
  return { ok: true, request, ...(lane ? { fastLane: lane } : {}) };
}
