// Proposing a feasible date, answering it, withdrawing, overriding: each loads the request, calls
// one pure transition, and writes state + events + outbox in one transaction.

import type { IsoDate } from '../domain/calendar.js';
import { capacityLevel } from '../domain/capacity.js';
import {
  acceptCounter,
  checkOwner,
  declineCounter,
  type NegotiationRefusal,
  type NegotiationResult,
  override,
  proposeDate,
  proposeSplit,
  withdraw,
} from '../domain/negotiation.js';
import type { CommitRequest, SignOff } from '../domain/request.js';
import { capacityUpdatesFor, liveCheck, recheckCapacity } from './capacity.js';
import type { ServiceDeps } from './deps.js';
import type { Notification } from './notifications.js';
import { authority } from './owners.js';

export type NegotiateResult =
  | { readonly ok: true; readonly request: CommitRequest; readonly before: CommitRequest }
  | ({ readonly ok: false; readonly request: CommitRequest | null } & NegotiationRefusal);

type Target = { readonly requestId: number } | { readonly signOffId: number };

function run(
  deps: ServiceDeps,
  target: Target,
  transition: (request: CommitRequest, at: Date) => NegotiationResult,
  notify: (before: CommitRequest, after: CommitRequest) => Notification[],
): NegotiateResult {
  const { store, outbox, clock } = deps;
  const at = clock.now();
  const result = store.transaction((): NegotiateResult => {
    const requestId = 'requestId' in target ? target.requestId : store.requestIdForSignOff(target.signOffId);
    const before = requestId === null ? null : store.loadRequest(requestId);
    if (!before) return { ok: false, reason: 'unknown_signoff', request: null };
    const next = transition(before, at);
    if (!next.ok) return { ...next, request: before };
    if (!store.saveTransition(before, next.request, at)) {
      // Someone else changed the request between our read and our write: answer with theirs.
      const current = store.loadRequest(before.id);
      return current && current.status !== 'pending'
        ? { ok: false, reason: 'request_closed', status: current.status, request: current }
        : { ok: false, reason: 'no_proposal', request: current };
    }
    // An accepted counter moves the delivery date: the load moves with it, so check again.
    const after = movesLoad(before, next.request) ? recheckCapacity(deps, next.request) : next.request;
    store.appendEvents(before.id, next.events);
    // A withdrawal frees its load, an override makes it firm, a moved date moves it: the other
    // open requests of those weeks show the new figures.
    const loadChanged = movesLoad(before, after) || before.status !== after.status;
    outbox.enqueue(
      [
        ...notify(before, after),
        ...(loadChanged ? capacityUpdatesFor(deps, [before, after].map(placeOf)) : []),
      ],
      at,
    );
    return { ok: true, request: after, before };
  });
  if (result.ok) deps.onNotify();
  return result;
}

const placeOf = (r: CommitRequest) => ({ ...r.facts, split: r.split ?? null });

const movesLoad = (before: CommitRequest, after: CommitRequest): boolean =>
  JSON.stringify(before.split ?? null) !== JSON.stringify(after.split ?? null) ||
  before.facts.deliveryDate !== after.facts.deliveryDate ||
  before.facts.quantity !== after.facts.quantity ||
  before.facts.productLineId !== after.facts.productLineId;

const updateAll = (after: CommitRequest, which: (s: SignOff) => boolean = () => true): Notification[] =>
  after.signOffs.filter(which).map((s) => ({ kind: 'signoff.update', requestId: after.id, signOffId: s.id }));

const closed = (before: CommitRequest, after: CommitRequest): Notification[] =>
  before.status !== after.status && after.status !== 'withdrawn'
    ? [{ kind: 'seller.outcome', requestId: after.id }]
    : [];

export function proposeFeasibleDate(
  deps: ServiceDeps,
  input: { signOffId: number; actorId: string; date: IsoDate; note: string | null; version?: number },
): NegotiateResult {
  return offerToSeller(deps, input, (request, auth, at, onBehalfOf) =>
    proposeDate(request, { ...input, at, onBehalfOf }, auth.isOwner),
  );
}

/**
 * Operations proposes the split plan of the check made now, in this transaction (so the parts
 * are today's free capacity); the seller accepts or declines it like a proposed date.
 */
export function proposeSplitPlan(
  deps: ServiceDeps,
  input: { signOffId: number; actorId: string; note: string | null; version?: number },
): NegotiateResult {
  return offerToSeller(deps, input, (request, auth, at, onBehalfOf) => {
    const check = liveCheck(deps, request);
    const parts = check && check.verdict !== 'no_capacity_configured' ? check.split : null;
    return proposeSplit(request, { ...input, at, onBehalfOf, parts }, auth.isOwner);
  });
}

/**
 * An owner's offer the seller must answer (a later date or a split): decided as the owner, or as
 * the delegate of the away owner they stand in for; the sign-off and parent are redrawn and the
 * seller is asked.
 */
function offerToSeller(
  deps: ServiceDeps,
  input: { readonly signOffId: number; readonly actorId: string },
  make: (
    request: CommitRequest,
    auth: ReturnType<typeof authority>,
    at: Date,
    onBehalfOf: string | undefined,
  ) => NegotiationResult,
): NegotiateResult {
  return run(
    deps,
    { signOffId: input.signOffId },
    (request, at) => {
      const auth = authority(deps, at);
      const target = request.signOffs.find((s) => s.id === input.signOffId);
      return make(request, auth, at, target ? auth.onBehalfOf(target, input.actorId) : undefined);
    },
    (_before, after) => [
      { kind: 'signoff.update', requestId: after.id, signOffId: input.signOffId },
      { kind: 'parent.update', requestId: after.id },
      { kind: 'seller.counter', requestId: after.id, signOffId: input.signOffId },
    ],
  );
}

export function answerCounter(
  deps: ServiceDeps,
  input: { signOffId: number; actorId: string; accept: boolean; version?: number },
): NegotiateResult {
  const { accept, ...answer } = input;
  let stillOver = false;
  return run(
    deps,
    { signOffId: input.signOffId },
    (request, at) => {
      if (!accept) return declineCounter(request, { ...answer, at });
      // The verdict at the accepted date (or parts), in this transaction, decides whether the
      // proposer's sign-off may count as approved (see acceptCounter).
      const proposal = request.signOffs.find((s) => s.id === input.signOffId)?.proposal;
      const moved = proposal
        ? {
            ...request,
            facts: { ...request.facts, deliveryDate: proposal.date },
            split: proposal.split ?? request.split ?? null,
          }
        : request;
      stillOver =
        proposal !== null && proposal !== undefined && capacityLevel(liveCheck(deps, moved)) === 'over';
      return acceptCounter(request, { ...answer, at, overAtNewDate: stillOver });
    },
    (before, after) => [
      ...updateAll(after),
      { kind: 'parent.update', requestId: after.id },
      ...(accept
        ? [
            {
              kind: 'thread.notice' as const,
              requestId: after.id,
              notice: {
                type: 'date_moved' as const,
                signOffId: input.signOffId,
                from: before.facts.deliveryDate,
                to: after.facts.deliveryDate,
                ...(stillOver ? { stillOver: true as const } : {}),
              },
            },
          ]
        : []),
      ...closed(before, after),
    ],
  );
}

export function withdrawRequest(
  deps: ServiceDeps,
  input: { requestId: number; actorId: string; reason: string | null; version?: number },
): NegotiateResult {
  return run(
    deps,
    { requestId: input.requestId },
    (request, at) =>
      withdraw(request, {
        actorId: input.actorId,
        reason: input.reason,
        at,
        ...(input.version === undefined ? {} : { version: input.version }),
      }),
    (before, after) => [
      ...updateAll(after, (s) => before.signOffs.find((b) => b.id === s.id)?.status === 'pending'),
      { kind: 'parent.update', requestId: after.id },
      { kind: 'thread.notice', requestId: after.id, notice: { type: 'withdrawn' } },
    ],
  );
}

export function overrideRequest(
  deps: ServiceDeps,
  input: { requestId: number; actorId: string; reason: string },
): NegotiateResult {
  return run(
    deps,
    { requestId: input.requestId },
    (request, at) =>
      override(request, {
        actorId: input.actorId,
        reason: input.reason,
        at,
        leadership: deps.config.leadership,
      }),
    (before, after) => [
      // Undecided sign-offs now need no decision because of the override, not the rejection.
      ...updateAll(after, (s) => s.status === 'pending'),
      { kind: 'parent.update', requestId: after.id },
      { kind: 'thread.notice', requestId: after.id, notice: { type: 'overridden' } },
      ...closed(before, after),
    ],
  );
}

/** Read-only checks so a button can refuse at once instead of after a form was filled in. */
export function checkCanNegotiate(
  deps: Pick<ServiceDeps, 'store' | 'clock' | 'config' | 'delegations' | 'groups'>,
  input: { signOffId: number; actorId: string; version?: number },
):
  | { ok: true; request: CommitRequest; signOff: SignOff }
  | ({ ok: false; request: CommitRequest | null } & NegotiationRefusal) {
  const requestId = deps.store.requestIdForSignOff(input.signOffId);
  const request = requestId === null ? null : deps.store.loadRequest(requestId);
  if (!request) return { ok: false, reason: 'unknown_signoff', request: null };
  const at = deps.clock.now();
  const check = checkOwner(request, { ...input, at }, authority(deps, at).isOwner);
  return check.ok ? { ok: true, request, signOff: check.signOff } : { ...check, request };
}

export function checkCanWithdraw(
  deps: Pick<ServiceDeps, 'store' | 'clock'>,
  input: { requestId: number; actorId: string; version?: number },
):
  | { ok: true; request: CommitRequest }
  | ({ ok: false; request: CommitRequest | null } & NegotiationRefusal) {
  const request = deps.store.loadRequest(input.requestId);
  if (!request) return { ok: false, reason: 'unknown_signoff', request: null };
  const dry = withdraw(request, { ...input, reason: null, at: deps.clock.now() });
  return dry.ok ? { ok: true, request } : { ...dry, request };
}

export function checkCanOverride(
  deps: Pick<ServiceDeps, 'store' | 'clock' | 'config'>,
  input: { requestId: number; actorId: string },
):
  | { ok: true; request: CommitRequest }
  | ({ ok: false; request: CommitRequest | null } & NegotiationRefusal) {
  const request = deps.store.loadRequest(input.requestId);
  if (!request) return { ok: false, reason: 'unknown_signoff', request: null };
  const dry = override(request, {
    actorId: input.actorId,
    reason: 'check',
    at: deps.clock.now(),
    leadership: deps.config.leadership,
  });
  return dry.ok ? { ok: true, request } : { ...dry, request };
}
