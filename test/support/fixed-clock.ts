import { type ShareableClock, SharedClockState } from '../../src/jobs/shared-clock.js';

/**
 * A clock that stands still until told to move: for schedules and pure services. Its time is
 * shared memory (jobs/shared-clock.ts), so the outbox worker thread reads the same instant.
 */
export class FixedClock implements ShareableClock {
  readonly shared: SharedClockState;
  constructor(start: Date | string) {
    this.shared = new SharedClockState({ at: new Date(start).getTime() });
  }
  now(): Date {
    return this.shared.now();
  }
  set(at: Date | string): void {
    this.shared.stand(new Date(at).getTime());
  }
  advance(ms: number): void {
    this.shared.stand(this.now().getTime() + ms);
  }
}

/**
 * Starts at a chosen instant and then runs at real speed: end-to-end tests get a known "today"
 * while retries and backoff still become due as real time passes. `jump` moves it forward.
 * Shared with the outbox worker thread like FixedClock; every move kicks the outbox.
 */
export class OffsetClock implements ShareableClock {
  readonly shared: SharedClockState;
  private offset: number;
  private frozenAt: number | null = null;
  constructor(start: Date | string) {
    this.offset = new Date(start).getTime() - Date.now();
    this.shared = new SharedClockState({ offsetMs: this.offset });
  }
  now(): Date {
    return this.shared.now();
  }
  jump(ms: number): void {
    if (this.frozenAt !== null) {
      this.frozenAt += ms;
      this.shared.stand(this.frozenAt);
    } else {
      this.offset += ms;
      this.shared.run(this.offset);
    }
  }
  /** Stops time (nothing scheduled becomes due) until `resume`; for coalescing tests. */
  freeze(): void {
    this.frozenAt = this.now().getTime();
    this.shared.stand(this.frozenAt);
  }
  resume(): void {
    if (this.frozenAt === null) return;
    this.offset = this.frozenAt - Date.now();
    this.frozenAt = null;
    this.shared.run(this.offset);
  }
}
