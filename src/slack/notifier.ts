// Turns queued notifications into Web API calls, rendering each from the state at delivery time.
import { createHash } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { localDate } from '../domain/calendar.js';
import { delegatesFor } from '../domain/delegation.js';
import type { DeliveryFailure, DeliveryReceipt } from '../jobs/outbox.js';
import type { ServiceDeps } from '../services/deps.js';
import { buildHomeFor, type HomeDeps } from '../services/home.js';
import { ownerDirectory } from '../services/owners.js';
import type { Notification, RequestStore } from '../services/ports.js';
import { deliverPromiseNotification, PromiseGoneError } from './promise-delivery.js';
import { buildDeliveryFailureDm } from './views/delivery-failure.js';
import { buildHomeView } from './views/home.js';
import { buildChangesDm, buildCounterDm, buildThreadNotice } from './views/negotiation-messages.js';
import { buildEscalationMessage, buildReminderMessage } from './views/reminders.js';
import { messageLink, type RenderContext } from './views/render-context.js';
import {
  buildOutcomeDm,
  buildParentMessage,
  buildSignOffMessage,
  type SlackMessage,
} from './views/request-messages.js';

export class PermanentDeliveryError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export function renderContext(config: Config): RenderContext {
  return { currency: config.currency, productLines: config.product_lines };
}

/** What the dispatcher knows about this attempt. */
export interface DeliveryAttempt {
  /**
   * An earlier attempt may have reached Slack without us hearing back (a timeout, a 5xx, a crash
   * mid-call): posts then look for their own tagged message before posting again.
   */
  readonly uncertain: boolean;
}

/** Message metadata every post carries, so a post whose answer was lost can be found again. */
export const DELIVERY_EVENT_TYPE = 'commit_gate_delivery';
const LOOKBACK = 200;

interface HistoryMessage {
  readonly ts?: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: { readonly key?: unknown } };
}

function findTagged(messages: readonly HistoryMessage[] | undefined, key: string): string | null {
  const found = messages?.find(
    (m) => m.metadata?.event_type === DELIVERY_EVENT_TYPE && m.metadata.event_payload?.key === key,
  );
  return found?.ts ?? null;
}

export function createNotifier(deps: {
  client: WebClient;
  store: RequestStore;
  config: Config;
  /** App Home reads; without them home.update deliveries are given up. */
  home?: HomeDeps;
  /** Posts a week's digest (slack/digest-poster.ts); absent where no digest is sent. */
  postDigest?: (weekStart: string) => Promise<unknown>;
  /** For delegates to mention on sign-off messages (absent: none are mentioned). */
  services?: ServiceDeps;
}) {
  const { client, store, config } = deps;
  const promiseOf = (requestId: number) => deps.services?.promises.loadPromise(requestId) ?? null;
  const today = () => (deps.services ? localDate(deps.services.clock.now(), config.timezone) : undefined);
  const delegatesOf = (owners: readonly string[]) => {
    const services = deps.services;
    return services ? delegatesFor(owners, ownerDirectory(services, services.clock.now())) : [];
  };
  const ctx = renderContext(config);
  const quiet = { unfurl_links: false, unfurl_media: false } as const;
  const tag = (key: string) => ({ metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key } } });

  /** The ts of the message tagged `key` in a channel (or thread), if an earlier attempt posted it. */
  const alreadyPosted = async (channel: string, key: string, thread?: string): Promise<string | null> => {
    const res = thread
      ? await client.conversations.replies({
          channel,
          ts: thread,
          include_all_metadata: true,
          limit: LOOKBACK,
        })
      : await client.conversations.history({ channel, include_all_metadata: true, limit: LOOKBACK });
    return findTagged(res.messages as HistoryMessage[] | undefined, key);
  };

  /** Posts once: after an uncertain attempt, finds the earlier post instead of repeating it. */
  const postOnce = async (
    attempt: DeliveryAttempt,
    key: string,
    args: { channel: string; thread_ts?: string } & SlackMessage,
  ): Promise<{ channel: string; ts: string; skipped: boolean }> => {
    if (attempt.uncertain) {
      const ts = await alreadyPosted(args.channel, key, args.thread_ts).catch((error: unknown) => {
        // An install that predates the history scopes cannot look: post (a rare duplicate beats
        // a lost message); any other failure is retried like the post itself.
        if ((error as { data?: { error?: unknown } }).data?.error === 'missing_scope') return null;
        throw error;
      });
      if (ts) return { channel: args.channel, ts, skipped: true };
    }
    const res = await client.chat.postMessage({ ...args, ...quiet, ...tag(key) });
    if (!res.ts) throw new PermanentDeliveryError('no_ts_in_response');
    return { channel: res.channel ?? args.channel, ts: res.ts, skipped: false };
  };

  const dm = async (attempt: DeliveryAttempt, key: string, userId: string, message: SlackMessage) => {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new PermanentDeliveryError('no_dm_channel');
    const sent = await postOnce(attempt, key, { channel, ...message });
    return { channelId: sent.channel, messageTs: sent.ts, skipped: sent.skipped };
  };

  return async function deliver(
    n: Notification,
    attempt: DeliveryAttempt = { uncertain: false },
  ): Promise<DeliveryReceipt> {
    // Not Slack's: the runtime routes webhooks to src/api/webhooks/ before they reach here.
    if (n.kind === 'webhook.deliver') throw new PermanentDeliveryError('not_a_slack_delivery');
    if (n.kind === 'home.update') {
      if (!deps.home) throw new PermanentDeliveryError('home_not_configured');
      // Rendered now, from the current state: a refresh queued minutes ago still shows the truth.
      const view = buildHomeView(buildHomeFor(deps.home, n.userId), ctx);
      await client.views.publish({ user_id: n.userId, view });
      return { channelId: null, messageTs: null };
    }
    if (n.kind === 'digest.post') {
      if (!deps.postDigest) throw new PermanentDeliveryError('digest_not_configured');
      // The poster records each message it posted in job_runs, so a retry never posts twice.
      await deps.postDigest(n.weekStart);
      return { channelId: config.channels.digest, messageTs: null };
    }
    const request = store.loadRequest(n.requestId);
    if (!request) throw new PermanentDeliveryError('request_not_found');
    switch (n.kind) {
      case 'parent.post': {
        // Posted already (a crash after Slack answered but before the outbox row was closed).
        const posted = store.parentLocation(request.id);
        if (posted) return { ...posted, skipped: true };
        const sent = await postOnce(attempt, `parent:${request.id}`, {
          channel: config.channels.requests,
          ...buildParentMessage(request, ctx, promiseOf(request.id), today()),
        });
        store.setParentLocation(request.id, { channelId: sent.channel, messageTs: sent.ts });
        return { channelId: sent.channel, messageTs: sent.ts, skipped: sent.skipped };
      }
      case 'parent.update': {
        const at = store.parentLocation(request.id);
        if (!at) throw new PermanentDeliveryError('parent_not_posted');
        // Rendered from the current state: repeating an update is harmless, so no lookup.
        await client.chat.update({
          channel: at.channelId,
          ts: at.messageTs,
          ...buildParentMessage(request, ctx, promiseOf(request.id), today()),
        });
        return at;
      }
      case 'signoff.post': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        if (!signOff) throw new PermanentDeliveryError('signoff_not_found');
        const postedTs = store.signOffMessageTs(signOff.id);
        const parent = store.parentLocation(request.id);
        if (postedTs) return { channelId: parent?.channelId ?? null, messageTs: postedTs, skipped: true };
        if (!parent) throw new PermanentDeliveryError('parent_not_posted');
        const sent = await postOnce(attempt, `signoff:${signOff.id}`, {
          channel: parent.channelId,
          thread_ts: parent.messageTs,
          ...buildSignOffMessage(request, signOff, ctx, delegatesOf(signOff.owners)),
        });
        store.setSignOffMessageTs(signOff.id, sent.ts);
        return { channelId: sent.channel, messageTs: sent.ts, skipped: sent.skipped };
      }
      case 'signoff.update': {
        const signOff = [...request.signOffs, ...(request.retiredSignOffs ?? [])].find(
          (s) => s.id === n.signOffId,
        );
        if (!signOff) throw new PermanentDeliveryError('signoff_not_found');
        const ts = store.signOffMessageTs(signOff.id);
        const parent = store.parentLocation(request.id);
        if (!ts || !parent) throw new PermanentDeliveryError('signoff_not_posted');
        await client.chat.update({
          channel: parent.channelId,
          ts,
          ...buildSignOffMessage(request, signOff, ctx, delegatesOf(signOff.owners)),
        });
        return { channelId: parent.channelId, messageTs: ts };
      }
      case 'seller.outcome': {
        const parent = store.parentLocation(request.id);
        const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
        return dm(attempt, `outcome:${request.id}`, request.sellerId, buildOutcomeDm(request, ctx, link));
      }
      case 'delivery.failed':
        return dm(
          attempt,
          `report:${request.id}:${n.userId}:${n.code}`,
          n.userId,
          buildDeliveryFailureDm({
            request,
            failedKind: n.failedKind,
            code: n.code,
            requestsChannel: config.channels.requests,
            toSeller: n.userId === request.sellerId,
          }),
        );
      case 'promise.ask_on_track':
      case 'promise.ask_due':
      case 'promise.remind':
      case 'promise.due_update':
      case 'promise.seller_told':
      case 'promise.notice': {
        const services = deps.services;
        if (!services) throw new PermanentDeliveryError('promises_not_configured');
        return deliverPromiseNotification(n, {
          services,
          ctx,
          client,
          parent: (requestId) => {
            const at = store.parentLocation(requestId);
            if (!at) throw new PermanentDeliveryError('parent_not_posted');
            return at;
          },
          postInThread: async (key, parent, message) => {
            const sent = await postOnce(attempt, key, {
              channel: parent.channelId,
              thread_ts: parent.messageTs,
              ...message,
            });
            return { channelId: sent.channel, messageTs: sent.ts, skipped: sent.skipped };
          },
          dm: (key, userId, message) => dm(attempt, key, userId, message),
        }).catch((error: unknown) => {
          if (error instanceof PromiseGoneError) throw new PermanentDeliveryError(error.code);
          throw error;
        });
      }
      case 'signoff.remind': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        // Decided (or closed) since the reminder was due: nothing to remind anyone of.
        if (signOff?.status !== 'pending' || request.status !== 'pending')
          return { channelId: null, messageTs: null, skipped: true };
        const parent = store.parentLocation(request.id);
        if (!parent) throw new PermanentDeliveryError('parent_not_posted');
        const sent = await postOnce(attempt, `remind:${signOff.id}`, {
          channel: parent.channelId,
          thread_ts: parent.messageTs,
          ...buildReminderMessage(request, signOff, config.reminders.remind_after_hours),
        });
        return { channelId: sent.channel, messageTs: sent.ts, skipped: sent.skipped };
      }
      case 'leadership.escalate': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        if (signOff?.status !== 'pending' || request.status !== 'pending')
          return { channelId: null, messageTs: null, skipped: true };
        const parent = store.parentLocation(request.id);
        const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
        const message = buildEscalationMessage(
          request,
          signOff,
          config.reminders.escalate_after_hours,
          ctx,
          link,
        );
        // One group DM with all of leadership (conversations.open takes at most 8 users); each
        // group's post is tagged, so a retry after a partial delivery skips the groups already told.
        let last: { channel: string; ts: string; skipped: boolean } | null = null;
        for (let i = 0; i < config.leadership.length; i += 8) {
          const opened = await client.conversations.open({
            users: config.leadership.slice(i, i + 8).join(','),
          });
          const channel = opened.channel?.id;
          if (!channel) throw new PermanentDeliveryError('no_dm_channel');
          last = await postOnce(attempt, `escalate:${signOff.id}:${i}`, { channel, ...message });
        }
        return {
          channelId: last?.channel ?? null,
          messageTs: last?.ts ?? null,
          skipped: last?.skipped ?? true,
        };
      }
      case 'seller.counter': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        if (!signOff) throw new PermanentDeliveryError('signoff_not_found');
        const parent = store.parentLocation(request.id);
        const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
        const key = `counter:${signOff.id}:${signOff.proposal?.date ?? 'none'}`;
        return dm(attempt, key, request.sellerId, buildCounterDm(request, signOff, ctx, link));
      }
      case 'seller.changes': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        const parent = store.parentLocation(request.id);
        const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
        const key = `changes:${request.id}:v${request.version}:${n.signOffId}`;
        return dm(attempt, key, request.sellerId, buildChangesDm(request, signOff, n.reason, link));
      }
      case 'thread.notice': {
        const parent = store.parentLocation(request.id);
        if (!parent) throw new PermanentDeliveryError('parent_not_posted');
        // A notice is identified by what it says: the same notice is never posted twice.
        const key = `notice:${request.id}:${createHash('sha256').update(JSON.stringify(n.notice)).digest('hex').slice(0, 16)}`;
        const sent = await postOnce(attempt, key, {
          channel: parent.channelId,
          thread_ts: parent.messageTs,
          ...buildThreadNotice(request, n.notice),
        });
        return { channelId: sent.channel, messageTs: sent.ts, skipped: sent.skipped };
      }
    }
  };
}

// Slack errors that will not go away by trying again: a person must fix the cause.
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'invalid_arguments',
  'team_access_not_granted',
]);

interface SlackErrorShape {
  code?: unknown;
  data?: { error?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
}

export function classifySlackError(error: unknown): DeliveryFailure {
  if (error instanceof PermanentDeliveryError) return { kind: 'permanent', code: error.code };
  const e = (error ?? {}) as SlackErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
      return { kind: 'retry', code: 'ratelimited', afterMs: seconds * 1000 };
    }
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      return PERMANENT.has(code) ? { kind: 'permanent', code } : { kind: 'retry', code };
    }
    case 'slack_webapi_http_error':
      return { kind: 'retry', code: `http_${typeof e.statusCode === 'number' ? e.statusCode : 'error'}` };
    case 'slack_webapi_request_error':
      // A timeout or a dropped connection: the call may have reached Slack all the same.
      return { kind: 'retry', code: 'request_error', unanswered: true };
    default:
      return { kind: 'retry', code: error instanceof Error ? error.name : 'unknown_error' };
  }
}
