// One small presenter per notification kind: what it renders (a pure `build*` view, from the state
// at delivery time) and where it goes. Adding a kind: name it in services/notifications.ts, add
// its presenter here (the table's type makes a missing one a compile error), enqueue it.
import { createHash } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config.js';
import { localDate } from '../../domain/calendar.js';
import type { Competition } from '../../domain/capacity-plan.js';
import type { delegatesFor } from '../../domain/delegation.js';
import type { CommitPromise } from '../../domain/promise.js';
import type { CommitRequest, SignOff } from '../../domain/request.js';
import type { HomeDeps } from '../../services/home.js';
import { buildHomeFor } from '../../services/home.js';
import type { DeliveryReceipt, Notification, NotificationKind } from '../../services/notifications.js';
import type { MessageLocations, SlackLocation } from '../../services/ports.js';
import { deliverPromiseNotification } from '../promise-delivery.js';
import { buildDeliveryFailureDm } from '../views/delivery-failure.js';
import { buildHomeView } from '../views/home.js';
import { buildChangesDm, buildCounterDm, buildThreadNotice } from '../views/negotiation-messages.js';
import { buildEscalationMessage, buildReminderMessage } from '../views/reminders.js';
import type { RenderContext } from '../views/render-context.js';
import {
  buildOutcomeDm,
  buildParentMessage,
  buildSignOffMessage,
  type SlackMessage,
} from '../views/request-messages.js';
import type { PostTarget } from './post-once.js';
import { PermanentDeliveryError } from './slack-errors.js';

/** A post that landed (or had landed before, `skipped`). */
export interface Sent {
  readonly channelId: string;
  readonly messageTs: string;
  readonly skipped: boolean;
}

/** What a presenter may use: the state to render from and the ways to reach Slack. */
export interface DeliveryContext {
  readonly config: Config;
  readonly ctx: RenderContext;
  readonly client: WebClient;
  readonly locations: MessageLocations;
  readonly home: HomeDeps;
  readonly postDigest: (weekStart: string) => Promise<unknown>;
  /**
   * The request as it is now, an open one with today's capacity figures (the figures at submit
   * stay in its history); a permanent `request_not_found` when it is gone.
   */
  request(requestId: number): CommitRequest;
  /** The posted parent message; a permanent `parent_not_posted` when there is none. */
  parent(request: CommitRequest): SlackLocation;
  /** A link to the parent message, or null before it is posted. */
  link(request: CommitRequest): string | null;
  /** The pending requests this one competes with for its week (Operations messages), if any. */
  competition(request: CommitRequest): Competition | null;
  /**
   * Queues a re-render of the posted parent and pending sign-off messages of every open request
   * loading a week (capacity.update): returns how many messages.
   */
  rerenderWeek(productLineId: string, weekStart: string | null): number;
  /** Delegates to mention beside these owners today. */
  delegatesOf(owners: readonly string[]): ReturnType<typeof delegatesFor>;
  /** Posts once under `key` (post-once.ts). */
  post(key: string, target: PostTarget, message: SlackMessage): Promise<Sent>;
  /** Posts once under `key` in a DM with these users (comma-separated, at most 8). */
  dm(key: string, users: string, message: SlackMessage): Promise<Sent>;
}

type NotificationOf<K extends NotificationKind> = Extract<Notification, { readonly kind: K }>;
export type Presenter<K extends NotificationKind> = (
  n: NotificationOf<K>,
  d: DeliveryContext,
) => Promise<DeliveryReceipt>;
export type Presenters = { readonly [K in NotificationKind]: Presenter<K> };

const nothing: DeliveryReceipt = { channelId: null, messageTs: null, skipped: true };

function signOffOf(request: CommitRequest, signOffId: number, withRetired = false): SignOff {
  const all = withRetired ? [...request.signOffs, ...(request.retiredSignOffs ?? [])] : request.signOffs;
  const signOff = all.find((s) => s.id === signOffId);
  if (!signOff) throw new PermanentDeliveryError('signoff_not_found');
  return signOff;
}

/** Still waiting: a reminder or escalation about a sign-off decided since it was due tells nothing. */
function stillWaiting(request: CommitRequest, signOffId: number): SignOff | null {
  const signOff = request.signOffs.find((s) => s.id === signOffId);
  return signOff?.status === 'pending' && request.status === 'pending' ? signOff : null;
}

const inThread = (parent: SlackLocation): PostTarget => ({
  channel: parent.channelId,
  thread_ts: parent.messageTs,
});

/** The request's promise and today's day, for the parent message's promise line. */
function promiseOf(d: DeliveryContext, requestId: number): [CommitPromise | null, string] {
  const { promises, clock } = d.home.services;
  return [promises.loadPromise(requestId), localDate(clock.now(), d.config.timezone)];
}

export const presenters: Presenters = {
  'capacity.update': async (n, d) => {
    // Fanned out here, not in the transaction that changed the load: the decision stays cheap, and
    // each message's update collapses with any other already queued for it.
    const messages = d.rerenderWeek(n.productLineId, n.weekStart);
    return { channelId: null, messageTs: null, skipped: messages === 0 };
  },

  'home.update': async (n, d) => {
    // Rendered now, from the current state: a refresh queued minutes ago still shows the truth.
    await d.client.views.publish({
      user_id: n.userId,
      view: buildHomeView(buildHomeFor(d.home, n.userId), d.ctx),
    });
    return { channelId: null, messageTs: null };
  },

  'digest.post': async (n, d) => {
    // The poster records each message it posted in job_runs, so a retry never posts twice.
    await d.postDigest(n.weekStart);
    return { channelId: d.config.channels.digest, messageTs: null };
  },

  'parent.post': async (n, d) => {
    const request = d.request(n.requestId);
    // Posted already (a crash after Slack answered but before the outbox row was closed).
    const posted = d.locations.parentLocation(request.id);
    if (posted) return { ...posted, skipped: true };
    const sent = await d.post(
      `parent:${request.id}`,
      { channel: d.config.channels.requests },
      buildParentMessage(request, d.ctx, ...promiseOf(d, request.id)),
    );
    d.locations.setParentLocation(request.id, sent);
    return sent;
  },

  'parent.update': async (n, d) => {
    const request = d.request(n.requestId);
    const at = d.parent(request);
    // Rendered from the current state: repeating an update is harmless, so no lookup.
    await d.client.chat.update({
      channel: at.channelId,
      ts: at.messageTs,
      ...buildParentMessage(request, d.ctx, ...promiseOf(d, request.id)),
    });
    return at;
  },

  'signoff.post': async (n, d) => {
    const request = d.request(n.requestId);
    const signOff = signOffOf(request, n.signOffId);
    const postedTs = d.locations.signOffMessageTs(signOff.id);
    if (postedTs)
      return {
        channelId: d.locations.parentLocation(request.id)?.channelId ?? null,
        messageTs: postedTs,
        skipped: true,
      };
    const sent = await d.post(
      `signoff:${signOff.id}`,
      inThread(d.parent(request)),
      buildSignOffMessage(request, signOff, d.ctx, d.delegatesOf(signOff.owners), d.competition(request)),
    );
    d.locations.setSignOffMessageTs(signOff.id, sent.messageTs);
    return sent;
  },

  'signoff.update': async (n, d) => {
    const request = d.request(n.requestId);
    const signOff = signOffOf(request, n.signOffId, true);
    const ts = d.locations.signOffMessageTs(signOff.id);
    const parent = d.locations.parentLocation(request.id);
    if (!ts || !parent) throw new PermanentDeliveryError('signoff_not_posted');
    await d.client.chat.update({
      channel: parent.channelId,
      ts,
      ...buildSignOffMessage(request, signOff, d.ctx, d.delegatesOf(signOff.owners), d.competition(request)),
    });
    return { channelId: parent.channelId, messageTs: ts };
  },

  'seller.outcome': async (n, d) => {
    const request = d.request(n.requestId);
    return d.dm(`outcome:${request.id}`, request.sellerId, buildOutcomeDm(request, d.ctx, d.link(request)));
  },

  'delivery.failed': async (n, d) => {
    const request = d.request(n.requestId);
    return d.dm(
      `report:${request.id}:${n.userId}:${n.code}`,
      n.userId,
      buildDeliveryFailureDm({
        request,
        failedKind: n.failedKind,
        code: n.code,
        requestsChannel: d.config.channels.requests,
        toSeller: n.userId === request.sellerId,
      }),
    );
  },

  'signoff.remind': async (n, d) => {
    const request = d.request(n.requestId);
    const signOff = stillWaiting(request, n.signOffId);
    if (!signOff) return nothing;
    return d.post(
      `remind:${signOff.id}`,
      inThread(d.parent(request)),
      buildReminderMessage(request, signOff, d.config.reminders.remind_after_hours),
    );
  },

  'leadership.escalate': async (n, d) => {
    const request = d.request(n.requestId);
    const signOff = stillWaiting(request, n.signOffId);
    if (!signOff) return nothing;
    const message = buildEscalationMessage(
      request,
      signOff,
      d.config.reminders.escalate_after_hours,
      d.ctx,
      d.link(request),
      n.reason,
    );
    // One group DM with all of leadership (conversations.open takes at most 8 users); each
    // group's post is tagged, so a retry after a partial delivery skips the groups already told.
    let last: DeliveryReceipt = nothing;
    for (let i = 0; i < d.config.leadership.length; i += 8)
      last = await d.dm(
        `escalate:${signOff.id}:${i}`,
        d.config.leadership.slice(i, i + 8).join(','),
        message,
      );
    return last;
  },

  'seller.counter': async (n, d) => {
    const request = d.request(n.requestId);
    const signOff = signOffOf(request, n.signOffId);
    return d.dm(
      `counter:${signOff.id}:${signOff.proposal?.date ?? 'none'}`,
      request.sellerId,
      buildCounterDm(request, signOff, d.ctx, d.link(request)),
    );
  },

  'seller.changes': async (n, d) => {
    const request = d.request(n.requestId);
    const signOff = request.signOffs.find((s) => s.id === n.signOffId);
    return d.dm(
      `changes:${request.id}:v${request.version}:${n.signOffId}`,
      request.sellerId,
      buildChangesDm(request, signOff, n.reason, d.link(request)),
    );
  },

  'thread.notice': async (n, d) => {
    const request = d.request(n.requestId);
    // A notice is identified by what it says: the same notice is never posted twice.
    const digest = createHash('sha256').update(JSON.stringify(n.notice)).digest('hex').slice(0, 16);
    return d.post(
      `notice:${request.id}:${digest}`,
      inThread(d.parent(request)),
      buildThreadNotice(request, n.notice, d.ctx),
    );
  },

  // Promises (slack/promise-delivery.ts renders and keys each from the promise as it is now).
  'promise.ask_on_track': (n, d) => deliverPromiseNotification(n, d),
  'promise.ask_due': (n, d) => deliverPromiseNotification(n, d),
  'promise.remind': (n, d) => deliverPromiseNotification(n, d),
  'promise.due_update': (n, d) => deliverPromiseNotification(n, d),
  'promise.seller_told': (n, d) => deliverPromiseNotification(n, d),
  'promise.notice': (n, d) => deliverPromiseNotification(n, d),

  // Not Slack's: the runtime hands webhooks to src/api/webhooks/ before they reach this table.
  'webhook.deliver': async () => {
    throw new PermanentDeliveryError('not_a_slack_delivery');
  },
};
