import {
  type CommitRequest,
  type DecisionRefusal,
  decide,
  type RequestEvent,
  type SignOff,
  type Verdict,
} from '../domain/request.js';
import type { ServiceDeps } from './deps.js';
import { homeUpdatesFor } from './home.js';
import type { Notification } from './notifications.js';
import { authority } from './owners.js';

export interface DecideSignOffInput {
  readonly signOffId: number;
  readonly actorId: string;
  readonly verdict: Verdict;
  /** The request version shown on the button that was clicked. */
  readonly version?: number;
}

export type DecideSignOffResult =
  | {
      readonly ok: true;
      readonly request: CommitRequest;
      readonly signOff: SignOff;
      readonly events: readonly RequestEvent[];
    }
  | ({ readonly ok: false; readonly request: CommitRequest | null } & DecisionRefusal);

/** An owner decides a sign-off. Exactly once: a second or concurrent click is refused as a value. */
export function decideSignOff(deps: ServiceDeps, input: DecideSignOffInput): DecideSignOffResult {
  const { store, outbox, clock } = deps;
  const at = clock.now();
  const result = store.transaction((): DecideSignOffResult => {
    const requestId = store.requestIdForSignOff(input.signOffId);
    const before = requestId === null ? null : store.loadRequest(requestId);
    if (!before) return { ok: false, reason: 'unknown_signoff', request: null };
    const auth = authority(deps, at);
    const target = before.signOffs.find((s) => s.id === input.signOffId);
    const decided = decide(
      before,
      {
        signOffId: input.signOffId,
        actorId: input.actorId,
        verdict: input.verdict,
        at,
        onBehalfOf: target ? auth.onBehalfOf(target, input.actorId) : undefined,
        ...(input.version === undefined ? {} : { version: input.version }),
      },
      auth.isOwner,
    );
    if (!decided.ok) return { ...decided, request: before };
    if (!store.saveDecision(before, decided.request, decided.signOff)) {
      // Another process decided between our read and our write: report the state that won.
      const current = store.loadRequest(before.id);
      const signOff = current?.signOffs.find((s) => s.id === input.signOffId);
      return signOff
        ? { ok: false, reason: 'already_decided', signOff, request: current }
        : { ok: false, reason: 'unknown_signoff', request: current };
    }
    store.appendEvents(before.id, decided.events);
    outbox.enqueue(
      [
        ...notificationsFor(before, decided.request, decided.signOff),
        ...homeUpdatesFor(decided.request, deps.config.leadership, input.actorId),
      ],
      at,
    );
    return { ok: true, request: decided.request, signOff: decided.signOff, events: decided.events };
  });
  if (result.ok) deps.onNotify();
  return result;
}

function notificationsFor(before: CommitRequest, after: CommitRequest, signOff: SignOff): Notification[] {
  const requestId = after.id;
  const list: Notification[] = [{ kind: 'signoff.update', requestId, signOffId: signOff.id }];
  if (after.status !== 'pending' && before.status === 'pending') {
    // The request is closed: the other sign-offs still asking must lose their buttons too.
    for (const other of after.signOffs) {
      if (other.id !== signOff.id && other.status === 'pending') {
        list.push({ kind: 'signoff.update', requestId, signOffId: other.id });
      }
    }
  }
  list.push({ kind: 'parent.update', requestId });
  if (after.status !== 'pending' && before.status === 'pending')
    list.push({ kind: 'seller.outcome', requestId });
  return list;
}

/**
 * Whether the person may decide this sign-off now, without changing anything: lets the Reject
 * button refuse at once instead of after the person has typed a reason.
 */
export function checkCanDecide(
  deps: Pick<ServiceDeps, 'store' | 'clock' | 'config' | 'delegations' | 'groups'>,
  input: Omit<DecideSignOffInput, 'verdict'>,
): DecideSignOffResult {
  const requestId = deps.store.requestIdForSignOff(input.signOffId);
  const request = requestId === null ? null : deps.store.loadRequest(requestId);
  if (!request) return { ok: false, reason: 'unknown_signoff', request: null };
  const at = deps.clock.now();
  const dryRun = decide(
    request,
    {
      signOffId: input.signOffId,
      actorId: input.actorId,
      verdict: { kind: 'reject', reason: 'check' },
      at,
      ...(input.version === undefined ? {} : { version: input.version }),
    },
    authority(deps, at).isOwner,
  );
  return dryRun.ok ? { ...dryRun, request } : { ...dryRun, request };
}
