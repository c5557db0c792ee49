// The narrow interfaces services depend on. db/ and slack/ implement them; tests can too.
import type {
  CommitRequest,
  LifecycleEvent,
  RequestEvent,
  RequestFacts,
  SignOff,
} from '../domain/request.js';

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
  /** One reminder in the sign-off's thread, mentioning its owners. */
  | { readonly kind: 'signoff.remind'; readonly requestId: number; readonly signOffId: number }
  /** One direct message to each leadership member: this sign-off waits too long. */
  | { readonly kind: 'leadership.escalate'; readonly requestId: number; readonly signOffId: number }
  /** The weekly digest of the week starting on that Monday, to the digest channel. */
  | { readonly kind: 'digest.post'; readonly weekStart: string };

export type NotificationKind = Notification['kind'];

/** Deliveries with the same key go out in order: one request's thread, or the digest. */
export function orderingKeyOf(n: Notification): string {
  return 'requestId' in n ? `request:${n.requestId}` : n.kind;
}

export interface NewSignOff {
  readonly functionId: string;
  readonly label: string;
  readonly owners: readonly string[];
  readonly approvalsNeeded: number;
  readonly requiredBy: readonly string[];
}

export interface NewRequest {
  readonly sellerId: string;
  readonly facts: RequestFacts;
  readonly currency: string;
  readonly sourceChannelId: string | null;
  readonly at: Date;
  readonly signOffs: readonly NewSignOff[];
  /** 'approved' only when no rule required any sign-off. */
  readonly status: 'pending' | 'approved';
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
  appendEvents(requestId: number, events: readonly (RequestEvent | LifecycleEvent)[]): void;
  enqueue(notifications: readonly Notification[], at: Date): void;
  parentLocation(requestId: number): SlackLocation | null;
  signOffMessageTs(signOffId: number): string | null;
  setParentLocation(requestId: number, location: SlackLocation): void;
  setSignOffMessageTs(signOffId: number, ts: string): void;
}
