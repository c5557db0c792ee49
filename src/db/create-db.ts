import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The committed migrations, found relative to this file in src/ (tsx) and dist/ (built) alike. */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** The database and its -wal/-shm hold customers, values and reasons: owner-only. */
export const DB_FILE_MODE = 0o600;
/** A folder the bot creates for its database: owner-only too. */
export const DB_FOLDER_MODE = 0o700;

/**
 * Makes the database file, and its folder when missing, private whatever the umask (mkdir and
 * open apply it; chmod does not). An existing folder is left as the operator made it; existing
 * files are made 0600. SQLite creates -wal and -shm with the database file's mode.
 */
export function preparePrivateFile(path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) {
    mkdirSync(folder, { recursive: true, mode: DB_FOLDER_MODE });
    chmodSync(folder, DB_FOLDER_MODE);
  }
  if (!existsSync(path)) closeSync(openSync(path, 'a', DB_FILE_MODE));
  privateSidecars(path);
}

function privateSidecars(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`])
    if (existsSync(file)) chmodSync(file, DB_FILE_MODE);
}

/**
 * Opens (creating its folder if needed) and migrates the database. WAL lets the digest read
 * while a decision writes; foreign keys are off by default in SQLite and must be asked for on
 * every connection; busy_timeout makes a second process wait for the write lock rather than fail.
 */
export function createDb(path: string, options: { migrate?: boolean } = {}): Db {
  const onDisk = path !== ':memory:' && !path.startsWith('file:');
  if (onDisk) preparePrivateFile(path);
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // -wal and -shm exist now; ones left by an older version may still be 0644.
  if (onDisk) privateSidecars(path);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema });
  if (options.migrate ?? true) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}

/**
 * Makes the next request id (and so its CG-n) at least `floor + 1`, and reports what it found.
 * requests.id is AUTOINCREMENT: sqlite_sequence holds the highest id ever given, which a restored
 * or re-created file has forgotten.
 */
export function raiseRequestSequence(
  db: Db,
  floor: number,
): { stored: number; requests: number; raised: boolean } {
  const sqlite = db.$client;
  const requests = Number(sqlite.prepare('SELECT count(*) FROM requests').pluck().get());
  const seq = sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'requests'").pluck().get();
  const stored = Math.max(
    Number(seq ?? 0),
    Number(sqlite.prepare('SELECT coalesce(max(id), 0) FROM requests').pluck().get()),
  );
  if (floor <= stored) return { stored, requests, raised: false };
  sqlite
    .transaction(() => {
      if (seq === undefined)
        sqlite.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('requests', ?)").run(floor);
      else sqlite.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'requests'").run(floor);
    })
    .immediate();
  return { stored, requests, raised: true };
}
