// The narrow interfaces services depend on. db/ and slack/ implement them; tests can too.
import type { CapacityCheck, CapacityOverride, DayLoad } from '../domain/capacity.js';
import type { Delegation } from '../domain/delegation.js';
import type {
  CommitRequest,
  LifecycleEvent,
  RequestEvent,
  RequestFacts,
  SignOff,
} from '../domain/request.js';
import type { RequiredSignOff, RevisionPlan } from '../domain/revision.js';
import type { Notification } from './notifications.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

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
  appendEvents(requestId: number, events: readonly (RequestEvent | LifecycleEvent)[]): void;
  /** A request's events in the order they happened (for `/commit show`). */
  history(requestId: number): StoredEvent[];
}

/**
 * The one way rows get into the outbox (db/outbox-repo.ts). Called inside the caller's
 * transaction, so a state change and what it tells Slack commit together or not at all.
 * App Home refreshes are coalesced here (at most two waiting per person).
 */
export interface Outbox {
  enqueue(notifications: readonly Notification[], at: Date): void;
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
  endAll(ownerId: string, today: IsoDay, at: Date): number;
  activeOn(day: IsoDay): Delegation[];
}

type IsoDay = string;

/** Members of Slack user groups (S…), as last fetched; [] for a group not (yet) known. */
export interface GroupDirectory {
  members(groupId: string): readonly string[];
}
