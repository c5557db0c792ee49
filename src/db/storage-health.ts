// Whether the database can take writes right now, and whether the file the bot opened is still
// the one at DATABASE_PATH. A read-only file, a full disk or a file deleted or replaced under the
// running bot otherwise stay invisible: reads keep working, /healthz said ok, and every click
// failed on its first write without an answer. Failures are recorded where they happen (the first
// write of every delivery is the idempotency claim), logged once per episode with their cause,
// shown by /healthz (503), and cleared by a probe write once the cause has gone.
import { statSync } from 'node:fs';
import type { AppLogger } from '../logger.js';
import type { Db } from './create-db.js';

export type StorageProblem =
  | { readonly kind: 'write_failed'; readonly code: string; readonly message: string }
  | { readonly kind: 'file_deleted' }
  | { readonly kind: 'file_replaced' };

/** SQLite result codes that mean the storage (not the statement) is at fault. */
const STORAGE_CODES = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|CORRUPT|NOTADB|PERM)/;

export function isStorageError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.test(code);
}

export class StorageHealth {
  private readonly identity: { dev: number; ino: number } | null;
  private failure: StorageProblem | null = null;
  private reported: string | null = null;
  private readonly probe: { run(at: number): unknown } | null;

  constructor(
    private readonly db: Db,
    private readonly path: string,
    private readonly logger: AppLogger,
  ) {
    const onDisk = path !== ':memory:' && !path.startsWith('file:');
    const stat = onDisk ? statSync(path, { throwIfNoEntry: false }) : undefined;
    this.identity = stat ? { dev: stat.dev, ino: stat.ino } : null;
    // A real write (a commit appends to the WAL), on the key space the idempotency claims use.
    this.probe = db.$client.prepare(
      "INSERT INTO processed_interactions (key, at) VALUES ('storage:probe', ?) ON CONFLICT(key) DO UPDATE SET at = excluded.at",
    );
  }

  /** Records a write failure; returns true when it was a storage failure (then logged once). */
  recordFailure(error: unknown): boolean {
    if (!isStorageError(error)) return false;
    this.failure = { kind: 'write_failed', code: error.code, message: error.message };
    this.report(this.failure);
    return true;
  }

  /** A write went through: a recorded write failure is over. */
  recordSuccess(): void {
    if (this.failure?.kind !== 'write_failed') return;
    this.failure = null;
    this.recovered();
  }

  /**
   * The current problem, or null. Cheap (one stat) while healthy; after a write failure it tries
   * a probe write, so the bot recovers by itself when the disk has room or the file is writable.
   */
  problem(at: Date): StorageProblem | null {
    const file = this.fileProblem();
    if (file) {
      this.report(file);
      return file;
    }
    if (this.failure?.kind === 'write_failed') {
      try {
        this.probe?.run(at.getTime());
        this.recordSuccess();
      } catch (error) {
        if (!this.recordFailure(error)) throw error;
      }
    }
    return this.failure;
  }

  private fileProblem(): StorageProblem | null {
    if (!this.identity) return null;
    const now = statSync(this.path, { throwIfNoEntry: false });
    if (!now) return { kind: 'file_deleted' };
    if (now.dev !== this.identity.dev || now.ino !== this.identity.ino) return { kind: 'file_replaced' };
    return null;
  }

  private report(problem: StorageProblem): void {
    const key = problem.kind === 'write_failed' ? `${problem.kind}:${problem.code}` : problem.kind;
    if (this.reported === key) return;
    this.reported = key;
    const context = { databasePath: this.path, problem };
    if (problem.kind === 'file_deleted') this.rescue();
    if (problem.kind === 'write_failed')
      this.logger.error(`the database cannot be written (${problem.code}): ${problem.message}`, context);
    else
      this.logger.error(
        `the database file at ${this.path} was ${problem.kind === 'file_deleted' ? 'deleted' : 'replaced'} under the running bot: refusing every change until it is restarted (put the file back first; see README, Backups)`,
        context,
      );
  }

  /**
   * A deleted file lives on only in this process's open connection: copy it out beside the path
   * (SQLite's online backup, as db:backup does) so a restart can start from it, not from nothing.
   */
  private rescue(): void {
    const target = `${this.path}.rescued-${Date.now()}`;
    this.db.$client
      .backup(target)
      .then(() =>
        this.logger.error(`the deleted database was saved to ${target}: move it to ${this.path} and restart`),
      )
      .catch((error: unknown) => this.logger.error('could not save the deleted database', error));
  }

  private recovered(): void {
    if (this.reported === null) return;
    this.logger.info('the database takes writes again', { databasePath: this.path });
    this.reported = null;
  }
}

export function describeProblem(problem: StorageProblem): string {
  switch (problem.kind) {
    case 'write_failed':
      return problem.code === 'SQLITE_FULL' ? 'disk_full' : problem.code.toLowerCase();
    case 'file_deleted':
      return 'database_file_deleted';
    case 'file_replaced':
      return 'database_file_replaced';
  }
}
