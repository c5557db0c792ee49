// Runs the time-driven tasks (the weekly digest claim; reminders, escalations and expiry) on a
// real timer. One of the two places with timers (with jobs/outbox.ts). The tasks decide what is
// due from the injected clock and claim it in SQLite, so this loop holds no state worth losing:
// a tick at start makes up whatever was missed while the bot was down.
import type { AppLogger } from '../logger.js';

export interface ScheduledTask {
  readonly name: string;
  run(): unknown;
}

export interface SchedulerDeps {
  readonly tasks: readonly ScheduledTask[];
  readonly logger: AppLogger;
  /** How often to look; due work is claimed in SQLite, so the period only bounds lateness. */
  readonly intervalMs?: number;
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Ticks at once (catch-up after downtime), then every interval. */
  start(): void {
    // tick() never rejects (each task's failure is logged), so nothing is left floating here.
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? 60_000);
    this.timer.unref();
    void this.tick();
  }

  /** Runs every task once; overlapping calls share the run in flight. Never rejects. */
  tick(): Promise<void> {
    this.running ??= this.runAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the timer and waits for the run in flight; later ticks do nothing. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.running) await this.running;
  }

  private async runAll(): Promise<void> {
    for (const task of this.deps.tasks) {
      if (this.closed) return;
      try {
        const result = await task.run();
        this.deps.logger.debug('scheduled task ran', { task: task.name, result });
      } catch (error) {
        this.deps.logger.error('scheduled task failed', { task: task.name }, error);
      }
    }
  }
}
