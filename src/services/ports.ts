// The narrow interfaces services depend on, all of them here (one place to look): db/ and slack/
// implement them; tests can too.

import type { IsoDate } from '../domain/calendar.js';
import type { CapacityCheck, CapacityOverride, DayLoad } from '../domain/capacity.js';
import type { Delegation } from '../domain/delegation.js';
import type { PendingNow, PreviousWeek, TrendFacts, WeekRows } from '../domain/digest.js';
import type { ClearedVia, CommitPromise, PromiseEvent, PromiseState } from '../domain/promise.js';
import type {
  CommitRequest,
  LifecycleEvent,
  RequestEvent,
  RequestFacts,
  SignOff,
} from '../domain/request.js';
import type { RequiredSignOff, RevisionPlan } from '../domain/revision.js';
import type {
  AtRiskCandidate,
  PromiseFacts,
  ScoreEvent,
  ScoreEventFacts,
  ScorePromise,
  ScoreRequest,
} from '../domain/scoreboard.js';
import type { Notification } from './notifications.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A sign-off to create: a function the request is routed to (services/intake.ts). */
export type NewSignOff = RequiredSignOff & {
  /** Set when leadership is told at once (a quorum that cannot be met): no second escalation. */
  readonly escalatedAt?: Date | null;
};

export interface NewRequest {
  readonly sellerId: string;
  readonly facts: RequestFacts;
  readonly currency: string;
  readonly sourceChannelId: string | null;
  readonly at: Date;
  readonly signOffs: readonly NewSignOff[];
  /** 'approved' only when no sign-off is needed, or the fast lane cleared it. */
  readonly status: 'pending' | 'approved';
  /** The capacity check made in the same transaction, stored with the request. */
  readonly capacityCheck?: CapacityCheck | null;
  /** Cleared on the fast lane (status 'approved'): the conditions it met. */
  readonly fastLane?: readonly string[] | null;
  /**
   * How a request inserted as approved was cleared (its promise records it): default
   * 'no_signoff_needed'; the fast lane passes 'fast_lane'.
   */
  readonly clearedVia?: ClearedVia;
  /** The Slack view submitted, when it came from one (unique: the same view never makes two). */
  readonly viewId?: string | null;
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
  /** Pending requests of one product line due in [from, toExclusive), by id (competition, re-renders). */
  pendingBetween(
    productLineId: string,
    from: string,
    toExclusive: string,
  ): { readonly requestId: number; readonly quantity: number }[];
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
  /** The request a Slack view created, if any (submission de-duplication by view.id). */
  requestIdForView(viewId: string): number | null;
  /** The button key of a request, or of the request a sign-off belongs to (null: no such row). */
  buttonKey(target: { readonly requestId: number } | { readonly signOffId: number }): string | null;
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
   * The reset or added sign-offs of `escalated` functions are marked escalated at `at` (leadership
   * is told at once: a quorum that cannot be met), so the schedule does not escalate them again.
   */
  saveRevision(
    before: CommitRequest,
    plan: RevisionPlan,
    at: Date,
    escalated?: ReadonlySet<string>,
  ): CommitRequest | null;
  appendEvents(requestId: number, events: readonly (RequestEvent | LifecycleEvent | PromiseEvent)[]): void;
  /** A request's events in the order they happened (for `/commit show`). */
  history(requestId: number): StoredEvent[];
}

/**
 * The one way rows get into the outbox (db/outbox-repo.ts). Called inside the caller's
 * transaction, so a state change and what it tells Slack commit together or not at all.
 * App Home refreshes are coalesced here (at most two waiting per person).
 */
export interface Outbox {
  /**
   * `background`: nobody is waiting on these (re-renders of other requests' live figures): they go
   * out after what somebody is waiting on, and are raised when such a row joins their key.
   */
  enqueue(
    notifications: readonly Notification[],
    at: Date,
    options?: { readonly background?: boolean },
  ): void;
}

/** Where a request's messages are in Slack, recorded by delivery once posted (db/message-locations-repo.ts). */
export interface MessageLocations {
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
  endAll(ownerId: string, today: IsoDate, at: Date): number;
  activeOn(day: IsoDate): Delegation[];
}

/**
 * What the fast lane asks of the promises (issue 15): whether a customer has a payment overdue on
 * an earlier promise as of `today`. A narrow port so the lane does not depend on how promises
 * are stored.
 */
export interface PaymentStanding {
  hasPaymentOverdue(customer: string, today: IsoDate): boolean;
}

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

export interface PendingSignOffRef {
  readonly signOffId: number;
  readonly requestId: number;
}

export interface HomeWeekFigures {
  /** Requests submitted since Monday 00:00 local. */
  readonly inflow: number;
  /** Requests cleared (every function signed off) since Monday; overrides are counted apart. */
  readonly cleared: number;
  /** Requests rejected since Monday. */
  readonly blocked: number;
  /** `request.overridden` events since Monday. */
  readonly overrides: number;
  /** Requests still waiting now. */
  readonly pendingRequests: number;
  readonly pendingByFunction: readonly {
    readonly functionId: string;
    readonly label: string;
    readonly count: number;
  }[];
}

/** The reads App Home needs (db/home-repo.ts); each is indexed, see there. */
export interface HomeQueries {
  recordOpened(userId: string, at: Date): void;
  /** Pending sign-offs this person may decide, oldest first (all of them: the count is shown). */
  pendingFor(userId: string, ownerIds: readonly string[]): PendingSignOffRef[];
  /** A seller's open requests (newest first) and their `recentLimit` latest closed ones. */
  sellerRequestIds(sellerId: string, recentLimit: number): { open: number[]; recent: number[] };
  loadRequests(ids: readonly number[]): Map<number, CommitRequest>;
  weekFigures(from: Date, to: Date): HomeWeekFigures;
  oldestPending(limit: number): PendingSignOffRef[];
}

export interface WaitingSignOff {
  readonly signOffId: number;
  readonly requestId: number;
  readonly functionId: string;
  readonly askedAt: Date;
  readonly remindedAt: Date | null;
  readonly escalatedAt: Date | null;
}

export interface ReminderStore {
  /** Pending requests (id, creation time): few, since they expire. */
  pendingRequests(): readonly { readonly id: number; readonly createdAt: Date }[];
  /** Pending sign-offs of pending requests that still have a reminder or an escalation to come. */
  waitingSignOffs(): readonly WaitingSignOff[];
  /** `… SET reminded_at WHERE reminded_at IS NULL`: false when it was already claimed. */
  markReminded(signOffId: number, at: Date): boolean;
  markEscalated(signOffId: number, at: Date): boolean;
  /** `… SET status = 'expired' WHERE status = 'pending'`: false when it closed meanwhile. */
  markExpired(requestId: number, at: Date): boolean;
}

export interface JobRunStore {
  /** Inserts (job, period) if absent and enqueues `then` in the same transaction; false if it existed. */
  claim(job: string, period: string, at: Date, then: readonly Notification[]): boolean;
  /** When the scheduler first ran this job on this database (recorded on the first call). */
  firstSeen(job: string, at: Date): Date;
}

export interface DigestReader {
  /** Requests submitted, sign-offs asked and digest events that happened in [start, end). */
  weekRows(start: Date, end: Date): WeekRows;
  /** The week before, as much as week-over-week change needs: inflow per product line, decisions. */
  previousWeek(start: Date, end: Date): PreviousWeek;
  /** Requests still pending and their pending sign-offs. */
  pendingNow(): PendingNow;
  /** The scoreboard's requests submitted in [start, end). */
  scoreRequests(start: Date, end: Date): ScoreRequest[];
  /** The same requests of consecutive weeks (each week's end the next one's start), one array per week. */
  scoreRequestWeeks(weeks: readonly { readonly start: Date; readonly end: Date }[]): ScoreRequest[][];
  /** The scoreboard's events (of SCORE_EVENT_TYPES) in [start, end), row by row. */
  scoreEvents(start: Date, end: Date): ScoreEvent[];
  /**
   * The same events of consecutive weeks (each week's end the next one's start) as facts, one
   * per week: what eventFactsOf makes of each week's rows, without bringing the rows over.
   */
  scoreEventFacts(weeks: readonly { readonly start: Date; readonly end: Date }[]): ScoreEventFacts[];
  /**
   * The trend's facts (see TrendFacts) of consecutive weeks, one per week: what trendFactsOf
   * makes of each week's rows, without bringing the rows over.
   */
  trendFacts(weeks: readonly { readonly start: Date; readonly end: Date }[]): TrendFacts[];
  /** The promises a window touches (see PromiseWindow). */
  promises(window: PromiseWindow): ScorePromise[];
  /**
   * The same promises as facts for the consecutive weeks starting on `mondays`, judged as known
   * on `today`: what promiseFactsOf makes of them, counted per week without bringing them over.
   */
  promiseFacts(window: PromiseWindow, mondays: readonly IsoDate[], today: IsoDate): PromiseFacts;
  /**
   * The at-risk candidates of promiseFacts alone: live promises promised from `from` to `to`
   * (inclusive) with a slip that expects them after their promised day, by request id.
   */
  atRiskCandidates(from: IsoDate, to: IsoDate): AtRiskCandidate[];
  /** When the first request the database holds was submitted (null: none yet). */
  firstRequestAt(): Date | null;
}

/**
 * Days (inclusive) of the scoreboard's window: promised from `from` to `atRiskTo` (the window and
 * the two weeks after it); paid, delivered in full, reported on or due for payment from `from` to
 * `to`; or still unpaid with a payment due day before `overdueBefore`.
 */
export interface PromiseWindow {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly atRiskTo: IsoDate;
  readonly overdueBefore: IsoDate;
}
