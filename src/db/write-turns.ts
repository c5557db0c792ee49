// Two connections write the one WAL file: the main thread's (acks: every decision, submit and
// idempotency claim) and the outbox worker's (marks, message locations, the prune). SQLite lets
// one write at a time; a connection that finds the lock taken sleeps in its busy handler (1, 2,
// 5, 10, 15, 20, 25 … ms between tries) and, on the main thread, that sleep blocks the event
// loop. Measured at 100 submits/s: main-thread transactions slept up to 170 ms while the worker,
// which writes several times per delivery and never sleeps between them, kept taking the lock
// (submit ack p99 3.4 s). So the main thread announces each write it is about to make in shared
// memory, and the worker waits (Atomics.wait: it may block, it is not the acks' thread) until no
// write is announced before it starts one of its own. The main thread then waits at most for the
// one short write the worker had already begun. The announcement wraps the connection's write
// statements and transactions, so no repo or service needs to know.
import type Database from 'better-sqlite3';

/** The worker never waits longer than this for the main thread's announced writes to end. */
const MAX_WAIT_MS = 100;

type AnyFn = (...args: unknown[]) => unknown;

export function createWriteTurns(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

/** How long the main thread waits for the write lock before a write fails (busy_timeout's 5 s). */
const MAIN_BUSY_TIMEOUT_MS = 5000;
/** Between two tries for the lock: a fifth of a millisecond, not the busy handler's 1 → 100 ms. */
const MAIN_RETRY_MS = 0.2;

/**
 * Main thread: every write statement or transaction on `sqlite` is announced while it runs. If
 * the worker holds the lock at that moment (one short write it had already begun), the write is
 * tried again every MAIN_RETRY_MS instead of sleeping in SQLite's busy handler, whose waits grow
 * to 100 ms: this connection's busy_timeout is 0 and SQLITE_BUSY is retried here. Every write
 * transaction on this connection is BEGIN IMMEDIATE, so SQLITE_BUSY comes before `fn` ran.
 */
export function announceWrites(sqlite: Database.Database, turns: SharedArrayBuffer): void {
  const cell = new Int32Array(turns);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  sqlite.pragma('busy_timeout = 0');
  wrapWrites(sqlite, (write) => {
    Atomics.add(cell, 0, 1);
    try {
      const deadline = performance.now() + MAIN_BUSY_TIMEOUT_MS;
      for (;;) {
        try {
          return write();
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || performance.now() > deadline)
            throw error;
          Atomics.wait(pause, 0, 0, MAIN_RETRY_MS);
        }
      }
    } finally {
      Atomics.sub(cell, 0, 1);
      Atomics.notify(cell, 0);
    }
  });
}

/** Worker thread: each write statement or transaction on `sqlite` first lets announced ones pass. */
export function yieldToAnnouncedWrites(sqlite: Database.Database, turns: SharedArrayBuffer): void {
  const cell = new Int32Array(turns);
  wrapWrites(sqlite, (write) => {
    const deadline = performance.now() + MAX_WAIT_MS;
    for (;;) {
      const announced = Atomics.load(cell, 0);
      const left = deadline - performance.now();
      if (announced === 0 || left <= 0) break;
      Atomics.wait(cell, 0, announced, left);
    }
    return write();
  });
}

/**
 * Routes every write on this connection through `around`: statements that are not read-only
 * (better-sqlite3's `readonly`) and transaction functions. Inside a transaction the lock is held
 * already, so nested writes go straight through.
 */
function wrapWrites(sqlite: Database.Database, around: (write: () => unknown) => unknown): void {
  const guard = <F extends AnyFn>(fn: F): F =>
    ((...args: unknown[]) => (sqlite.inTransaction ? fn(...args) : around(() => fn(...args)))) as F;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    if (statement.readonly) return statement;
    const s = statement as unknown as Record<'run' | 'get' | 'all' | 'iterate', AnyFn>;
    for (const method of ['run', 'get', 'all', 'iterate'] as const)
      s[method] = guard(s[method].bind(statement));
    return statement;
  }) as typeof sqlite.prepare;
  const transaction = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: AnyFn) => {
    const tx = transaction(fn) as unknown as AnyFn & Record<'deferred' | 'immediate' | 'exclusive', AnyFn>;
    const wrapped = guard(tx) as AnyFn & Record<string, AnyFn>;
    for (const mode of ['deferred', 'immediate', 'exclusive'] as const) wrapped[mode] = guard(tx[mode]);
    wrapped.default = wrapped;
    return wrapped;
  }) as unknown as typeof sqlite.transaction;
}
