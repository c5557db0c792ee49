// Delivery's vocabulary: what can be told to Slack after a state change, in which order, and what
// a delivery attempt answers. Services enqueue these (ports.ts `Outbox`), jobs/outbox.ts delivers
// them, slack/delivery/ renders them. Adding a kind: name it here, write its presenter in
// slack/delivery/presenters.ts, enqueue it from a service.
import type { PromiseEvent } from '../domain/promise.js';
import type { FieldChange } from '../domain/revision.js';

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
  | {
      readonly kind: 'leadership.escalate';
      readonly requestId: number;
      readonly signOffId: number;
      /** Absent: waited too long; `quorum_unreachable`: too few owners other than the seller. */
      readonly reason?: 'quorum_unreachable';
    }
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
  /**
   * A week's load changed (submit, decision, withdrawal, expiry, revision, moved date, capacity
   * override): every open request loading it gets its parent and posted sign-off messages
   * re-rendered with today's figures. One row per week and change, coalesced by the outbox (rows
   * queued before a delivery starts are satisfied by it), fanned out when delivered so the
   * decision's transaction stays small. `weekStart` null: every week of the line (spread lines).
   */
  | { readonly kind: 'capacity.update'; readonly productLineId: string; readonly weekStart: string | null }
  /** A line in the request's thread saying what just happened (rendered from the event). */
  | { readonly kind: 'thread.notice'; readonly requestId: number; readonly notice: ThreadNotice }
  /**
   * One history event POSTed, signed, to one configured webhook (src/api/webhooks/, not Slack). The
   * secret is looked up by url at delivery, never stored in the outbox.
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
  | {
      readonly type: 'date_moved';
      readonly signOffId: number;
      readonly from: string;
      readonly to: string;
      /** Still over capacity at the new date: the proposer's function must approve with a reason. */
      readonly stillOver?: true;
    }
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

/**
 * Deliveries with the same key go out in order: one request's thread, one person's Home, the
 * digest. A failure report has its own key per request and person: it must not wait behind the
 * deliveries it is about (they may be the ones that keep failing).
 */
export function orderingKeyOf(n: Notification): string {
  if (n.kind === 'home.update') return `home:${n.userId}`;
  if (n.kind === 'delivery.failed') return `report:${n.requestId}:${n.userId}`;
  if (n.kind === 'capacity.update') return `capacity:${n.productLineId}:${n.weekStart ?? 'all'}`;
  // Its own queue per receiver and request: in order for one request, and never behind (or in
  // front of) Slack's messages, so a receiver that is down holds back nothing else.
  if (n.kind === 'webhook.deliver') return `webhook:${n.url}:request:${n.requestId}`;
  return 'requestId' in n ? `request:${n.requestId}` : n.kind;
}

/** Where a delivery landed in Slack, for the log; `skipped` when it had landed before a crash. */
export interface DeliveryReceipt {
  readonly channelId: string | null;
  readonly messageTs: string | null;
  readonly skipped?: boolean;
}

/** Why a delivery attempt failed, as far as trying again goes. */
export type DeliveryFailure =
  | {
      readonly kind: 'retry';
      readonly code: string;
      /** Slack's Retry-After: every delivery waits this long (rate limits are per workspace). */
      readonly afterMs?: number;
      /**
       * No answer came (a timeout, a dropped connection): Slack may still be working on the call.
       * The retry waits `settleMs` first, so its look for an earlier post sees that post.
       */
      readonly unanswered?: boolean;
    }
  | { readonly kind: 'permanent'; readonly code: string };
