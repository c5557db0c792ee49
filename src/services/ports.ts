// The narrow interfaces services depend on. db/ and slack/ implement them; tests can too.
import type { CapacityCheck, CapacityOverride, DayLoad } from '../domain/capacity.js';
import type { Delegation } from '../domain/delegation.js';
import type { ClearedVia, CommitPromise, PromiseEvent, PromiseState } from '../domain/promise.js';
import type {
  CommitRequest,
  LifecycleEvent,
  RequestEvent,
  RequestFacts,
  SignOff,
} from '../domain/request.js';
import type { FieldChange, RequiredSignOff, RevisionPlan } from '../domain/revision.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What must be told to Slack after a state change. Written to the outbox in the same transaction
 * as the change and rendered from the current state when delivered, so a retry after a crash
 * sends what is true then, and several pending updates of one message collapse into one.
 */
export type Notification =
  | { readonly kind: 'parent.post'; readonly requestId: number }
  | { readonly kind: 'parent.update'; readonly requestId: number }
  | { readonly kind: 'signoff.post'; readonly requestId: number; readonly signOffId: number }
  | { readonly kind: 'signoff.update'; readonly requestId: number; readonly signOffId: number }
  | { readonly kind: 'seller.outcome'; readonly requestId: number }
  /**
   * A delivery above was given up (a permanent Slack error): tells one person, by DM, what failed
   * and how to fix it. Queued by the outbox itself, in the transaction that records the failure.
   */
  | {
      readonly kind: 'delivery.failed';
      readonly requestId: number;
      /** Who is told: the request's seller, or a leadership member when the seller cannot be reached. */
      readonly userId: string;
      readonly failedKind: string;
      readonly code: string;
    }
  /**
   * Re-render and publish this person's App Home. The store only queues it for people who have
   * opened Home at least once, and keeps at most one waiting behind the one being delivered, so a
   * burst of changes publishes a bounded number of times.
   */
  | { readonly kind: 'home.update'; readonly userId: string }
  /** One reminder in the sign-off's thread, mentioning its owners. */
  | { readonly kind: 'signoff.remind'; readonly requestId: number; readonly signOffId: number }
  /** One direct message to each leadership member: this sign-off waits too long. */
  | { readonly kind: 'leadership.escalate'; readonly requestId: number; readonly signOffId: number }
  /** The weekly digest of the week starting on that Monday, to the digest channel. */
  | { readonly kind: 'digest.post'; readonly weekStart: string }
  /** The seller is asked to accept or decline a date an owner proposed (DM with buttons). */
  | { readonly kind: 'seller.counter'; readonly requestId: number; readonly signOffId: number }
  /** The seller is asked to revise the request (DM with a Revise button). */
  | {
      readonly kind: 'seller.changes';
      readonly requestId: number;
      readonly signOffId: number;
      readonly reason: string;
    }
  /** A line in the request's thread saying what just happened (rendered from the event). */
  | { readonly kind: 'thread.notice'; readonly requestId: number; readonly notice: ThreadNotice }
  /**
   * One history event POSTed, signed, to one configured webhook (src/api/webhooks/). The secret
   * is looked up by url at delivery, never stored in the outbox.
   */
  | {
      readonly kind: 'webhook.deliver';
      readonly requestId: number;
      readonly eventId: number;
      readonly url: string;
    }
  | PromiseNotification;

/** What the promise steps and the promise schedule tell Slack (services/promises.ts, promise-asks.ts). */
export type PromiseNotification =
  /** `ask_days_before` business days ahead: "on track?" to the confirmers, in the request's thread. */
  | { readonly kind: 'promise.ask_on_track'; readonly requestId: number }
  /** On the due date: the thread message with Delivered in full / in part / Will be late. */
  | { readonly kind: 'promise.ask_due'; readonly requestId: number }
  /** A business day after an unanswered due date: one reminder in the thread. */
  | { readonly kind: 'promise.remind'; readonly requestId: number }
  /** The due-date message re-rendered from the promise's current state (buttons give way to the outcome). */
  | { readonly kind: 'promise.due_update'; readonly requestId: number }
  /** The seller, by DM, first: a slip or a part delivery, with the new date and reason. */
  | { readonly kind: 'promise.seller_told'; readonly requestId: number }
  /** A line in the thread saying what was just recorded (rendered from the latest event of that type). */
  | { readonly kind: 'promise.notice'; readonly requestId: number; readonly event: PromiseEvent['type'] };

/** What a thread notice tells: each is rendered from the request's current state. */
export type ThreadNotice =
  | { readonly type: 'date_moved'; readonly signOffId: number; readonly from: string; readonly to: string }
  | { readonly type: 'withdrawn' }
  | { readonly type: 'overridden' }
  | {
      readonly type: 'changes_requested';
      readonly signOffId: number;
      readonly userId: string;
      readonly reason: string;
    }
  | { readonly type: 'revised'; readonly version: number; readonly changes: readonly FieldChange[] };

export type NotificationKind = Notification['kind'];

/** Deliveries with the same key go out in order: one request's thread, one person's Home, the digest. */
export function orderingKeyOf(n: Notification): string {
  if (n.kind === 'home.update') return `home:${n.userId}`;
  // Its own queue per receiver and request: in order for one request, and never behind (or in
  // front of) Slack's messages, so a receiver that is down holds back nothing else.
  if (n.kind === 'webhook.deliver') return `webhook:${n.url}:request:${n.requestId}`;
  return 'requestId' in n ? `request:${n.requestId}` : n.kind;
}

/** A sign-off to create: a function the request is routed to (services/intake.ts). */
export type NewSignOff = RequiredSignOff;

export interface NewRequest {
  readonly sellerId: string;
  readonly facts: RequestFacts;
  readonly currency: string;
  readonly sourceChannelId: string | null;
  readonly at: Date;
  readonly signOffs: readonly NewSignOff[];
  /** 'approved' only when no rule required any sign-off. */
  readonly status: 'pending' | 'approved';
  /** The capacity check made in the same transaction, stored with the request. */
  readonly capacityCheck?: CapacityCheck | null;
  /**
   * How a request inserted as approved was cleared (its promise records it): default
   * 'no_signoff_needed'; the fast lane passes 'fast_lane'.
   */
  readonly clearedVia?: ClearedVia;
}

/** Capacity figures: open load and overrides. Runs on the same connection as RequestStore. */
export interface CapacityStore {
  /**
   * Open quantity (pending and approved requests) of one product line with a delivery date in
   * [from, toExclusive), summed per day and status. Indexed: never a scan of history.
   */
  loadByDay(
    productLineId: string,
    from: string,
    toExclusive: string,
    excludeRequestId?: number | null,
  ): DayLoad[];
  /** The same load as one total (firm + tentative), for the earliest-feasible-date search. */
  openLoad(
    productLineId: string,
    from: string,
    toExclusive: string,
    excludeRequestId?: number | null,
  ): number;
  /** Overrides of one product line for week starts in [fromWeek, toWeekExclusive). */
  overrides(productLineId: string, fromWeek: string, toWeekExclusive: string): CapacityOverride[];
  /** Sets (or replaces) a week's capacity and records a `capacity.overridden` event. */
  setOverride(input: {
    readonly productLineId: string;
    readonly weekStart: string;
    readonly capacity: number;
    readonly setBy: string;
    readonly at: Date;
  }): void;
  /** Replaces the capacity snapshot shown on a request (e.g. after a revision moved its load). */
  saveCheck(requestId: number, check: CapacityCheck | null): void;
}

export interface SlackLocation {
  readonly channelId: string;
  readonly messageTs: string;
}

export interface RequestStore {
  /** Runs fn in one write transaction (BEGIN IMMEDIATE): all of it commits, or none. */
  transaction<T>(fn: () => T): T;
  insertRequest(request: NewRequest): CommitRequest;
  loadRequest(id: number): CommitRequest | null;
  requestIdForSignOff(signOffId: number): number | null;
  /**
   * Persists a decided sign-off with a conditional update on the state it was loaded in.
   * Returns false when someone else changed it first: the caller re-reads instead of acting twice.
   */
  saveDecision(before: CommitRequest, after: CommitRequest, signOff: SignOff): boolean;
  /**
   * Persists any other transition (proposal, counter answer, withdrawal, override) conditionally
   * on the request and sign-off states it was computed from. False when someone else won.
   */
  saveTransition(before: CommitRequest, after: CommitRequest, at: Date): boolean;
  /**
   * Stores a revision (new version, facts, reset/added/retired sign-offs) if the request is still
   * pending at the version it was planned from; returns the reloaded request, or null if not.
   */
  saveRevision(before: CommitRequest, plan: RevisionPlan, at: Date): CommitRequest | null;
  appendEvents(requestId: number, events: readonly (RequestEvent | LifecycleEvent | PromiseEvent)[]): void;
  /** A request's events in the order they happened (for `/commit show`). */
  history(requestId: number): StoredEvent[];
  enqueue(notifications: readonly Notification[], at: Date): void;
  parentLocation(requestId: number): SlackLocation | null;
  signOffMessageTs(signOffId: number): string | null;
  setParentLocation(requestId: number, location: SlackLocation): void;
  setSignOffMessageTs(signOffId: number, ts: string): void;
}

/** One row of the events table as read back. */
export interface StoredEvent {
  readonly type: string;
  readonly actorId: string | null;
  readonly signOffId: number | null;
  readonly at: Date;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface DelegationStore {
  add(delegation: Delegation, at: Date): void;
  /** Ends the owner's current and future delegations; returns how many. */
  endAll(ownerId: string, today: IsoDay, at: Date): number;
  activeOn(day: IsoDay): Delegation[];
}

type IsoDay = string;

/** Members of Slack user groups (S…), as last fetched; [] for a group not (yet) known. */
export interface GroupDirectory {
  members(groupId: string): readonly string[];
}

/** `listPromises`' filter (all optional): soonest due first. */
export interface PromiseListQuery {
  readonly states?: readonly PromiseState[];
  /** Due strictly before this day. */
  readonly dueBefore?: string;
  /** Due on or before this day. */
  readonly dueOnOrBefore?: string;
  readonly sellerId?: string;
  readonly limit?: number;
}

/** An open promise as the scheduler sees it: its due day and which asks were made. */
export interface PromiseAsk {
  readonly requestId: number;
  readonly dueOn: string;
  readonly state: PromiseState;
  readonly askedOnTrackAt: Date | null;
  readonly askedDueAt: Date | null;
  readonly remindedAt: Date | null;
}

/** Promises (one per cleared request). Runs on the same connection as RequestStore. */
export interface PromiseStore {
  loadPromise(requestId: number): CommitPromise | null;
  /** Stores `after` (conditionally on `before`'s state); throws to roll back when it changed meanwhile. */
  savePromise(before: CommitPromise, after: CommitPromise, at: Date): void;
  listPromises(query: PromiseListQuery): CommitPromise[];
  /** Open promises due on or before a day (the scheduler's asks), soonest first. */
  openPromisesDueBy(day: string): PromiseAsk[];
  /** `… SET asked_x_at = at WHERE asked_x_at IS NULL AND due_on = due`: false when already made. */
  claimAsk(requestId: number, ask: 'on_track' | 'due' | 'reminder', due: string, at: Date): boolean;
  dueMessageTs(requestId: number): string | null;
  setDueMessageTs(requestId: number, ts: string): void;
  /**
   * What open promises of one product line still have to deliver, per day they are due now (the
   * expected date after a slip, else the promised one) in [from, toExclusive): the quantity not
   * yet delivered; delivered and cancelled promises load nothing. For capacity (issue 16) to load
   * approved requests where the goods will really be made. Reads promises_line_open_idx.
   */
  openLoadByDay(
    productLineId: string,
    from: string,
    toExclusive: string,
  ): { day: string; quantity: number }[];
}
