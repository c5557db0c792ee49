// A clock two threads read alike: the outbox worker (jobs/outbox-worker.ts) runs on its own
// thread, so a clock injected on the main thread (a test's, the demo's) must reach it as shared
// memory, not as an object. One BigInt64 in a SharedArrayBuffer holds the whole state, written
// with Atomics.store and read with Atomics.load, so a reader never sees half a move:
//   value * 2 + 0: "now" is Date.now() + value (a clock that runs at real speed, shifted);
//   value * 2 + 1: "now" is value, standing still.
// Production's systemClock is not shared: the worker builds its own.
import type { Clock } from '../services/ports.js';

const RUNNING = 0n;
const STILL = 1n;

/** The writable side, kept by whoever moves the time (on the main thread). */
export class SharedClockState {
  readonly buffer = new SharedArrayBuffer(8);
  private readonly cell = new BigInt64Array(this.buffer);
  private readonly listeners = new Set<() => void>();

  constructor(init: { readonly offsetMs: number } | { readonly at: number } = { offsetMs: 0 }) {
    if ('at' in init) this.stand(init.at);
    else this.run(init.offsetMs);
  }

  /** Time runs at real speed, `offsetMs` away from Date.now(). */
  run(offsetMs: number): void {
    Atomics.store(this.cell, 0, BigInt(Math.round(offsetMs)) * 2n + RUNNING);
    this.moved();
  }

  /** Time stands at `at` (ms since the epoch) until moved again. */
  stand(at: number): void {
    Atomics.store(this.cell, 0, BigInt(Math.round(at)) * 2n + STILL);
    this.moved();
  }

  now(): Date {
    return readShared(this.cell);
  }

  /** Called after every move: the runtime kicks the outbox, so rows that just came due go out. */
  onMove(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private moved(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A Clock whose time another thread can read (tests' clocks, the demo's). */
export interface ShareableClock extends Clock {
  readonly shared: SharedClockState;
}

export function isShareable(clock: Clock): clock is ShareableClock {
  return (clock as Partial<ShareableClock>).shared instanceof SharedClockState;
}

/** The reading side, rebuilt in the worker from the buffer. */
export function clockOnBuffer(buffer: SharedArrayBuffer): Clock {
  const cell = new BigInt64Array(buffer);
  return { now: () => readShared(cell) };
}

function readShared(cell: BigInt64Array): Date {
  const raw = Atomics.load(cell, 0);
  // BigInt division truncates toward zero; the mode is the low bit of the two's complement.
  const mode = raw & 1n;
  const value = Number((raw - mode) / 2n);
  return new Date(mode === STILL ? value : Date.now() + value);
}
