// Delivers the outbox: every Slack side effect of a state change, in order per request, with
// retries that survive restarts. One of the two places with real timers (with the scheduler).
import type { OutboxRepo } from '../db/outbox-repo.js';
import type { OutboxRow } from '../db/schema.js';
import { requestRef } from '../domain/request.js';
import type { AppLogger } from '../logger.js';
import type { DeliveryFailure, DeliveryReceipt, Notification } from '../services/notifications.js';
import type { Clock } from '../services/ports.js';
import { leaseOwner, OUTBOX_LEASE_MS, ownerIsGone } from './outbox-lease.js';

export interface DispatcherDeps {
  readonly repo: OutboxRepo;
  /** `uncertain`: an earlier attempt may have reached Slack (see DeliveryAttempt in notifier.ts). */
  readonly deliver: (notification: Notification, attempt: { uncertain: boolean }) => Promise<DeliveryReceipt>;
  readonly classify: (error: unknown) => DeliveryFailure;
  /**
   * The reports that tell a person how to fix a delivery given up (DMs, themselves delivered
   * through the outbox, queued in the same transaction as the failure so none is lost or doubled).
   */
  readonly reportsFor?: (notification: Notification, code: string) => readonly Notification[];
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly pollMs?: number;
  readonly concurrency?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * How long transient failures (5xx, timeouts, rate limits) are retried before the delivery is
   * given up and reported: a day by default, so a Slack outage of hours loses nothing.
   */
  readonly giveUpAfterMs?: number;
  /** Wait before retrying a call that got no answer (default 30 s: three Web API timeouts). */
  readonly settleMs?: number;
  /** This dispatcher's name in `claimed_by` (default: host:pid:start, outbox-lease.ts). */
  readonly owner?: string;
  /** How long a claim holds unrenewed (default OUTBOX_LEASE_MS). */
  readonly leaseMs?: number;
}

/** GET /healthz turns 503 when the oldest pending delivery has waited longer than this. */
export const OUTBOX_STUCK_AFTER_MS = 10 * 60_000;

export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** Set by stop() only: drain() on a dispatcher never started (the CLI) still runs to the end. */
  private halted = false;
  /** Slack rate limits per method and workspace: after a 429 nothing is sent before this time. */
  private pausedUntil = 0;

  private readonly owner: string;
  private readonly leaseMs: number;

  constructor(private readonly deps: DispatcherDeps) {
    this.owner = deps.owner ?? leaseOwner();
    this.leaseMs = deps.leaseMs ?? OUTBOX_LEASE_MS;
  }

  start(): void {
    this.stopped = false;
    // Rows a dead predecessor on this host was delivering (kill -9, a crash) need not wait out
    // its lease: it is certainly not delivering them.
    for (const holder of this.deps.repo.leaseHolders(this.deps.clock.now()))
      if (holder !== this.owner && ownerIsGone(holder, this.owner)) {
        const released = this.deps.repo.releaseLeases(holder);
        this.deps.logger.info('outbox claims of a stopped process released', { holder, released });
      }
    this.timer = setInterval(() => this.kick(), this.deps.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Asks for a run soon; many kicks while one runs collapse into one more run. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Delivers everything that is due now; resolves when nothing due is left (for CLI and tests). */
  async drain(): Promise<void> {
    if (this.running) await this.running;
    await this.runUntilIdle();
  }

  /** Stops polling and waits for deliveries in flight; undelivered rows stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer) clearInterval(this.timer);
    if (this.running) await this.running;
  }

  /**
   * Keeps up to `concurrency` deliveries in flight and claims more as slots free up, so one slow
   * delivery (a digest with its chart, a Web API call waiting out its timeout) holds one slot, not
   * the whole batch: a click's update never waits for an unrelated slow row to finish. Order per
   * request still holds: a key's next row is not claimable while its head is leased (claimDue).
   */
  private async runUntilIdle(): Promise<void> {
    const { repo, clock } = this.deps;
    const slots = this.deps.concurrency ?? 8;
    const inFlight = new Map<number, Promise<void>>();
    // Renewed while deliveries are in flight, so a slow one never loses its claim to another process.
    const renew = setInterval(
      () => repo.renewLease([...inFlight.keys()], this.owner, this.leaseUntil()),
      this.leaseMs / 3,
    );
    renew.unref();
    try {
      for (;;) {
        const now = clock.now();
        // A claim walks past the rows in flight and their keys: claimed when half the slots are
        // free (or all), not after every delivery, it costs a few statements per batch as before.
        const free = slots - inFlight.size;
        if (free >= Math.ceil(slots / 2) && !this.halted && now.getTime() >= this.pausedUntil)
          for (const row of repo.claimDue(now, free, this.owner, this.leaseUntil()))
            inFlight.set(
              row.id,
              this.deliverOne(row).finally(() => inFlight.delete(row.id)),
            );
        if (!inFlight.size) return;
        await Promise.race(inFlight.values());
      }
    } finally {
      clearInterval(renew);
    }
  }

  private leaseUntil(): Date {
    return new Date(this.deps.clock.now().getTime() + this.leaseMs);
  }

  private async deliverOne(row: OutboxRow): Promise<void> {
    const { repo, clock, logger } = this.deps;
    const notification = row.payload as unknown as Notification;
    const upToId = repo.maxId();
    // claimDue counted this attempt (before the call, so a crash mid-call is visible).
    const attempts = row.attempts;
    const log = logger.child({
      outbox: row.id,
      kind: row.kind,
      ...('requestId' in notification
        ? { request: requestRef(notification.requestId) }
        : 'userId' in notification
          ? { user: notification.userId }
          : {}),
      attempt: attempts,
    });
    try {
      // An earlier attempt may have reached Slack: the next one looks before it posts.
      const receipt = await this.deps.deliver(notification, { uncertain: attempts > 1 });
      repo.markDone(row, clock.now(), upToId);
      log.info(receipt.skipped ? 'already delivered' : 'delivered', {
        channel: receipt.channelId,
        ts: receipt.messageTs,
      });
    } catch (error) {
      const failure = this.deps.classify(error);
      const now = clock.now();
      const expired = now.getTime() - row.createdAt.getTime() >= (this.deps.giveUpAfterMs ?? 86_400_000);
      if (failure.kind === 'permanent' || expired) {
        const code = failure.kind === 'permanent' ? failure.code : `gave_up_retrying:${failure.code}`;
        const reports = this.deps.reportsFor?.(notification, code) ?? [];
        repo.markFailed(row.id, attempts, now, code, reports);
        log.error('delivery given up', { code, reportedTo: reports.map((r) => reportRecipient(r)) });
        if (reports.length) this.kick();
        return;
      }
      const base = this.deps.baseBackoffMs ?? 1000;
      const backoff = Math.min(base * 2 ** (attempts - 1), this.deps.maxBackoffMs ?? 300_000);
      const delay =
        failure.afterMs ?? (failure.unanswered ? Math.max(backoff, this.deps.settleMs ?? 30_000) : backoff);
      if (failure.afterMs !== undefined)
        this.pausedUntil = Math.max(this.pausedUntil, now.getTime() + failure.afterMs);
      repo.markRetry(row.id, attempts, new Date(now.getTime() + delay), failure.code);
      log.warn('delivery will be retried', { code: failure.code, inMs: delay });
      // The poll picks it up when due; a short delay also deserves a precise wake-up.
      if (delay < (this.deps.pollMs ?? 1000)) setTimeout(() => this.kick(), delay).unref();
    }
  }
}

function reportRecipient(n: Notification): string | null {
  return n.kind === 'delivery.failed' ? n.userId : null;
}
