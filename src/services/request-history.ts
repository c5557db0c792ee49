import type { CommitPromise } from '../domain/promise.js';
import type { CommitRequest } from '../domain/request.js';
import type { ServiceDeps } from './deps.js';
import type { StoredEvent } from './ports.js';

/** A request with its whole history and its promise (once cleared), for `/commit show`. Read-only. */
export function requestHistory(
  deps: Pick<ServiceDeps, 'store' | 'promises'>,
  requestId: number,
): { request: CommitRequest; events: StoredEvent[]; promise: CommitPromise | null } | null {
  const request = deps.store.loadRequest(requestId);
  return request
    ? { request, events: deps.store.history(requestId), promise: deps.promises.loadPromise(requestId) }
    : null;
}
