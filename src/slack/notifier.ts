// Turns queued notifications into Web API calls, rendering each from the state at delivery time.
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { delegatesFor } from '../domain/delegation.js';
import type { DeliveryFailure } from '../jobs/outbox.js';
import type { ServiceDeps } from '../services/deps.js';
import { ownerDirectory } from '../services/owners.js';
import type { Notification, RequestStore } from '../services/ports.js';
import { buildChangesDm, buildCounterDm, buildThreadNotice } from './views/negotiation-messages.js';
import { messageLink, type RenderContext } from './views/render-context.js';
import { buildOutcomeDm, buildParentMessage, buildSignOffMessage } from './views/request-messages.js';

export class PermanentDeliveryError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export function renderContext(config: Config): RenderContext {
  return { currency: config.currency, productLines: config.product_lines };
}

export function createNotifier(deps: {
  client: WebClient;
  store: RequestStore;
  config: Config;
  /** For delegates to mention on sign-off messages (absent: none are mentioned). */
  services?: ServiceDeps;
}) {
  const { client, store, config } = deps;
  const delegatesOf = (owners: readonly string[]) => {
    const services = deps.services;
    return services ? delegatesFor(owners, ownerDirectory(services, services.clock.now())) : [];
  };
  const ctx = renderContext(config);
  const quiet = { unfurl_links: false, unfurl_media: false } as const;

  return async function deliver(n: Notification): Promise<void> {
    const request = store.loadRequest(n.requestId);
    if (!request) throw new PermanentDeliveryError('request_not_found');
    switch (n.kind) {
      case 'parent.post': {
        // Posted already (a crash after Slack answered but before the outbox row was closed).
        if (store.parentLocation(request.id)) return;
        const message = buildParentMessage(request, ctx);
        const res = await client.chat.postMessage({
          channel: config.channels.requests,
          ...message,
          ...quiet,
        });
        if (!res.ts || !res.channel) throw new PermanentDeliveryError('no_ts_in_response');
        store.setParentLocation(request.id, { channelId: res.channel, messageTs: res.ts });
        return;
      }
      case 'parent.update': {
        const at = store.parentLocation(request.id);
        if (!at) throw new PermanentDeliveryError('parent_not_posted');
        await client.chat.update({
          channel: at.channelId,
          ts: at.messageTs,
          ...buildParentMessage(request, ctx),
        });
        return;
      }
      case 'signoff.post': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        if (!signOff) throw new PermanentDeliveryError('signoff_not_found');
        if (store.signOffMessageTs(signOff.id)) return;
        const parent = store.parentLocation(request.id);
        if (!parent) throw new PermanentDeliveryError('parent_not_posted');
        const res = await client.chat.postMessage({
          channel: parent.channelId,
          thread_ts: parent.messageTs,
          ...buildSignOffMessage(request, signOff, ctx, delegatesOf(signOff.owners)),
          ...quiet,
        });
        if (!res.ts) throw new PermanentDeliveryError('no_ts_in_response');
        store.setSignOffMessageTs(signOff.id, res.ts);
        return;
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
        return;
      }
      case 'seller.outcome': {
        const parent = store.parentLocation(request.id);
        const dm = await client.conversations.open({ users: request.sellerId });
        const channel = dm.channel?.id;
        if (!channel) throw new PermanentDeliveryError('no_dm_channel');
        const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
        await client.chat.postMessage({ channel, ...buildOutcomeDm(request, ctx, link), ...quiet });
        return;
      }
      case 'seller.counter': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        if (!signOff) throw new PermanentDeliveryError('signoff_not_found');
        const parent = store.parentLocation(request.id);
        const dm = await client.conversations.open({ users: request.sellerId });
        const channel = dm.channel?.id;
        if (!channel) throw new PermanentDeliveryError('no_dm_channel');
        const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
        await client.chat.postMessage({ channel, ...buildCounterDm(request, signOff, ctx, link), ...quiet });
        return;
      }
      case 'seller.changes': {
        const signOff = request.signOffs.find((s) => s.id === n.signOffId);
        const parent = store.parentLocation(request.id);
        const dm = await client.conversations.open({ users: request.sellerId });
        const channel = dm.channel?.id;
        if (!channel) throw new PermanentDeliveryError('no_dm_channel');
        const link = parent ? messageLink(parent.channelId, parent.messageTs) : null;
        await client.chat.postMessage({
          channel,
          ...buildChangesDm(request, signOff, n.reason, link),
          ...quiet,
        });
        return;
      }
      case 'thread.notice': {
        const parent = store.parentLocation(request.id);
        if (!parent) throw new PermanentDeliveryError('parent_not_posted');
        await client.chat.postMessage({
          channel: parent.channelId,
          thread_ts: parent.messageTs,
          ...buildThreadNotice(request, n.notice),
          ...quiet,
        });
        return;
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
      return { kind: 'retry', code: 'request_error' };
    default:
      return { kind: 'retry', code: error instanceof Error ? error.name : 'unknown_error' };
  }
}
