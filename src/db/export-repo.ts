// The export's one query of its own: requests by creation time (requests_created_at_idx).
import type { ExportReader } from '../services/export.js';
import type { Db } from './create-db.js';

export function createExportReader(db: Db): ExportReader {
  const ids = db.$client
    .prepare<[number, number], number>(
      'SELECT id FROM requests WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id',
    )
    .pluck();
  return {
    requestIdsCreatedBetween: (from, toExclusive) => ids.all(from.getTime(), toExclusive.getTime()),
  };
}
