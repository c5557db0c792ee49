// A commitment request and its sign-offs, with pure transitions. Expected failures (not_owner,
// already_decided, …) are returned as values; nothing here throws for a person's mistake.
import type { IsoDate } from './calendar.js';
import type { CapacityCheck, SplitPart } from './capacity.js';

/** The facts a seller states: what the chain is asked to deliver, and on what terms. */
export interface RequestFacts {
  readonly customer: string;
  readonly productLineId: string;
  readonly quantity: number;
  /** Integer minor units of the configured currency (cents for USD). */
  readonly valueMinor: number;
  readonly deliveryDate: IsoDate;
  readonly paymentTermsDays: number;
  readonly discountPercent: number;
  readonly specialRequirements: string | null;
  readonly dealReference: string | null;
}

/** The nine facts, in form order: the one list that storage, revisions and prefills follow. */
export const FACT_FIELDS = [
  'customer',
  'productLineId',
  'quantity',
  'valueMinor',
  'deliveryDate',
  'paymentTermsDays',
  'discountPercent',
  'specialRequirements',
  'dealReference',
] as const satisfies readonly (keyof RequestFacts)[];

// A compile error here names a fact missing from FACT_FIELDS.
const everyFactListed: Record<Exclude<keyof RequestFacts, (typeof FACT_FIELDS)[number]>, never> = {};
void everyFactListed;

/** Just the facts of anything that carries them under their own names (a stored row, a request). */
export function factsOf(source: RequestFacts): RequestFacts {
  // Object.fromEntries types its result as a string record; FACT_FIELDS is every key (checked above).
  return Object.fromEntries(FACT_FIELDS.map((k) => [k, source[k]])) as unknown as RequestFacts;
}

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const SIGN_OFF_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type SignOffStatus = (typeof SIGN_OFF_STATUSES)[number];

export interface Approval {
  readonly userId: string;
  readonly at: Date;
  readonly conditions: string | null;
  /** Set when a delegate approved for this away owner (absent = approved as themselves). */
  readonly onBehalfOf?: string | null;
  /** Set when the request was over capacity at this approval: the approver's reason. */
  readonly overCapacityReason?: string | null;
}

/** Whose approval this is for the quorum: the away owner a delegate acted for, else the approver. */
export const approvedAs = (a: Approval): string => a.onBehalfOf ?? a.userId;

export interface Rejection {
  readonly userId: string;
  readonly at: Date;
  readonly reason: string;
}

/** An owner's "not by then, but by DATE": open until the seller accepts or declines it. */
export interface Proposal {
  readonly userId: string;
  readonly at: Date;
  readonly date: IsoDate;
  readonly note: string | null;
  /** A split plan proposed instead of one date: `date` is then its last part's date. */
  readonly split?: readonly SplitPart[] | null;
}

/** A leadership member approving a rejected request anyway. */
export interface Override {
  readonly userId: string;
  readonly at: Date;
  readonly reason: string;
}

export interface SignOff {
  readonly id: number;
  readonly functionId: string;
  readonly label: string;
  /** Owner ids as configured when the sign-off was asked (users, or groups already expanded). */
  readonly owners: readonly string[];
  readonly approvalsNeeded: number;
  readonly status: SignOffStatus;
  /** Why this function must sign off: one line per matching rule. */
  readonly requiredBy: readonly string[];
  readonly approvals: readonly Approval[];
  readonly rejection: Rejection | null;
  readonly askedAt: Date;
  readonly decidedAt: Date | null;
  /** A feasible date proposed to the seller and not yet answered (absent = none). */
  readonly proposal?: Proposal | null;
}

export interface CommitRequest {
  readonly id: number;
  readonly version: number;
  readonly sellerId: string;
  /**
   * The request's button key: every button and modal of this request carries it, and a click
   * whose key differs (a message from before a restore that reused this id) is out of date.
   */
  readonly key?: string;
  readonly facts: RequestFacts;
  readonly status: RequestStatus;
  readonly createdAt: Date;
  readonly closedAt: Date | null;
  readonly signOffs: readonly SignOff[];
  /** The capacity check as it was at submit; absent for requests stored before capacity existed. */
  readonly capacityCheck?: CapacityCheck | null;
  /** Set when leadership approved the request over a rejection (absent = none). */
  readonly override?: Override | null;
  /** Why the seller withdrew it, when they said (absent = not withdrawn or no reason). */
  readonly withdrawReason?: string | null;
  /** Sign-offs an earlier version needed and a revision no longer does (kept for their messages). */
  readonly retiredSignOffs?: readonly SignOff[];
  /** Set when the request was cleared on the fast lane: the conditions it met. */
  readonly fastLane?: readonly string[] | null;
  /**
   * An accepted split plan: one promise delivered in these parts (the delivery date is the last
   * part's), each part loading its own week. Absent or null: one delivery.
   */
  readonly split?: readonly SplitPart[] | null;
}

export function requestRef(id: number): string {
  return `CG-${id}`;
}

/** "CG-42", or "CG-42 v2" once the seller has revised it. */
export function versionedRef(request: Pick<CommitRequest, 'id' | 'version'>): string {
  return request.version > 1 ? `${requestRef(request.id)} v${request.version}` : requestRef(request.id);
}

export function parseRequestRef(text: string): number | null {
  const m = /^\s*(?:CG-?)?(\d{1,12})\s*$/i.exec(text);
  return m?.[1] ? Number(m[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// Events: the append-only history. Every transition returns the events it caused.

export type RequestEvent =
  | {
      readonly type: 'request.submitted';
      readonly actorId: string;
      readonly at: Date;
      readonly facts: RequestFacts;
      /** The capacity figures at submit, kept in the history while messages show live ones. */
      readonly capacityCheck?: CapacityCheck | null;
    }
  | {
      readonly type: 'signoff.approved';
      readonly actorId: string;
      readonly at: Date;
      readonly signOffId: number;
      readonly functionId: string;
      readonly conditions: string | null;
      /** True when this approval completed the function's quorum. */
      readonly complete: boolean;
      /** The away owner a delegate decided for. */
      readonly onBehalfOf?: string;
      /** Approved while the request was over capacity (CONTRACT.md), with the approver's reason. */
      readonly overCapacity?: true;
      readonly overCapacityReason?: string;
    }
  | {
      readonly type: 'signoff.rejected';
      readonly actorId: string;
      readonly at: Date;
      readonly signOffId: number;
      readonly functionId: string;
      readonly reason: string;
      readonly onBehalfOf?: string;
    }
  | {
      readonly type: 'request.approved';
      readonly at: Date;
      readonly override?: false;
      /** Cleared on the fast lane (CONTRACT.md), with the conditions it met. */
      readonly fastLane?: true;
      readonly reasons?: readonly string[];
    }
  | { readonly type: 'request.rejected'; readonly at: Date; readonly signOffId: number }
  | {
      readonly type: 'signoff.date_proposed';
      readonly actorId: string;
      readonly at: Date;
      readonly signOffId: number;
      readonly functionId: string;
      readonly date: IsoDate;
      readonly note: string | null;
      /** The delivery date the request asked for when the date was proposed (before any move). */
      readonly requestedDate?: IsoDate;
      readonly onBehalfOf?: string;
      /** A split plan proposed instead of one date (`date` is its last part's). */
      readonly split?: readonly SplitPart[];
    }
  | {
      readonly type: 'counter.accepted';
      readonly actorId: string;
      readonly at: Date;
      readonly signOffId: number;
      readonly date: IsoDate;
      /** The split plan accepted with it: one promise delivered in these parts. */
      readonly split?: readonly SplitPart[];
      /** Still over capacity at the accepted date: the proposer's sign-off was asked again. */
      readonly overCapacity?: true;
    }
  | {
      readonly type: 'counter.declined';
      readonly actorId: string;
      readonly at: Date;
      readonly signOffId: number;
      readonly date: IsoDate;
    }
  | {
      readonly type: 'request.withdrawn';
      readonly actorId: string;
      readonly at: Date;
      readonly reason: string | null;
    }
  | {
      readonly type: 'signoff.changes_requested';
      readonly actorId: string;
      readonly at: Date;
      readonly signOffId: number;
      readonly functionId: string;
      readonly reason: string;
      readonly onBehalfOf?: string;
    }
  | {
      readonly type: 'request.revised';
      readonly actorId: string;
      readonly at: Date;
      readonly version: number;
      readonly changes: readonly { field: string; from: unknown; to: unknown }[];
    }
  | {
      readonly type: 'signoff.reset';
      readonly at: Date;
      readonly signOffId: number;
      readonly functionId: string;
    }
  | {
      readonly type: 'request.overridden';
      readonly actorId: string;
      readonly at: Date;
      readonly reason: string;
    };

// ---------------------------------------------------------------------------------------------
// Deciding a sign-off.

export type Verdict =
  | {
      readonly kind: 'approve';
      readonly conditions?: string | null;
      /** Required by the service when the request is over capacity at this approval. */
      readonly overCapacityReason?: string | null;
    }
  | { readonly kind: 'reject'; readonly reason: string };

export interface Decision {
  readonly signOffId: number;
  readonly actorId: string;
  readonly verdict: Verdict;
  readonly at: Date;
  /** The request version the person was looking at, when known: stale buttons must not act. */
  readonly version?: number;
  /** Set when the actor decides as the delegate of this away owner. */
  readonly onBehalfOf?: string | undefined;
}

export type DecisionRefusal =
  | { readonly reason: 'unknown_signoff' }
  | { readonly reason: 'request_closed'; readonly status: RequestStatus }
  | { readonly reason: 'out_of_date'; readonly current: number }
  | { readonly reason: 'not_owner'; readonly owners: readonly string[]; readonly label: string }
  | { readonly reason: 'own_request'; readonly label: string }
  | { readonly reason: 'already_decided'; readonly signOff: SignOff }
  | { readonly reason: 'already_approved_by_you'; readonly signOff: SignOff }
  | { readonly reason: 'reason_required' }
  | { readonly reason: 'awaiting_seller'; readonly signOff: SignOff };

export type DecisionResult =
  | {
      readonly ok: true;
      readonly request: CommitRequest;
      readonly signOff: SignOff;
      readonly events: readonly RequestEvent[];
    }
  | ({ readonly ok: false } & DecisionRefusal);

/** Owners may be users (U…/W…) or, before expansion, groups (S…); `isOwner` resolves membership. */
export type OwnerCheck = (signOff: SignOff, userId: string) => boolean;

export const directOwnerCheck: OwnerCheck = (signOff, userId) => signOff.owners.includes(userId);

export function decide(
  request: CommitRequest,
  decision: Decision,
  isOwner: OwnerCheck = directOwnerCheck,
): DecisionResult {
  const signOff = request.signOffs.find((s) => s.id === decision.signOffId);
  if (!signOff) return { ok: false, reason: 'unknown_signoff' };
  // A sign-off decided by someone else is the most useful thing to tell a late clicker, even when
  // that decision also closed the request.
  if (signOff.status !== 'pending' && isOwner(signOff, decision.actorId)) {
    return { ok: false, reason: 'already_decided', signOff };
  }
  if (request.status !== 'pending') return { ok: false, reason: 'request_closed', status: request.status };
  if (decision.version !== undefined && decision.version !== request.version) {
    return { ok: false, reason: 'out_of_date', current: request.version };
  }
  if (!isOwner(signOff, decision.actorId)) {
    return { ok: false, reason: 'not_owner', owners: signOff.owners, label: signOff.label };
  }
  if (decision.actorId === request.sellerId)
    return { ok: false, reason: 'own_request', label: signOff.label };
  if (signOff.status !== 'pending') return { ok: false, reason: 'already_decided', signOff };
  if (signOff.proposal) return { ok: false, reason: 'awaiting_seller', signOff };

  const { actorId, at, verdict } = decision;
  const onBehalf = decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {};
  if (verdict.kind === 'reject') {
    const reason = verdict.reason.trim();
    if (!reason) return { ok: false, reason: 'reason_required' };
    const decided: SignOff = {
      ...signOff,
      status: 'rejected',
      rejection: { userId: actorId, at, reason },
      decidedAt: at,
    };
    const next: CommitRequest = { ...replaceSignOff(request, decided), status: 'rejected', closedAt: at };
    return {
      ok: true,
      request: next,
      signOff: decided,
      events: [
        {
          type: 'signoff.rejected',
          actorId,
          at,
          signOffId: signOff.id,
          functionId: signOff.functionId,
          reason,
          ...onBehalf,
        },
        { type: 'request.rejected', at, signOffId: signOff.id },
      ],
    };
  }

  // One approval per owner: a delegate and the owner they stand in for count once together.
  const as = decision.onBehalfOf ?? actorId;
  if (signOff.approvals.some((a) => a.userId === actorId || approvedAs(a) === as)) {
    return { ok: false, reason: 'already_approved_by_you', signOff };
  }
  const conditions = verdict.conditions?.trim() || null;
  const overCapacityReason = verdict.overCapacityReason?.trim() || null;
  const overCapacity = overCapacityReason ? { overCapacity: true as const, overCapacityReason } : {};
  const approvals = [
    ...signOff.approvals,
    {
      userId: actorId,
      at,
      conditions,
      ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}),
      ...(overCapacityReason ? { overCapacityReason } : {}),
    },
  ];
  const complete = approvals.length >= signOff.approvalsNeeded;
  const decided: SignOff = {
    ...signOff,
    approvals,
    status: complete ? 'approved' : 'pending',
    decidedAt: complete ? at : null,
  };
  let next = replaceSignOff(request, decided);
  const events: RequestEvent[] = [
    {
      type: 'signoff.approved',
      actorId,
      at,
      signOffId: signOff.id,
      functionId: signOff.functionId,
      conditions,
      complete,
      ...onBehalf,
      ...overCapacity,
    },
  ];
  if (next.signOffs.every((s) => s.status === 'approved')) {
    next = { ...next, status: 'approved', closedAt: at };
    events.push({ type: 'request.approved', at });
  }
  return { ok: true, request: next, signOff: decided, events };
}

function replaceSignOff(request: CommitRequest, signOff: SignOff): CommitRequest {
  return { ...request, signOffs: request.signOffs.map((s) => (s.id === signOff.id ? signOff : s)) };
}

/** Conditions attached to approvals, in sign-off order: what the seller must honour. */
export function conditionsOf(
  request: CommitRequest,
): { label: string; userId: string; conditions: string }[] {
  return request.signOffs.flatMap((s) =>
    s.approvals.flatMap((a) =>
      a.conditions ? [{ label: s.label, userId: a.userId, conditions: a.conditions }] : [],
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Time-driven transitions (reminders, escalation, expiry): no person acts, the schedule does.

/** Events the schedule causes; stored in the same `events` table as RequestEvent. */
export type LifecycleEvent =
  | { readonly type: 'request.expired'; readonly at: Date }
  | {
      readonly type: 'signoff.reminded';
      readonly at: Date;
      readonly signOffId: number;
      readonly functionId: string;
    }
  | {
      readonly type: 'signoff.escalated';
      readonly at: Date;
      readonly signOffId: number;
      readonly functionId: string;
      /** Absent: it waited too long. `quorum_unreachable`: it never can be cleared, sent at once. */
      readonly reason?: 'quorum_unreachable';
    };

export type ExpiryResult =
  | { readonly ok: true; readonly request: CommitRequest; readonly events: readonly LifecycleEvent[] }
  | { readonly ok: false; readonly reason: 'request_closed'; readonly status: RequestStatus };

/**
 * A request still pending when its time runs out expires: an explicit state, neither an approval
 * nor a rejection. Its sign-offs keep the status they had (pending ones simply stop asking).
 */
export function expire(request: CommitRequest, at: Date): ExpiryResult {
  if (request.status !== 'pending') return { ok: false, reason: 'request_closed', status: request.status };
  return {
    ok: true,
    request: { ...request, status: 'expired', closedAt: at },
    events: [{ type: 'request.expired', at }],
  };
}
