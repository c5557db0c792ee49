// Builds the weekly imbalance digest (and its 8-week trend) from what the database holds. The
// reads cost what the week costs, not the history: see db/digest-repo.ts.
import type { Config } from '../config.js';
import { addDays, type IsoDate, weekStart } from '../domain/calendar.js';
import {
  type CapacitySection,
  computeDigest,
  computeTrendWeek,
  type Digest,
  type DigestInput,
  type TrendWeek,
  weekBounds,
} from '../domain/digest.js';
import type { Clock, DigestReader } from './ports.js';

export interface DigestDeps {
  readonly reader: DigestReader;
  readonly config: Config;
  readonly clock: Clock;
  /**
   * The next weeks' load per product line, from the capacity feature when it is wired in; the
   * digest renders it as a section when given.
   */
  readonly capacity?: (weekStart: IsoDate) => CapacitySection | undefined;
}

function baseInput(config: Config) {
  return {
    timeZone: config.timezone,
    businessHours: config.reminders.business_hours,
    functions: Object.values(config.functions).map((f) => ({ id: f.id, label: f.label })),
    productLines: config.product_lines.map((p) => ({
      id: p.id,
      name: p.name,
      leadTimeDays: p.lead_time_days,
    })),
  };
}

/** The digest of the week (Monday to Sunday, configured zone) that contains `day`. */
export function buildWeeklyDigest(deps: DigestDeps, day: IsoDate): Digest {
  const { reader, config, clock } = deps;
  const monday = weekStart(day);
  const cur = weekBounds(monday, config.timezone);
  const prev = weekBounds(addDays(monday, -7), config.timezone);
  const capacity = deps.capacity?.(monday);
  const input: DigestInput = {
    ...baseInput(config),
    weekStart: monday,
    current: reader.weekRows(cur.start, cur.end),
    previous: reader.previousWeek(prev.start, prev.end),
    pendingNow: reader.pendingNow(),
    asOf: clock.now(),
    ...(capacity ? { capacity } : {}),
  };
  return computeDigest(input);
}

/** Requests in, cleared, blocked and median decision time per function, for `weeks` weeks up to `day`'s. */
export function buildTrend(
  deps: Pick<DigestDeps, 'reader' | 'config'>,
  day: IsoDate,
  weeks = 8,
): TrendWeek[] {
  const last = weekStart(day);
  const out: TrendWeek[] = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const monday = addDays(last, -7 * i);
    const b = weekBounds(monday, deps.config.timezone);
    out.push(
      computeTrendWeek({
        ...baseInput(deps.config),
        weekStart: monday,
        current: deps.reader.weekRows(b.start, b.end),
      }),
    );
  }
  return out;
}
