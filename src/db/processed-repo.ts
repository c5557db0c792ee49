// Remembers which Slack deliveries were processed, so a redelivery (an Events API retry, a
// repeated interaction) is recognised and dropped. Keys are Slack's own unique ids.
import type { Db } from './create-db.js';

export interface ProcessedRepo {
  /** Records the key; false when it was recorded before (a redelivery). */
  claim(key: string, at: Date): boolean;
  /** Forgets keys recorded before `before`; returns how many. */
  prune(before: Date): number;
}

export function createProcessedRepo(db: Db): ProcessedRepo {
  const sqlite = db.$client;
  const claim = sqlite.prepare('INSERT OR IGNORE INTO processed_interactions (key, at) VALUES (?, ?)');
  const prune = sqlite.prepare('DELETE FROM processed_interactions WHERE at < ?');
  return {
    claim: (key, at) => claim.run(key, at.getTime()).changes === 1,
    prune: (before) => prune.run(before.getTime()).changes,
  };
}
