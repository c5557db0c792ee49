import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The committed migrations, found relative to this file in src/ (tsx) and dist/ (built) alike. */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Opens (creating its folder if needed) and migrates the database. WAL lets the digest read
 * while a decision writes; foreign keys are off by default in SQLite and must be asked for on
 * every connection; busy_timeout makes a second process wait for the write lock rather than fail.
 */
export function createDb(path: string, options: { migrate?: boolean } = {}): Db {
  if (path !== ':memory:' && !path.startsWith('file:'))
    mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
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
