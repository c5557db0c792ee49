// Who is told when a delivery is given up: the request's seller, or leadership when the seller is
// the one who cannot be reached. Returns no report when nobody can act on it or it was caused by
// a failure reported already.

import type { Config } from '../../config.js';
import type { Notification } from '../../services/notifications.js';
import type { RequestStore } from '../../services/ports.js';
import { meaningOf } from './slack-errors.js';

export function createReportsFor(deps: {
  config: Config;
  store: Pick<RequestStore, 'loadRequest'>;
  /** Whether a webhook receiver's failure is already reported (an earlier delivery given up). */
  webhookGivenUp?: (url: string) => boolean;
}) {
  const { config, store } = deps;
  const toLeadership = (requestId: number, failedKind: string, code: string): Notification[] =>
    config.leadership.map((userId) => ({ kind: 'delivery.failed', requestId, userId, failedKind, code }));

  return function reportsFor(n: Notification, code: string): readonly Notification[] {
    // A consequence was reported with its cause; with a dead token no DM could go out either.
    if (meaningOf(code) === 'consequence' || meaningOf(code) === 'token_dead') return [];
    // A Home tab that could not be published is redrawn on the person's next open; a digest that
    // could not be posted is logged and shows in /healthz (it belongs to no request to report on).
    if (!('requestId' in n)) return [];
    // A receiver that refuses is leadership's to fix, and reported once per receiver (until
    // `npm run outbox:retry`), not once per event it missed.
    if (n.kind === 'webhook.deliver')
      return deps.webhookGivenUp?.(n.url) ? [] : toLeadership(n.requestId, n.kind, code);
    const request = store.loadRequest(n.requestId);
    if (!request) return [];
    if (n.kind === 'delivery.failed') {
      // A report that cannot reach the seller goes to leadership; one to leadership ends here.
      if (n.userId !== request.sellerId) return [];
      return toLeadership(n.requestId, n.failedKind, n.code).filter((r) =>
        r.kind === 'delivery.failed' ? r.userId !== request.sellerId : true,
      );
    }
    if (n.kind === 'seller.outcome') return toLeadership(n.requestId, n.kind, code);
    return [
      { kind: 'delivery.failed', requestId: n.requestId, userId: request.sellerId, failedKind: n.kind, code },
    ];
  };
}
