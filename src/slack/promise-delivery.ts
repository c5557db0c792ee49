// Delivery of the promise notifications: each rendered from the promise as it is when delivered
// (a queued ask about a promise answered meanwhile tells nothing and is skipped), each post keyed
// so that a retry after an unanswered call finds the earlier post instead of repeating it.
import { localDate } from '../domain/calendar.js';
import { dueOn, isOpen } from '../domain/promise.js';
import { businessDaysBetween } from '../domain/promise-schedule.js';
import type { ServiceDeps } from '../services/deps.js';
import type { DeliveryReceipt, PromiseNotification } from '../services/notifications.js';
import { confirmerIds } from '../services/promises.js';
import type { DeliveryContext } from './delivery/presenters.js';
import { PermanentDeliveryError } from './delivery/slack-errors.js';
import {
  buildDueAsk,
  buildOnTrackAsk,
  buildPromiseNotice,
  buildPromiseReminder,
  buildSellerToldDm,
} from './views/promises.js';
import type { SlackMessage } from './views/request-messages.js';

const nothing: DeliveryReceipt = { channelId: null, messageTs: null, skipped: true };

/** The services a promise presenter reads from (App Home's deps carry them). */
const servicesOf = (d: DeliveryContext): ServiceDeps => d.home.services;

export async function deliverPromiseNotification(
  n: PromiseNotification,
  d: DeliveryContext,
): Promise<DeliveryReceipt> {
  const services = servicesOf(d);
  const { ctx } = d;
  const parentOf = () => d.parent(d.request(n.requestId));
  const inThread = (key: string, message: SlackMessage) => {
    const parent = parentOf();
    return d.post(key, { channel: parent.channelId, thread_ts: parent.messageTs }, message);
  };
  const promise = services.promises.loadPromise(n.requestId);
  if (!promise) throw new PermanentDeliveryError('promise_not_found');
  const owners = confirmerIds(services);
  const due = dueOn(promise);
  const today = localDate(services.clock.now(), services.config.timezone);
  switch (n.kind) {
    case 'promise.ask_on_track': {
      if (!isOpen(promise)) return nothing;
      const days = businessDaysBetween(today, due, services.config.reminders.business_hours.days);
      return inThread(
        `promise-on-track:${promise.requestId}:${due}`,
        buildOnTrackAsk(promise, owners, days, ctx),
      );
    }
    case 'promise.ask_due': {
      if (!isOpen(promise)) return nothing;
      const sent = await inThread(
        `promise-due:${promise.requestId}:${due}`,
        buildDueAsk(promise, owners, ctx, today),
      );
      services.promises.setDueMessageTs(promise.requestId, sent.messageTs);
      return sent;
    }
    case 'promise.remind': {
      if (!isOpen(promise)) return nothing;
      return inThread(
        `promise-remind:${promise.requestId}:${due}`,
        buildPromiseReminder(promise, owners, ctx),
      );
    }
    case 'promise.due_update': {
      const ts = services.promises.dueMessageTs(promise.requestId);
      if (!ts) return nothing;
      const parent = parentOf();
      // Rendered from the current state: repeating an update is harmless, so no lookup.
      await d.client.chat.update({
        channel: parent.channelId,
        ts,
        ...buildDueAsk(promise, owners, ctx, today),
      });
      return { channelId: parent.channelId, messageTs: ts };
    }
    case 'promise.seller_told': {
      const link = d.link(d.request(promise.requestId));
      // One DM per slip and per delivery: the counts say which step this one is about.
      const key = `promise-seller:${promise.requestId}:${promise.slips.length}:${promise.deliveries.length}`;
      return d.dm(key, promise.sellerId, buildSellerToldDm(promise, ctx, link));
    }
    case 'promise.notice': {
      const history = services.store.history(promise.requestId).filter((e) => e.type === n.event);
      const event = history.at(-1);
      if (!event) return nothing;
      return inThread(
        `promise-notice:${promise.requestId}:${n.event}:${history.length}`,
        buildPromiseNotice(promise, event, ctx),
      );
    }
  }
}
