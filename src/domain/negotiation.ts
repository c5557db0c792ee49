// The conversation around a request beyond approve/reject: a feasible date proposed by an owner
// and answered by the seller, a seller withdrawing, leadership overriding a rejection. Pure
// transitions, like decide(): {ok, request, events} or a refusal as a value.

import type { IsoDate } from './calendar.js';
import type { SplitPart } from './capacity.js';
import {
  type CommitRequest,
  type DecisionRefusal,
  decide,
  directOwnerCheck,
  type OwnerCheck,
  type RequestEvent,
  type RequestStatus,
  type SignOff,
} from './request.js';

export type NegotiationRefusal =
  | DecisionRefusal
  | { readonly reason: 'date_not_later'; readonly current: IsoDate }
  | { readonly reason: 'not_seller'; readonly sellerId: string }
  | { readonly reason: 'no_proposal' }
  | { readonly reason: 'not_leadership' }
  /** A leader who is the request's seller: overriding it would be approving their own request. */
  | { readonly reason: 'own_override'; readonly others: readonly string[] }
  | { readonly reason: 'not_rejected'; readonly status: RequestStatus }
  | { readonly reason: 'no_split' };

export type NegotiationResult =
  | { readonly ok: true; readonly request: CommitRequest; readonly events: readonly RequestEvent[] }
  | ({ readonly ok: false } & NegotiationRefusal);

/** Whether `actorId` may decide this sign-off now (the same checks as deciding it). */
export function checkOwner(
  request: CommitRequest,
  input: { signOffId: number; actorId: string; at: Date; version?: number },
  isOwner: OwnerCheck = directOwnerCheck,
): { ok: true; signOff: SignOff } | ({ ok: false } & DecisionRefusal) {
  const dryRun = decide(request, { ...input, verdict: { kind: 'reject', reason: 'check' } }, isOwner);
  if (!dryRun.ok) return dryRun;
  const signOff = request.signOffs.find((s) => s.id === input.signOffId);
  return signOff ? { ok: true, signOff } : { ok: false, reason: 'unknown_signoff' };
}

export interface ProposeDateInput {
  readonly signOffId: number;
  readonly actorId: string;
  readonly date: IsoDate;
  readonly note: string | null;
  readonly at: Date;
  readonly version?: number;
  /** The away owner the actor proposes for, as their delegate. */
  readonly onBehalfOf?: string | undefined;
}

/** An owner answers "not by then, but by DATE": the sign-off waits for the seller's answer. */
export function proposeDate(
  request: CommitRequest,
  input: ProposeDateInput,
  isOwner: OwnerCheck = directOwnerCheck,
): NegotiationResult {
  const check = checkOwner(request, input, isOwner);
  if (!check.ok) return check;
  if (input.date <= request.facts.deliveryDate)
    return { ok: false, reason: 'date_not_later', current: request.facts.deliveryDate };
  return offer(request, check.signOff, input, input.date, null);
}

/**
 * An owner proposes the check's split plan instead of one date: one promise delivered in parts
 * (capacity-plan.ts). The seller accepts or declines it like a proposed date; `date` is the last
 * part's. The parts must add up to the quantity, be at least two, in date order, the last later
 * than the requested date.
 */
export function proposeSplit(
  request: CommitRequest,
  input: Omit<ProposeDateInput, 'date'> & { readonly parts: readonly SplitPart[] | null | undefined },
  isOwner: OwnerCheck = directOwnerCheck,
): NegotiationResult {
  const check = checkOwner(request, input, isOwner);
  if (!check.ok) return check;
  const parts = input.parts ?? [];
  const last = parts[parts.length - 1];
  const ordered = parts.every((p, i) => p.quantity > 0 && (i === 0 || (parts[i - 1]?.by ?? '') < p.by));
  const total = parts.reduce((t, p) => t + p.quantity, 0);
  if (!last || parts.length < 2 || !ordered || total !== request.facts.quantity)
    return { ok: false, reason: 'no_split' };
  if (last.by <= request.facts.deliveryDate)
    return { ok: false, reason: 'date_not_later', current: request.facts.deliveryDate };
  return offer(request, check.signOff, input, last.by, parts);
}

/** The sign-off waits for the seller's answer to a later date, or to a split ending on it. */
function offer(
  request: CommitRequest,
  signOff: SignOff,
  input: Omit<ProposeDateInput, 'date'>,
  date: IsoDate,
  split: readonly SplitPart[] | null,
): NegotiationResult {
  const note = input.note?.trim() || null;
  const offered: SignOff = {
    ...signOff,
    proposal: { userId: input.actorId, at: input.at, date, note, ...(split ? { split: [...split] } : {}) },
  };
  return {
    ok: true,
    request: replace(request, offered),
    events: [
      {
        type: 'signoff.date_proposed',
        actorId: input.actorId,
        at: input.at,
        signOffId: offered.id,
        functionId: offered.functionId,
        date,
        note,
        requestedDate: request.facts.deliveryDate,
        ...(split ? { split: [...split] } : {}),
        ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
      },
    ],
  };
}

/** An owner asks the seller to change the request (reason required); the sign-off stays open. */
export function requestChanges(
  request: CommitRequest,
  input: {
    signOffId: number;
    actorId: string;
    reason: string;
    at: Date;
    version?: number;
    onBehalfOf?: string | undefined;
  },
  isOwner: OwnerCheck = directOwnerCheck,
): NegotiationResult {
  const check = checkOwner(request, input, isOwner);
  if (!check.ok) return check;
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: 'reason_required' };
  return {
    ok: true,
    request,
    events: [
      {
        type: 'signoff.changes_requested',
        actorId: input.actorId,
        at: input.at,
        signOffId: check.signOff.id,
        functionId: check.signOff.functionId,
        reason,
        ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
      },
    ],
  };
}

export interface CounterAnswer {
  readonly signOffId: number;
  readonly actorId: string;
  readonly at: Date;
  readonly version?: number;
}

function openProposal(
  request: CommitRequest,
  input: CounterAnswer,
):
  | { ok: true; signOff: SignOff & { proposal: NonNullable<SignOff['proposal']> } }
  | ({ ok: false } & NegotiationRefusal) {
  const signOff = request.signOffs.find((s) => s.id === input.signOffId);
  if (!signOff) return { ok: false, reason: 'unknown_signoff' };
  if (request.status !== 'pending') return { ok: false, reason: 'request_closed', status: request.status };
  if (input.version !== undefined && input.version !== request.version)
    return { ok: false, reason: 'out_of_date', current: request.version };
  if (input.actorId !== request.sellerId)
    return { ok: false, reason: 'not_seller', sellerId: request.sellerId };
  const proposal = signOff.proposal;
  if (!proposal || signOff.status !== 'pending') return { ok: false, reason: 'no_proposal' };
  return { ok: true, signOff: { ...signOff, proposal } };
}

/**
 * The seller accepts a proposed date: the delivery date moves, that function counts as approved,
 * other functions' approvals stand and undecided ones still decide (now on the new date).
 */
/**
 * The seller accepts a proposed date (or split plan): the date moves and the proposer's function
 * counts as approved. Unless `overAtNewDate` (the capacity verdict at the accepted date or parts
 * is `over`): a request over capacity is approved only with a reason, and a proposal gives none,
 * so the proposer's sign-off goes back to pending for an owner to Approve with a reason.
 */
export function acceptCounter(
  request: CommitRequest,
  input: CounterAnswer & { readonly overAtNewDate?: boolean },
): NegotiationResult {
  const open = openProposal(request, input);
  if (!open.ok) return open;
  const { signOff } = open;
  const { at } = input;
  const stillOver = input.overAtNewDate === true;
  const approvals =
    stillOver || signOff.approvals.some((a) => a.userId === signOff.proposal.userId)
      ? signOff.approvals
      : // The proposal's note explained the date; it is not a condition of the approval (the history keeps it).
        [...signOff.approvals, { userId: signOff.proposal.userId, at, conditions: null }];
  const decided: SignOff = stillOver
    ? { ...signOff, proposal: null }
    : { ...signOff, approvals, status: 'approved', decidedAt: at, proposal: null };
  // An accepted split is one promise in parts: the request keeps its quantity, is due on the last
  // part's date, and each part loads its own week.
  const split = signOff.proposal.split ?? null;
  let next: CommitRequest = {
    ...replace(request, decided),
    facts: { ...request.facts, deliveryDate: signOff.proposal.date },
    ...(split ? { split } : {}),
  };
  const events: RequestEvent[] = [
    {
      type: 'counter.accepted',
      actorId: input.actorId,
      at,
      signOffId: signOff.id,
      date: signOff.proposal.date,
      ...(split ? { split } : {}),
      ...(stillOver ? { overCapacity: true } : {}),
    },
  ];
  if (next.signOffs.every((s) => s.status === 'approved')) {
    next = { ...next, status: 'approved', closedAt: at };
    events.push({ type: 'request.approved', at });
  }
  return { ok: true, request: next, events };
}

/** The seller declines a proposed date: the request is rejected with that reason. */
export function declineCounter(request: CommitRequest, input: CounterAnswer): NegotiationResult {
  const open = openProposal(request, input);
  if (!open.ok) return open;
  const { signOff } = open;
  const { at } = input;
  const { date, note, userId } = signOff.proposal;
  const reason = `Not deliverable by ${request.facts.deliveryDate}; ${date} was proposed${
    note ? ` (${note})` : ''
  } and the seller declined it.`;
  const decided: SignOff = {
    ...signOff,
    status: 'rejected',
    rejection: { userId, at, reason },
    decidedAt: at,
    proposal: null,
  };
  return {
    ok: true,
    request: { ...replace(request, decided), status: 'rejected', closedAt: at },
    events: [
      { type: 'counter.declined', actorId: input.actorId, at, signOffId: signOff.id, date },
      { type: 'request.rejected', at, signOffId: signOff.id },
    ],
  };
}

export interface WithdrawInput {
  readonly actorId: string;
  readonly reason: string | null;
  readonly at: Date;
  /** The version on the button clicked, when known: an older version's button does nothing. */
  readonly version?: number;
}

/** The seller takes a pending request back; no decision is taken on it afterwards. */
export function withdraw(request: CommitRequest, input: WithdrawInput): NegotiationResult {
  if (input.actorId !== request.sellerId)
    return { ok: false, reason: 'not_seller', sellerId: request.sellerId };
  if (request.status !== 'pending') return { ok: false, reason: 'request_closed', status: request.status };
  if (input.version !== undefined && input.version !== request.version)
    return { ok: false, reason: 'out_of_date', current: request.version };
  const reason = input.reason?.trim() || null;
  return {
    ok: true,
    request: {
      ...request,
      status: 'withdrawn',
      closedAt: input.at,
      withdrawReason: reason,
      signOffs: request.signOffs.map((s) => (s.proposal ? { ...s, proposal: null } : s)),
    },
    events: [{ type: 'request.withdrawn', actorId: input.actorId, at: input.at, reason }],
  };
}

export interface OverrideInput {
  readonly actorId: string;
  readonly reason: string;
  readonly at: Date;
  readonly leadership: readonly string[];
}

/** A member of leadership approves a rejected request anyway; recorded as an override. */
export function override(request: CommitRequest, input: OverrideInput): NegotiationResult {
  if (!input.leadership.includes(input.actorId)) return { ok: false, reason: 'not_leadership' };
  if (input.actorId === request.sellerId)
    return { ok: false, reason: 'own_override', others: input.leadership.filter((u) => u !== input.actorId) };
  if (request.status !== 'rejected') return { ok: false, reason: 'not_rejected', status: request.status };
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: 'reason_required' };
  return {
    ok: true,
    request: {
      ...request,
      status: 'approved',
      closedAt: input.at,
      override: { userId: input.actorId, at: input.at, reason },
    },
    events: [{ type: 'request.overridden', actorId: input.actorId, at: input.at, reason }],
  };
}

function replace(request: CommitRequest, signOff: SignOff): CommitRequest {
  return { ...request, signOffs: request.signOffs.map((s) => (s.id === signOff.id ? signOff : s)) };
}
