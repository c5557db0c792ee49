// Delivers the outbox: every Slack side effect of a state change, in order per request, with
// retries that survive restarts. One of the two places with real timers (with the scheduler).
import type { OutboxRepo } from '../db/outbox-repo.js';
import type { OutboxRow } from '../db/schema.js';
import type { AppLogger } from '../logger.js';
import type { Clock, Notification } from '../services/ports.js';

export type DeliveryFailure =
  | { readonly kind: 'retry'; readonly code: string; readonly afterMs?: number }
  | { readonly kind: 'permanent'; readonly code: string };

export interface DispatcherDeps {
  readonly repo: OutboxRepo;
  readonly deliver: (notification: Notification) => Promise<void>;
  readonly classify: (error: unknown) => DeliveryFailure;
  /** Told once when a delivery is given up, so a person can fix the cause. */
  readonly onGiveUp?: (notification: Notification, code: string) => Promise<void>;
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly pollMs?: number;
  readonly concurrency?: number;
  readonly maxAttempts?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    this.stopped = false;
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
    if (this.timer) clearInterval(this.timer);
    if (this.running) await this.running;
  }

  private async runUntilIdle(): Promise<void> {
    const { repo, clock } = this.deps;
    for (;;) {
      const due = repo.nextDue(clock.now(), this.deps.concurrency ?? 8);
      if (!due.length) return;
      await Promise.all(due.map((row) => this.deliverOne(row)));
      if (this.stopped) return;
    }
  }

  private async deliverOne(row: OutboxRow): Promise<void> {
    const { repo, clock, logger } = this.deps;
    const notification = row.payload as unknown as Notification;
    const upToId = repo.maxId();
    const attempts = row.attempts + 1;
    const log = logger.child({
      outbox: row.id,
      kind: row.kind,
      ...('requestId' in notification ? { request: notification.requestId } : {}),
      attempt: attempts,
    });
    try {
      await this.deps.deliver(notification);
      repo.markDone(row, clock.now(), upToId);
      log.debug('delivered');
    } catch (error) {
      const failure = this.deps.classify(error);
      const maxAttempts = this.deps.maxAttempts ?? 10;
      if (failure.kind === 'permanent' || attempts >= maxAttempts) {
        repo.markFailed(row.id, attempts, clock.now(), failure.code);
        log.error('delivery given up', { code: failure.code });
        await this.deps
          .onGiveUp?.(notification, failure.code)
          .catch((e: unknown) => log.error('could not report an undeliverable notification', e));
        return;
      }
      const base = this.deps.baseBackoffMs ?? 1000;
      const backoff = Math.min(base * 2 ** (attempts - 1), this.deps.maxBackoffMs ?? 300_000);
      const delay = failure.afterMs ?? backoff;
      repo.markRetry(row.id, attempts, new Date(clock.now().getTime() + delay), failure.code);
      log.warn('delivery will be retried', { code: failure.code, inMs: delay });
      // The poll picks it up when due; a short delay also deserves a precise wake-up.
      if (delay < (this.deps.pollMs ?? 1000)) setTimeout(() => this.kick(), delay).unref();
    }
  }
}
