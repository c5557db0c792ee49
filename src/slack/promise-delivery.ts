// Delivery of the promise notifications: each rendered from the promise as it is when delivered
// (a queued ask about a promise answered meanwhile tells nothing and is skipped), each post keyed
// so that a retry after an unanswered call finds the earlier post instead of repeating it.
import type { WebClient } from '@slack/web-api';
import { localDate } from '../domain/calendar.js';
import { dueOn, isOpen } from '../domain/promise.js';
import { businessDaysBetween } from '../domain/promise-schedule.js';
import type { ServiceDeps } from '../services/deps.js';
import type { PromiseNotification } from '../services/notifications.js';
import type { MessageLocations, SlackLocation } from '../services/ports.js';
import { confirmerIds } from '../services/promises.js';
import {
  buildDueAsk,
  buildOnTrackAsk,
  buildPromiseNotice,
  buildPromiseReminder,
  buildSellerToldDm,
} from './views/promises.js';
import { messageLink, type RenderContext } from './views/render-context.js';
import type { SlackMessage } from './views/request-messages.js';

/** What the promise presenters use; the delivery layer provides it. */
export interface PromiseDeliveryIo {
  readonly services: ServiceDeps;
  readonly ctx: RenderContext;
  readonly client: WebClient;
  readonly locations: MessageLocations;
  /** The request's parent message; throws a permanent `parent_not_posted` when there is none. */
  parent(requestId: number): SlackLocation;
  /** Posts once under `key` in the request's thread. */
  postInThread(key: string, parent: SlackLocation, message: SlackMessage): Promise<Sent>;
  /** Posts once under `key` in a DM with this user. */
  dm(key: string, userId: string, message: SlackMessage): Promise<Sent>;
}

export interface Sent {
  readonly channelId: string;
  readonly messageTs: string;
  readonly skipped: boolean;
}

export type PromiseReceipt = {
  readonly channelId: string | null;
  readonly messageTs: string | null;
  readonly skipped?: boolean;
};

const nothing: PromiseReceipt = { channelId: null, messageTs: null, skipped: true };

export class PromiseGoneError extends Error {
  readonly code = 'promise_not_found';
}

export async function deliverPromiseNotification(
  n: PromiseNotification,
  io: PromiseDeliveryIo,
): Promise<PromiseReceipt> {
  const { services, ctx } = io;
  const promise = services.promises.loadPromise(n.requestId);
  if (!promise) throw new PromiseGoneError('promise_not_found');
  const owners = confirmerIds(services);
  const due = dueOn(promise);
  const today = localDate(services.clock.now(), services.config.timezone);
  switch (n.kind) {
    case 'promise.ask_on_track': {
      if (!isOpen(promise)) return nothing;
      const days = businessDaysBetween(today, due, services.config.reminders.business_hours.days);
      return io.postInThread(
        `promise-on-track:${promise.requestId}:${due}`,
        io.parent(promise.requestId),
        buildOnTrackAsk(promise, owners, days, ctx),
      );
    }
    case 'promise.ask_due': {
      if (!isOpen(promise)) return nothing;
      const sent = await io.postInThread(
        `promise-due:${promise.requestId}:${due}`,
        io.parent(promise.requestId),
        buildDueAsk(promise, owners, ctx, today),
      );
      services.promises.setDueMessageTs(promise.requestId, sent.messageTs);
      return sent;
    }
    case 'promise.remind': {
      if (!isOpen(promise)) return nothing;
      return io.postInThread(
        `promise-remind:${promise.requestId}:${due}`,
        io.parent(promise.requestId),
        buildPromiseReminder(promise, owners, ctx),
      );
    }
    case 'promise.due_update': {
      const ts = services.promises.dueMessageTs(promise.requestId);
      if (!ts) return nothing;
      const parent = io.parent(promise.requestId);
      // Rendered from the current state: repeating an update is harmless, so no lookup.
      await io.client.chat.update({
        channel: parent.channelId,
        ts,
        ...buildDueAsk(promise, owners, ctx, today),
      });
      return { channelId: parent.channelId, messageTs: ts };
    }
    case 'promise.seller_told': {
      const parent = io.locations.parentLocation(promise.requestId);
      const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
      // One DM per slip and per delivery: the counts say which step this one is about.
      const key = `promise-seller:${promise.requestId}:${promise.slips.length}:${promise.deliveries.length}`;
      return io.dm(key, promise.sellerId, buildSellerToldDm(promise, ctx, link));
    }
    case 'promise.notice': {
      const history = services.store.history(promise.requestId).filter((e) => e.type === n.event);
      const event = history.at(-1);
      if (!event) return nothing;
      return io.postInThread(
        `promise-notice:${promise.requestId}:${n.event}:${history.length}`,
        io.parent(promise.requestId),
        buildPromiseNotice(promise, event, ctx),
      );
    }
  }
}
