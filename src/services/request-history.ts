import type { CommitRequest } from '../domain/request.js';
import type { ServiceDeps } from './deps.js';
import type { StoredEvent } from './ports.js';

/** A request with its whole decision history, for `/commit show`. Read-only. */
export function requestHistory(
  deps: Pick<ServiceDeps, 'store'>,
  requestId: number,
): { request: CommitRequest; events: StoredEvent[] } | null {
  const request = deps.store.loadRequest(requestId);
  return request ? { request, events: deps.store.history(requestId) } : null;
}
