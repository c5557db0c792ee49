import type { Clock } from '../../src/services/ports.js';

/** A clock that stands still until told to move: for schedules and pure services. */
export class FixedClock implements Clock {
  private current: Date;
  constructor(start: Date | string) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * Starts at a chosen instant and then runs at real speed: end-to-end tests get a known "today"
 * while retries and backoff still become due as real time passes. `jump` moves it forward.
 */
export class OffsetClock implements Clock {
  private offset: number;
  private frozenAt: number | null = null;
  constructor(start: Date | string) {
    this.offset = new Date(start).getTime() - Date.now();
  }
  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offset);
  }
  jump(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offset += ms;
  }
  /** Stops time (nothing scheduled becomes due) until `resume`; for coalescing tests. */
  freeze(): void {
    this.frozenAt = this.now().getTime();
  }
  resume(): void {
    if (this.frozenAt === null) return;
    this.offset = this.frozenAt - Date.now();
    this.frozenAt = null;
  }
}
