// Builds the weekly imbalance digest (and its 8-week trend) from what the database holds. The
// reads cost what the week costs, not the history: see db/digest-repo.ts.
import { type Config, promiseRoles } from '../config.js';
import { addDays, type IsoDate, localDate, weekStart } from '../domain/calendar.js';
import {
  type CapacitySection,
  computeDigest,
  type Digest,
  type DigestInput,
  type TrendWeek,
  trendWeekOf,
  weekBounds,
} from '../domain/digest.js';
import {
  computeScoreboard,
  DEFAULT_PAYMENT_TERMS_DAYS,
  HISTORY_WEEKS,
  headlineOf,
  LINKS,
  promiseWindowOf,
  type Scoreboard,
  type ScoreEvent,
} from '../domain/scoreboard.js';
import { DIGEST_CAPACITY_WEEKS } from './capacity.js';
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

/** The parts of a digest input that come from the config alone (also bench/digest-breakdown.ts). */
export function baseInput(config: Config) {
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

/**
 * The six links and Promises kept for the week that contains `day`: the nine weeks' requests
 * (this week and the eight before) week by week, their events as facts per week (see
 * ScoreEventFacts), and the promises the window touches as facts per week (see PromiseFacts).
 * A reader with a week cache (db/digest-week-cache.ts) counts only the weeks it has not kept.
 */
export function buildScoreboard(
  deps: Pick<DigestDeps, 'reader' | 'config' | 'clock'>,
  day: IsoDate,
  capacity?: DigestInput['capacity'],
): Scoreboard {
  const { reader, config, clock } = deps;
  const monday = weekStart(day);
  const first = addDays(monday, -7 * HISTORY_WEEKS);
  const mondays = Array.from({ length: HISTORY_WEEKS + 1 }, (_, i) => addDays(first, 7 * i));
  const bounds = mondays.map((m) => weekBounds(m, config.timezone));
  const submitted = reader.scoreRequestWeeks(bounds);
  // The events come as facts per week (grouped by the database), not rows.
  const facts = reader.scoreEventFacts(bounds);
  const firstRequest = reader.firstRequestAt()?.getTime() ?? Number.POSITIVE_INFINITY;
  const weeks = mondays.map((m, i) => ({
    weekStart: m,
    inUse: (bounds[i]?.end.getTime() ?? 0) > firstRequest,
    submitted: submitted[i] ?? [],
    events: [] as ScoreEvent[],
    ...(facts[i] ? { eventFacts: facts[i] } : {}),
  }));
  const asOf = clock.now();
  const today = localDate(asOf, config.timezone);
  // The promises come as facts per week (counted by the database), not rows.
  const promiseFacts = reader.promiseFacts(promiseWindowOf(mondays, today), mondays, today);
  const roles = promiseRoles(config);
  return computeScoreboard({
    ...baseInput(config),
    weekStart: monday,
    asOf,
    today,
    weeks,
    promises: [],
    promiseFacts,
    functions: Object.values(config.functions).map((f) => ({
      id: f.id,
      label: f.label,
      owners: f.owners,
      approvals: f.approvals,
    })),
    defaultPaymentTermsDays: DEFAULT_PAYMENT_TERMS_DAYS,
    executionFunction: roles.confirmedBy ?? 'operations',
    qualityFunction: roles.qualityBy ?? 'quality',
    peopleFunction: 'people',
    ...(capacity ? { capacity } : {}),
  });
}

/** The digest of the week (Monday to Sunday, configured zone) that contains `day`. */
export function buildWeeklyDigest(deps: DigestDeps, day: IsoDate): Digest {
  const { reader, config, clock } = deps;
  const monday = weekStart(day);
  const cur = weekBounds(monday, config.timezone);
  const prev = weekBounds(addDays(monday, -7), config.timezone);
  const horizon = deps.capacity?.(monday);
  // The capacity section shows the next weeks; the scoreboard reads the whole horizon.
  const capacity = horizon && {
    lines: horizon.lines.map((l) => ({ ...l, weeks: l.weeks?.slice(0, DIGEST_CAPACITY_WEEKS) ?? null })),
  };
  const input: DigestInput = {
    ...baseInput(config),
    weekStart: monday,
    current: reader.weekRows(cur.start, cur.end),
    previous: reader.previousWeek(prev.start, prev.end),
    pendingNow: reader.pendingNow(),
    asOf: clock.now(),
    ...(capacity ? { capacity } : {}),
  };
  return { ...computeDigest(input), scoreboard: buildScoreboard(deps, day, horizon) };
}

/**
 * Requests in, cleared, blocked and median decision time per function, for `weeks` weeks up to
 * `day`'s. Pass the digest's scoreboard of that week when it is at hand: the links' figures are
 * then taken from it instead of being computed again.
 */
export function buildTrend(
  deps: Pick<DigestDeps, 'reader' | 'config'> & Partial<Pick<DigestDeps, 'clock'>>,
  day: IsoDate,
  weeks = 8,
  scoreboard?: Scoreboard,
): TrendWeek[] {
  const last = weekStart(day);
  // The links' headline figures come from the scoreboard's history (nine weeks, oldest first).
  const sb = scoreboard ?? (deps.clock ? buildScoreboard({ ...deps, clock: deps.clock }, day) : null);
  const linkValues = (index: number): Record<string, number | null> | undefined => {
    if (!sb) return undefined;
    return Object.fromEntries(
      LINKS.map((link) => {
        const h = headlineOf(sb, link)?.history ?? [];
        return [link, h[h.length - weeks + index] ?? null];
      }),
    );
  };
  const mondays = Array.from({ length: weeks }, (_, i) => addDays(last, -7 * (weeks - 1 - i)));
  const bounds = mondays.map((m) => weekBounds(m, deps.config.timezone));
  const first = bounds[0];
  const final = bounds[bounds.length - 1];
  // One read of the whole span, counted per week by the database (see TrendFacts).
  const perWeek = first && final ? deps.reader.trendFacts(bounds) : [];
  return mondays.map((monday, i) => {
    const links = linkValues(i);
    const facts = perWeek[i];
    if (!facts) throw new RangeError('buildTrend: a week without rows');
    return {
      ...trendWeekOf({ ...baseInput(deps.config), weekStart: monday, facts }),
      ...(links ? { links } : {}),
    };
  });
}

/**
 * Counts the week that ended last (the one the Monday digest scores) ahead of the digest, unless
 * `isKept` says its facts are all kept already: the outbox worker asks every minute, so the
 * digest finds the week kept instead of counting it when it is due. True when it counted.
 */
export function prepareLastWeek(deps: DigestDeps, isKept: (monday: IsoDate) => boolean): boolean {
  const today = localDate(deps.clock.now(), deps.config.timezone);
  const lastMonday = addDays(weekStart(today), -7);
  if (isKept(lastMonday)) return false;
  const digest = buildWeeklyDigest(deps, lastMonday);
  buildTrend(deps, lastMonday, undefined, digest.scoreboard);
  return true;
}
