// A consistent copy of the live database while the bot keeps running: SQLite's online backup
// API copies pages in steps and restarts a step a writer touched, so the copy is one moment's
// state (WAL included) without stopping the bot. The copy is checked before it is called good.
import Database from 'better-sqlite3';
import { preparePrivateFile } from './create-db.js';

export interface BackupResult {
  readonly pages: number;
}

export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  // A copy holds what the database holds: private like it (0600, a new folder 0700).
  preparePrivateFile(target);
  // readonly: the backup never writes to the live database; busy_timeout waits out a writer.
  const live = new Database(source, { readonly: true, fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    const progress = await live.backup(target);
    const copy = new Database(target);
    try {
      // A restored file runs in WAL mode like the original (createDb sets it on open anyway).
      copy.pragma('journal_mode = WAL');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`${target}: integrity_check says ${String(check)}`);
    } finally {
      copy.close();
    }
    return { pages: progress.totalPages };
  } finally {
    live.close();
  }
}
