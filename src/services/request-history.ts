import type { CommitPromise } from '../domain/promise.js';
import type { CommitRequest } from '../domain/request.js';
import type { ServiceDeps } from './deps.js';
import { authority } from './owners.js';
import type { StoredEvent } from './ports.js';

/**
 * Whether `userId` may read a request's details (customer, value, reasons): its seller, owners of
 * its functions (user group members and the delegates of away owners included) and leadership.
 */
export function mayRead(
  deps: Pick<ServiceDeps, 'delegations' | 'groups' | 'config' | 'clock'>,
  request: CommitRequest,
  userId: string,
): boolean {
  if (request.sellerId === userId || deps.config.leadership.includes(userId)) return true;
  const { isOwner } = authority(deps, deps.clock.now());
  return [...request.signOffs, ...(request.retiredSignOffs ?? [])].some((s) => isOwner(s, userId));
}

/** A request with its whole history and its promise (once cleared), whoever asks (the HTTP API). */
export function historyOf(
  deps: Pick<ServiceDeps, 'store' | 'promises'>,
  requestId: number,
): { request: CommitRequest; events: StoredEvent[]; promise: CommitPromise | null } | null {
  const request = deps.store.loadRequest(requestId);
  return request
    ? { request, events: deps.store.history(requestId), promise: deps.promises.loadPromise(requestId) }
    : null;
}

export type HistoryResult =
  | {
      readonly ok: true;
      readonly request: CommitRequest;
      readonly events: StoredEvent[];
      /** Its promise, once cleared. */
      readonly promise: CommitPromise | null;
    }
  | { readonly ok: false; readonly reason: 'unknown' }
  /** Not theirs to read: whom to ask instead (the seller and leadership). */
  | { readonly ok: false; readonly reason: 'not_allowed'; readonly ask: readonly string[] };

/** A request with its whole history and its promise (once cleared), for `/commit show`, if `viewerId` may read it. */
export function requestHistory(
  deps: Pick<ServiceDeps, 'store' | 'promises' | 'delegations' | 'groups' | 'config' | 'clock'>,
  requestId: number,
  viewerId: string,
): HistoryResult {
  const request = deps.store.loadRequest(requestId);
  if (!request) return { ok: false, reason: 'unknown' };
  if (!mayRead(deps, request, viewerId))
    return { ok: false, reason: 'not_allowed', ask: [request.sellerId, ...deps.config.leadership] };
  return {
    ok: true,
    request,
    events: deps.store.history(requestId),
    promise: deps.promises.loadPromise(requestId),
  };
}
