// The digest's facts of weeks that have ended, kept in digest_weeks so that a digest, its trend
// and the leadership board count only the weeks nothing has kept yet (usually the week in
// progress) instead of all nine weeks each time. Kept facts are never stale: triggers (migration
// 0015) delete every kept week a write can change, in the writer's transaction, so a kept week
// equals what counting it again would answer (test/integration/digest-week-cache.test.ts checks
// that after every kind of late write).
//
// What is kept, per week: the scoreboard's event facts ('events'), the trend's facts ('trend'),
// the scoreboard's requests ('requests'), the promise facts ('promises') and the flow digest's
// rows ('flow': the week's requests, events, sign-offs and approvals with conditions). Only
// weeks that have ended are kept: for instants, a week whose end is at or before now; for promises, which are
// judged as known on a day, a week whose next Monday is at or before that day (the week is then
// over on every side: its overdue cutoff is its end and none of its promises is still to come).
// The at-risk candidates look ahead and are always read.
//
// Filling a week cannot hide a write: the filler first reserves the week (a row with its token
// and no facts) in a write of its own, then counts, then writes the facts into that row only if
// it is still its reservation. A write committed after the reservation deleted it (its trigger),
// so facts counted before that write are never kept; a write committed before it is in the count.
// If the database cannot be written (read-only, or locked), the weeks are counted and not kept.
import { randomInt } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { type IsoDate, localDate } from '../domain/calendar.js';
import type { DigestEvent, DigestRequest, DigestSignOff, TrendFacts, WeekRows } from '../domain/digest.js';
import {
  atRiskRangeOf,
  type PromiseFacts,
  type PromiseWeekFacts,
  plusDays,
  promiseWindowOf,
  type ScoreEventFacts,
  type ScoreRequest,
} from '../domain/scoreboard.js';
import type { Clock, DigestReader, PromiseWindow } from '../services/ports.js';
import type { Db } from './create-db.js';

export interface WeekCacheOptions {
  /** What "ended" is judged against. */
  readonly clock: Clock;
  /** The configured zone: a week's days as people name them. */
  readonly timeZone: string;
}

type Kind = 'events' | 'trend' | 'requests' | 'promises' | 'flow';
/** Every kind a digest of a week reads for it (the trend's week included). */
export const WEEK_KINDS: readonly Kind[] = ['events', 'trend', 'requests', 'promises', 'flow'];

/** Which kinds of the week starting on `monday` (in the configured zone) are kept. */
export function keptKinds(db: Db, monday: IsoDate): Set<string> {
  return new Set(statementsOf(db.$client).keptKinds.all(monday));
}
interface Week {
  readonly start: Date;
  readonly end: Date;
}

/**
 * Kept facts start with this. Change it whenever a kind's facts change shape or meaning (a field
 * added, a count defined differently): rows kept by an older version are then counted again and
 * replaced, never read as if they were this version's.
 */
export const FACTS_FORMAT = '1|';

/** How many kept weeks (of all kinds) the table holds at most; the oldest go first. */
export const MAX_KEPT_WEEKS = 400;
const DAY_MS = 86_400_000;

/** What each kind keeps for a week. */
interface FactsOf {
  readonly events: ScoreEventFacts;
  readonly trend: TrendFacts;
  readonly requests: ScoreRequest[];
  readonly promises: PromiseWeekFacts;
  readonly flow: WeekRows;
}
interface Codec<T> {
  readonly encode: (facts: T) => string;
  readonly decode: (text: string) => T;
}

/** Each kind's facts as JSON text and back (Dates as milliseconds). */
const codecs: { readonly [K in Kind]: Codec<FactsOf[K]> } = {
  events: {
    encode: (f: ScoreEventFacts) =>
      JSON.stringify([
        f.groups,
        f.actTimes,
        f.escalations.map((e) => [e.at.getTime(), e.signOffDecidedAt?.getTime() ?? null]),
      ]),
    decode: (text: string): ScoreEventFacts => {
      const [groups, actTimes, escalations] = JSON.parse(text) as [
        ScoreEventFacts['groups'],
        number[],
        [number, number | null][],
      ];
      return {
        groups,
        actTimes,
        escalations: escalations.map(([at, decided]) => ({
          at: new Date(at),
          signOffDecidedAt: decided === null ? null : new Date(decided),
        })),
      };
    },
  },
  trend: {
    encode: (f: TrendFacts) => JSON.stringify(f),
    decode: (text: string) => JSON.parse(text) as TrendFacts,
  },
  // A thousand requests a week: rows as arrays, read back field by field (no spread, no keys).
  requests: {
    encode: (rs: ScoreRequest[]) =>
      JSON.stringify(
        rs.map((r) => [
          r.id,
          r.productLineId,
          r.valueMinor,
          r.deliveryDate,
          r.createdAt.getTime(),
          r.paymentTermsDays,
          r.discountPercent,
          r.functions,
          r.revised ? 1 : 0,
        ]),
      ),
    decode: (text: string): ScoreRequest[] => {
      const rows = JSON.parse(text) as [
        number,
        string,
        number,
        string,
        number,
        number,
        number,
        string[],
        number,
      ][];
      const out: ScoreRequest[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as (typeof rows)[number];
        out[i] = {
          id: r[0],
          productLineId: r[1],
          valueMinor: r[2],
          deliveryDate: r[3],
          createdAt: new Date(r[4]),
          paymentTermsDays: r[5],
          discountPercent: r[6],
          functions: r[7],
          revised: r[8] === 1,
        };
      }
      return out;
    },
  },
  promises: {
    encode: (f: PromiseWeekFacts) => JSON.stringify(f),
    decode: (text: string) => JSON.parse(text) as PromiseWeekFacts,
  },
  // The flow digest's rows: requests and sign-offs once each (the submitted are among the
  // requests), events in id order, Maps and Sets as arrays.
  flow: {
    encode: (w: WeekRows) =>
      JSON.stringify([
        [...w.requests.values()].map((r) => [
          r.id,
          r.productLineId,
          r.valueMinor,
          r.deliveryDate,
          r.status,
          r.createdAt.getTime(),
        ]),
        w.submitted.map((r) => r.id),
        [...w.askedByFunction],
        w.events.map((e) => [e.id, e.requestId, e.signOffId, e.type, e.actorId, e.at.getTime(), e.data]),
        [...w.signOffs.values()].map((x) => [x.id, x.requestId, x.functionId, x.askedAt.getTime()]),
        [...w.withConditions],
      ]),
    decode: (text: string): WeekRows => {
      const [requests, submitted, asked, events, signOffs, withConditions] = JSON.parse(text) as [
        [number, string, number, IsoDate, DigestRequest['status'], number][],
        number[],
        [string, number][],
        [number, number, number | null, string, string | null, number, Record<string, unknown>][],
        [number, number, string, number][],
        number[],
      ];
      const byId = new Map<number, DigestRequest>();
      for (const [id, productLineId, valueMinor, deliveryDate, status, createdAt] of requests) {
        byId.set(id, { id, productLineId, valueMinor, deliveryDate, status, createdAt: new Date(createdAt) });
      }
      return {
        submitted: submitted.map((id) => byId.get(id) as DigestRequest),
        askedByFunction: new Map(asked),
        events: events.map(
          ([id, requestId, signOffId, type, actorId, at, data]): DigestEvent => ({
            id,
            requestId,
            signOffId,
            type,
            actorId,
            at: new Date(at),
            data,
          }),
        ),
        requests: byId,
        signOffs: new Map(
          signOffs.map(([id, requestId, functionId, askedAt]): [number, DigestSignOff] => [
            id,
            { id, requestId, functionId, askedAt: new Date(askedAt) },
          ]),
        ),
        withConditions: new Set(withConditions),
      };
    },
  },
};

interface CacheStatements {
  readonly tokens: Statement<[Kind, number, number], { start: number; end: number; token: number }>;
  readonly facts: Statement<[Kind, number, number, number], string>;
  readonly reserve: Statement<[Kind, number, number, string, string, number]>;
  readonly fill: Statement<[string, Kind, number, number, number]>;
  readonly trim: Statement<[number]>;
  readonly keptKinds: Statement<[IsoDate], string>;
}
const prepared = new WeakMap<Database, CacheStatements>();
/**
 * Kept facts already read, by kind, week and token: a row's facts are written once, into the
 * reservation its token names, and a new reservation draws a new token, so a token seen again
 * means the same facts (read once per connection, not decoded at every digest and board).
 */
const decoded = new WeakMap<Database, Map<string, unknown>>();

function statementsOf(sqlite: Database): CacheStatements {
  let st = prepared.get(sqlite);
  if (!st) {
    st = {
      tokens: sqlite.prepare(
        `SELECT start_ms AS start, end_ms AS "end", token FROM digest_weeks
         WHERE kind = ? AND start_ms >= ? AND start_ms < ? AND facts IS NOT NULL`,
      ),
      facts: sqlite
        .prepare(
          'SELECT facts FROM digest_weeks WHERE kind = ? AND start_ms = ? AND end_ms = ? AND token = ?',
        )
        .pluck() as Statement<[Kind, number, number, number], string>,
      reserve: sqlite.prepare(
        `INSERT INTO digest_weeks (kind, start_ms, end_ms, first_day, last_day, token, facts)
         VALUES (?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (kind, start_ms, end_ms) DO UPDATE SET token = excluded.token, facts = NULL`,
      ),
      fill: sqlite.prepare(
        `UPDATE digest_weeks SET facts = ?
         WHERE kind = ? AND start_ms = ? AND end_ms = ? AND token = ? AND facts IS NULL`,
      ),
      keptKinds: sqlite
        .prepare('SELECT kind FROM digest_weeks WHERE first_day = ? AND facts IS NOT NULL')
        .pluck() as Statement<[IsoDate], string>,
      trim: sqlite.prepare(
        `DELETE FROM digest_weeks WHERE rowid IN (
           SELECT rowid FROM digest_weeks ORDER BY end_ms DESC LIMIT -1 OFFSET ?)`,
      ),
    };
    prepared.set(sqlite, st);
  }
  return st;
}

/** Writes that may fail without failing the digest: the weeks are then counted, not kept. */
function isUnwritable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_READONLY'));
}

/** `reader` with the facts of ended weeks kept in (and read from) digest_weeks. */
export function withWeekCache(db: Db, reader: DigestReader, options: WeekCacheOptions): DigestReader {
  const sqlite = db.$client;
  const st = statementsOf(sqlite);
  const { clock, timeZone } = options;
  const memo: Map<string, unknown> = decoded.get(sqlite) ?? new Map();
  decoded.set(sqlite, memo);
  const remember = (key: string, facts: unknown) => {
    if (memo.size >= MAX_KEPT_WEEKS) memo.delete(memo.keys().next().value as string);
    memo.set(key, facts);
  };

  /**
   * The facts of each of `weeks` (consecutive), kept ones read, the others counted by `count`
   * (given runs of consecutive weeks) and kept if `ended`.
   */
  function perWeek<K extends Kind, T extends FactsOf[K] = FactsOf[K]>(
    kind: K,
    weeks: readonly Week[],
    days: (i: number) => { first: IsoDate; last: IsoDate },
    ended: (i: number) => boolean,
    count: (run: readonly number[]) => readonly T[],
  ): T[] {
    const first = weeks[0];
    const last = weeks[weeks.length - 1];
    if (!first || !last) return [];
    const codec = codecs[kind] as Codec<FactsOf[K]>;
    const tokens = new Map<string, number>();
    for (const row of st.tokens.all(kind, first.start.getTime(), last.end.getTime())) {
      tokens.set(`${row.start}:${row.end}`, row.token);
    }
    const out: (T | undefined)[] = weeks.map((w, i) => {
      const token = ended(i) ? tokens.get(`${w.start.getTime()}:${w.end.getTime()}`) : undefined;
      if (token === undefined) return undefined;
      const key = `${kind}:${w.start.getTime()}:${w.end.getTime()}:${token}`;
      if (memo.has(key)) return memo.get(key) as T;
      const text = st.facts.get(kind, w.start.getTime(), w.end.getTime(), token);
      if (text === undefined || !text.startsWith(FACTS_FORMAT)) return undefined;
      const facts = codec.decode(text.slice(FACTS_FORMAT.length)) as T;
      remember(key, facts);
      return facts;
    });
    const missing = out.flatMap((t, i) => (t === undefined ? [i] : []));
    if (missing.length === 0) return out as T[];
    // Inside a caller's transaction the weeks are counted in its snapshot and not kept.
    const keep = sqlite.inTransaction ? [] : missing.filter(ended);
    const token = keep.length ? reserve(kind, keep, weeks, days) : null;
    // Consecutive missing weeks are counted together, as the reader counts a window.
    let run: number[] = [];
    const flush = () => {
      if (!run.length) return;
      const facts = count(run);
      run.forEach((i, k) => {
        out[i] = facts[k];
      });
      run = [];
    };
    for (const i of missing) {
      if (run.length && (run[run.length - 1] as number) !== i - 1) flush();
      run.push(i);
    }
    flush();
    if (token !== null) {
      const filled = fill(kind, keep, weeks, token, (i) => FACTS_FORMAT + codec.encode(out[i] as T));
      for (const i of filled) {
        const w = weeks[i] as Week;
        remember(`${kind}:${w.start.getTime()}:${w.end.getTime()}:${token}`, out[i]);
      }
    }
    return out as T[];
  }

  function reserve(
    kind: Kind,
    keep: readonly number[],
    weeks: readonly Week[],
    days: (i: number) => { first: IsoDate; last: IsoDate },
  ): number | null {
    const token = randomInt(2 ** 47);
    try {
      sqlite.transaction(() => {
        for (const i of keep) {
          const w = weeks[i] as Week;
          const d = days(i);
          st.reserve.run(kind, w.start.getTime(), w.end.getTime(), d.first, d.last, token);
        }
      })();
      return token;
    } catch (error) {
      if (isUnwritable(error)) return null;
      throw error;
    }
  }

  function fill(
    kind: Kind,
    keep: readonly number[],
    weeks: readonly Week[],
    token: number,
    text: (i: number) => string,
  ): number[] {
    try {
      return sqlite.transaction(() => {
        const filled: number[] = [];
        for (const i of keep) {
          const w = weeks[i] as Week;
          // Still our reservation: no write deleted it since (and no other filler took it over).
          if (st.fill.run(text(i), kind, w.start.getTime(), w.end.getTime(), token).changes === 1)
            filled.push(i);
        }
        st.trim.run(MAX_KEPT_WEEKS);
        return filled;
      })();
    } catch (error) {
      if (!isUnwritable(error)) throw error;
      return [];
    }
  }

  const instantDays = (weeks: readonly Week[]) => (i: number) => {
    const w = weeks[i] as Week;
    return { first: localDate(w.start, timeZone), last: localDate(new Date(w.end.getTime() - 1), timeZone) };
  };
  const endedBy = (weeks: readonly Week[]) => {
    const now = clock.now().getTime();
    return (i: number) => (weeks[i] as Week).end.getTime() <= now;
  };
  /** A promise week's key: its days as UTC midnights (promise facts are counted by day, in no zone). */
  const dayWeek = (monday: IsoDate): Week => {
    const start = Date.parse(`${monday}T00:00:00Z`);
    return { start: new Date(start), end: new Date(start + 7 * DAY_MS) };
  };
  const sameWindow = (a: PromiseWindow, b: PromiseWindow) =>
    a.from === b.from && a.to === b.to && a.atRiskTo === b.atRiskTo && a.overdueBefore === b.overdueBefore;

  return {
    ...reader,
    weekRows: (start, end) => {
      const weeks = [{ start, end }];
      return perWeek('flow', weeks, instantDays(weeks), endedBy(weeks), () => [
        reader.weekRows(start, end),
      ])[0] as WeekRows;
    },
    scoreEventFacts: (weeks) =>
      perWeek('events', weeks, instantDays(weeks), endedBy(weeks), (run) =>
        reader.scoreEventFacts(run.map((i) => weeks[i] as Week)),
      ),
    trendFacts: (weeks) =>
      perWeek('trend', weeks, instantDays(weeks), endedBy(weeks), (run) =>
        reader.trendFacts(run.map((i) => weeks[i] as Week)),
      ),
    scoreRequestWeeks: (weeks) =>
      perWeek('requests', weeks, instantDays(weeks), endedBy(weeks), (run) =>
        reader.scoreRequestWeeks(run.map((i) => weeks[i] as Week)),
      ),
    promiseFacts(window, mondays, today): PromiseFacts {
      // Only the window the scoreboard asks for is split into weeks; any other is read as asked.
      if (mondays.length === 0 || !sameWindow(window, promiseWindowOf(mondays, today))) {
        return reader.promiseFacts(window, mondays, today);
      }
      const weeks = mondays.map(dayWeek);
      const facts = perWeek(
        'promises',
        weeks,
        (i) => ({ first: mondays[i] as IsoDate, last: plusDays(mondays[i] as IsoDate, 6) }),
        (i) => plusDays(mondays[i] as IsoDate, 7) <= today,
        (run) => {
          const days = run.map((i) => mondays[i] as IsoDate);
          // Without the two weeks' look-ahead: it is only for the at-risk candidates, read below.
          const window = {
            ...promiseWindowOf(days, today),
            atRiskTo: plusDays(days[days.length - 1] as IsoDate, 6),
          };
          return reader.promiseFacts(window, days, today).weeks;
        },
      );
      const risk = atRiskRangeOf(mondays);
      return { weeks: facts, atRisk: reader.atRiskCandidates(risk.from, risk.to) };
    },
  };
}
