import { type CapacityCheck, capacityLevel } from '../domain/capacity.js';
import {
  type CommitRequest,
  type DecisionRefusal,
  decide,
  type RequestEvent,
  type SignOff,
  type Verdict,
} from '../domain/request.js';
import { capacityUpdatesFor, liveCheck } from './capacity.js';
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
  | ({ readonly ok: false; readonly request: CommitRequest | null } & DecisionRefusal)
  /**
   * The request is over capacity now (checked in this transaction): an approval needs a reason,
   * asked in a modal; nothing was recorded.
   */
  | {
      readonly ok: false;
      readonly reason: 'over_capacity';
      readonly request: CommitRequest;
      readonly signOff: SignOff;
      readonly check: CapacityCheck;
    };

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
    // Checked again here, inside the decision's transaction: two owners approving two requests
    // for the last free units at once are serialised, and the second sees the first as firm.
    const check = before.status === 'pending' ? liveCheck(deps, before) : null;
    const over = input.verdict.kind === 'approve' && capacityLevel(check) === 'over';
    const verdict: Verdict =
      input.verdict.kind === 'approve' && !over
        ? { ...input.verdict, overCapacityReason: null }
        : input.verdict;
    const decided = decide(
      before,
      {
        signOffId: input.signOffId,
        actorId: input.actorId,
        verdict,
        at,
        onBehalfOf: target ? auth.onBehalfOf(target, input.actorId) : undefined,
        ...(input.version === undefined ? {} : { version: input.version }),
      },
      auth.isOwner,
    );
    if (!decided.ok) return { ...decided, request: before };
    if (over && check && !(verdict.kind === 'approve' && verdict.overCapacityReason?.trim()))
      return { ok: false, reason: 'over_capacity', request: before, signOff: decided.signOff, check };
    if (!store.saveDecision(before, decided.request, decided.signOff)) {
      // Another process decided between our read and our write: report the state that won.
      const current = store.loadRequest(before.id);
      const signOff = current?.signOffs.find((s) => s.id === input.signOffId);
      return signOff
        ? { ok: false, reason: 'already_decided', signOff, request: current }
        : { ok: false, reason: 'unknown_signoff', request: current };
    }
    store.appendEvents(before.id, decided.events);
    const closes = decided.request.status !== before.status;
    let after = decided.request;
    // A closed request keeps the figures it was decided on (open ones are rendered live).
    if (closes && check) {
      deps.capacity.saveCheck(before.id, check);
      after = { ...after, capacityCheck: check };
    }
    outbox.enqueue(
      [
        ...notificationsFor(before, after, decided.signOff),
        ...homeUpdatesFor(after, deps.config.leadership, input.actorId),
        // Approved: its load is firm now; rejected: freed. The week's other requests show it.
        ...(closes ? capacityUpdatesFor(deps, [{ ...after.facts, split: after.split ?? null }]) : []),
      ],
      at,
    );
    return { ok: true, request: after, signOff: decided.signOff, events: decided.events };
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
