// Turns a queued notification into Web API calls: looks up its kind's presenter and gives it the
// state and the Slack calls it needs. Everything a presenter may need is required here, at
// construction, so no delivery finds a part missing at run time.
import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config.js';
import { delegatesFor } from '../../domain/delegation.js';
import { competitionOf, liveCheck, requestsLoading } from '../../services/capacity.js';
import type { ServiceDeps } from '../../services/deps.js';
import type { HomeDeps } from '../../services/home.js';
import type { DeliveryReceipt, Notification, NotificationKind } from '../../services/notifications.js';
import { ownerDirectory } from '../../services/owners.js';
import type { MessageLocations } from '../../services/ports.js';
import { messageLink, type RenderContext } from '../views/render-context.js';
import { createPostOnce, type DeliveryAttempt } from './post-once.js';
import { type DeliveryContext, type Presenters, presenters } from './presenters.js';
import { PermanentDeliveryError } from './slack-errors.js';

export function renderContext(config: Config): RenderContext {
  return { currency: config.currency, locale: config.locale, productLines: config.product_lines };
}

export interface NotifierDeps {
  readonly client: WebClient;
  readonly config: Config;
  /** Requests, owners and delegations (for the delegates mentioned on sign-off messages). */
  readonly services: ServiceDeps;
  readonly locations: MessageLocations;
  /** App Home reads, for home.update. */
  readonly home: HomeDeps;
  /** Posts a week's digest (slack/digest-poster.ts). */
  readonly postDigest: (weekStart: string) => Promise<unknown>;
}

export function createNotifier(deps: NotifierDeps) {
  const { client, config, services, locations } = deps;
  const postOnce = createPostOnce(client);
  const ctx = renderContext(config);
  const context = (attempt: DeliveryAttempt): DeliveryContext => {
    const post: DeliveryContext['post'] = async (key, target, message) => {
      const sent = await postOnce(attempt, key, target, message);
      return { channelId: sent.channel, messageTs: sent.ts, skipped: sent.skipped };
    };
    return {
      config,
      ctx,
      client,
      locations,
      home: deps.home,
      postDigest: deps.postDigest,
      request(requestId) {
        const request = services.store.loadRequest(requestId);
        if (!request) throw new PermanentDeliveryError('request_not_found');
        // Nobody decides on a frozen verdict: an open request shows today's figures.
        return request.status === 'pending'
          ? { ...request, capacityCheck: liveCheck(services, request) }
          : request;
      },
      competition: (request) => competitionOf(services, request),
      rerenderWeek(productLineId, weekStart) {
        // Messages not posted yet are skipped: their post renders today's figures anyway.
        const updates: Notification[] = [];
        for (const requestId of requestsLoading(services, productLineId, weekStart)) {
          if (!locations.parentLocation(requestId)) continue;
          updates.push({ kind: 'parent.update', requestId });
          for (const s of services.store.loadRequest(requestId)?.signOffs ?? [])
            if (s.status === 'pending' && locations.signOffMessageTs(s.id))
              updates.push({ kind: 'signoff.update', requestId, signOffId: s.id });
        }
        if (updates.length) services.outbox.enqueue(updates, services.clock.now(), { background: true });
        return updates.length;
      },
      parent(request) {
        const at = locations.parentLocation(request.id);
        if (!at) throw new PermanentDeliveryError('parent_not_posted');
        return at;
      },
      link(request) {
        const at = locations.parentLocation(request.id);
        return at ? messageLink(at.channelId, at.messageTs) : null;
      },
      delegatesOf: (owners) => delegatesFor(owners, ownerDirectory(services, services.clock.now())),
      post,
      async dm(key, users, message) {
        const opened = await client.conversations.open({ users });
        const channel = opened.channel?.id;
        if (!channel) throw new PermanentDeliveryError('no_dm_channel');
        return post(key, { channel }, message);
      },
    };
  };

  return function deliver(
    n: Notification,
    attempt: DeliveryAttempt = { uncertain: false },
  ): Promise<DeliveryReceipt> {
    return present(presenters, n.kind, n, context(attempt));
  };
}

function present<K extends NotificationKind>(
  table: Presenters,
  kind: K,
  n: Extract<Notification, { readonly kind: K }>,
  d: DeliveryContext,
): Promise<DeliveryReceipt> {
  return table[kind](n, d);
}
