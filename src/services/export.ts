// `npm run export`: every request created in a range of days (configured zone), one row each.
import { addDays, type IsoDate, startOfLocalDay } from '../domain/calendar.js';
import { type ExportRow, exportColumns, exportRowOf } from '../domain/export.js';
import type { ServiceDeps } from './deps.js';

/** Ids of requests created in [from, toExclusive), oldest first (an indexed range read). */
export interface ExportReader {
  requestIdsCreatedBetween(from: Date, toExclusive: Date): number[];
}

export function exportRequests(
  deps: Pick<ServiceDeps, 'store' | 'promises' | 'config'> & { readonly reader: ExportReader },
  range: { readonly from: IsoDate; readonly to: IsoDate },
): { columns: string[]; rows: ExportRow[] } {
  const { config } = deps;
  const functionIds = Object.keys(config.functions);
  const ids = deps.reader.requestIdsCreatedBetween(
    startOfLocalDay(range.from, config.timezone),
    startOfLocalDay(addDays(range.to, 1), config.timezone),
  );
  const rows = ids.flatMap((id) => {
    const request = deps.store.loadRequest(id);
    if (!request) return [];
    return [
      exportRowOf(request, deps.promises.loadPromise(id), {
        functionIds,
        currency: config.currency,
        timeZone: config.timezone,
      }),
    ];
  });
  return { columns: exportColumns(functionIds), rows };
}
