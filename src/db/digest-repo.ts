// The digest's reads. Every query walks an index over the week's rows (or what is pending now),
// never the history: requests by created_at (requests_created_at_idx), events by (type, at)
// (events_type_at_idx, one range per type, or the run of ids those ranges span: see eventSpan),
// sign-offs by request (sign_offs_request_function_idx) or id, pending requests by status
// (requests_status_idx). A database of five years costs what a database of one week does. Plain
// prepared statements, prepared once per connection.
//
// Rows come back as one JSON array per statement (json_group_array), parsed once: better-sqlite3
// builds a JavaScript value for every column of every row, and at the nine weeks' tens of
// thousands of rows that cost about three times the reads themselves (measured at 1M history:
// the scoreboard's events 95 ms as rows, 33 ms as one JSON text). Integers and text round-trip
// exactly; so do reals (SQLite writes the shortest text that reads back the same double).
// Where figures only count rows (the scoreboard's events and promises, the trend's weeks), SQLite
// counts them per week (scoreEventFacts, promiseFacts, trendFacts) and only the counts, sums and
// instants come back.
import type { Database, Statement } from 'better-sqlite3';
import type { IsoDate } from '../domain/calendar.js';
import {
  CLOSING_EVENT_TYPES,
  DIGEST_EVENT_TYPES,
  type DigestEvent,
  type DigestRequest,
  type DigestSignOff,
  type PendingNow,
  type PreviousWeek,
  type TrendFacts,
  type WeekRows,
} from '../domain/digest.js';
import type { RequestStatus } from '../domain/request.js';
import {
  ACT_TYPES,
  type AtRiskCandidate,
  atRiskRangeOf,
  OUTCOMES,
  type PromiseDueGroup,
  type PromiseFacts,
  plusDays,
  SCORE_EVENT_TYPES,
  type ScoreEvent,
  type ScoreEventFacts,
  type ScoreEventGroup,
  type ScorePromise,
  type ScoreRequest,
  sortDueGroups,
} from '../domain/scoreboard.js';
import type { DigestReader, PromiseWindow } from '../services/ports.js';
import type { Db } from './create-db.js';
import { type WeekCacheOptions, withWeekCache } from './digest-week-cache.js';

/** id, product_line_id, value_minor, delivery_date, status, created_at */
type RequestJson = [number, string, number, string, RequestStatus, number];
/** id, request_id, function_id, asked_at */
type SignOffJson = [number, number, string, number];
/**
 * id, request_id, sign_off_id, type (its index in DIGEST_EVENT_TYPES), actor_id, at; data's complete, override, reason, date,
 * requestedDate; the sign-off's request_id, function_id, asked_at; the request's fields.
 */
type EventJson = [
  number,
  number,
  number | null,
  number,
  string | null,
  number,
  unknown,
  unknown,
  unknown,
  unknown,
  unknown,
  number | null,
  string | null,
  number | null,
  string,
  number,
  string,
  RequestStatus,
  number,
];
/**
 * id, product_line_id, value_minor, delivery_date, created_at, payment_terms_days,
 * discount_percent, function ids (comma-separated), revised (1/0)
 */
type ScoreRequestJson = [number, string, number, string, number, number, number, string | null, number];
/**
 * request_id, type (its index in SCORE_EVENT_TYPES), actor_id, at, function_id, decided_at, value_minor, and for approvals only
 * the flags [complete, overCapacity, fastLane, override, conditions] (absent keys are null).
 */
type ScoreEventJson = [
  number,
  number,
  string | null,
  number,
  string | null,
  number | null,
  number,
  readonly unknown[] | null,
];
/**
 * request_id, product_line_id, quantity, value_minor, payment_terms_days, promised_on,
 * cleared_via, cancelled_at, then its deliveries [day, quantity], slips [day, at], issues [day]
 * and payments [day, amount], each in the order recorded.
 */
type PromiseJson = [
  number,
  string,
  number,
  number,
  number,
  string,
  ScorePromise['clearedVia'],
  number | null,
  [string, number][],
  [string, number][],
  [string][],
  [string, number][],
];

const quoted = (types: readonly string[]) => types.map((t) => `'${t}'`).join(', ');
const TYPES = quoted(DIGEST_EVENT_TYPES);
const SCORE_TYPES = quoted(SCORE_EVENT_TYPES);
/**
 * An event's type as its index in `types` (SQL), read back as the shared constant string: one
 * small number per row in the JSON instead of a fresh string for each of tens of thousands.
 */
const typeCode = (types: readonly string[]) =>
  `CASE e.type ${types.map((t, i) => `WHEN '${t}' THEN ${i}`).join(' ')} END`;

/**
 * A field of an event's data as text when json_extract answers it as text (a JSON string, or an
 * object or array as JSON text), else null: what a string check on json_extract's answer kept
 * when rows came back one by one (printf makes JSON text plain text, so json_array quotes it).
 */
const textOf = (path: string) =>
  `CASE WHEN json_type(e.data, '${path}') IN ('text', 'object', 'array')
     THEN printf('%s', json_extract(e.data, '${path}')) END`;

/** The statements of one events read: its id run (see eventSpan) by rowid, or by index. */
interface SpanStatements {
  readonly bounds: Statement<[number, number], { lo: number | null; hi: number | null; n: number }>;
  readonly byRowid: Statement<[number, number, number, number], string>;
  readonly byIndex: Statement<[number, number], string>;
}

/**
 * `sql(from, where)` is the statement, reading `from` (events e, by rowid or by index) where
 * `where` (the range and `types`) holds; it answers one JSON text.
 */
function spanSql(
  sqlite: Database,
  types: string,
  sql: (from: string, where: string) => string,
): SpanStatements {
  const where = `e.type IN (${types}) AND e.at >= ? AND e.at < ?`;
  return {
    // Covering: events_type_at_idx holds type, at and the rowid.
    bounds: sqlite.prepare(
      `SELECT min(rowid) AS lo, max(rowid) AS hi, count(*) AS n
       FROM events INDEXED BY events_type_at_idx WHERE type IN (${types}) AND at >= ? AND at < ?`,
    ),
    byRowid: sqlite
      .prepare(sql('events e NOT INDEXED', `e.rowid BETWEEN ? AND ? AND ${where}`))
      .pluck() as Statement<[number, number, number, number], string>,
    byIndex: sqlite.prepare(sql('events e INDEXED BY events_type_at_idx', where)).pluck() as Statement<
      [number, number],
      string
    >,
  };
}

/** The rows `row` (a json_array) of the events of `types`, with `joins`. */
function spanStatements(sqlite: Database, row: string, joins: string, types: string): SpanStatements {
  // CROSS JOIN (in `joins`) keeps events the outer loop: after ANALYZE the planner may otherwise
  // scan every request.
  return spanSql(
    sqlite,
    types,
    (from, where) => `SELECT json_group_array(${row}) FROM ${from} ${joins} WHERE ${where}`,
  );
}

/**
 * A window's events are appended as they happen, so their ids are one run, with the other types'
 * events between them: read that run in id order (one pass over neighbouring pages) instead of
 * one index range per type with a table lookup per row. When ids do not follow time (a history
 * imported out of order) and the run is more than SPAN_SLACK times the rows wanted, the index
 * ranges are read instead. Both answer the same rows; the run answers them in id order.
 */
export const SPAN_SLACK = 4;
type Span = { readonly lo: number; readonly hi: number; readonly byRowid: boolean } | null;
function spanOf(st: SpanStatements, from: number, to: number, slack: number): Span {
  const b = st.bounds.get(from, to);
  if (!b || b.n === 0 || b.lo === null || b.hi === null) return null;
  return { lo: b.lo, hi: b.hi, byRowid: b.hi - b.lo + 1 <= slack * b.n };
}
function readSpan<T>(st: SpanStatements, span: Span, from: number, to: number): T[] {
  if (!span) return [];
  return rowsOf<T>(span.byRowid ? st.byRowid.get(span.lo, span.hi, from, to) : st.byIndex.get(from, to));
}
function eventSpan<T>(st: SpanStatements, from: number, to: number, slack: number): T[] {
  return readSpan<T>(st, spanOf(st, from, to, slack), from, to);
}

/** One statement's rows from its json_group_array text. */
function rowsOf<T>(text: string | undefined | null): T[] {
  return text ? (JSON.parse(text) as T[]) : [];
}

const toRequest = (r: RequestJson): DigestRequest => ({
  id: r[0],
  productLineId: r[1],
  valueMinor: r[2],
  deliveryDate: r[3],
  status: r[4],
  createdAt: new Date(r[5]),
});
const toSignOff = (s: SignOffJson): DigestSignOff => ({
  id: s[0],
  requestId: s[1],
  functionId: s[2],
  askedAt: new Date(s[3]),
});

/** Only the fields of `data` the digest reads, as SQLite extracted them (JSON booleans as 1/0). */
function dataOf(e: EventJson): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (e[6] !== null) data.complete = e[6] === 1;
  if (e[7] !== null) data.override = e[7] === 1;
  if (typeof e[8] === 'string') data.reason = e[8];
  if (typeof e[9] === 'string') data.date = e[9];
  if (typeof e[10] === 'string') data.requestedDate = e[10];
  return data;
}

const NO_FLAGS: readonly unknown[] = [];
/**
 * An approval's flags from SQLite's [complete, overCapacity, fastLane, override, conditions]
 * (JSON inside the row's array, or its text where a GROUP BY kept only the text).
 */
function flagsOf(flags: unknown) {
  const parsed: unknown = typeof flags === 'string' ? JSON.parse(flags) : flags;
  const [complete, overCapacity, fastLane, override, conditions] = Array.isArray(parsed) ? parsed : NO_FLAGS;
  return {
    complete: complete === true,
    overCapacity: overCapacity === true,
    fastLane: fastLane === true,
    override: override === true,
    withConditions: typeof conditions === 'string' && conditions.trim() !== '',
  };
}

/** The owner acts and escalations (see ScoreEventFacts) among the scoreboard's events. */
const ACTS = quoted(ACT_TYPES);
const FACT_JOINS = `CROSS JOIN requests r ON r.id = e.request_id
       LEFT JOIN sign_offs s ON s.id = e.sign_off_id`;

/**
 * The scoreboard's events of consecutive weeks as facts, weeks told apart by `week`, an SQL
 * expression of e.at answering the week's index (see scoreEventFacts): the events alike counted
 * per week (grouped, so tens of thousands of rows come back as about a hundred groups), and the
 * instants of owner acts and escalations.
 */
function factStatements(sqlite: Database, week: string) {
  return {
    groups: spanSql(
      sqlite,
      SCORE_TYPES,
      (from, where) =>
        `SELECT json_group_array(json_array(w, t, actor_id, function_id, flags, n, v)) FROM (
           SELECT ${week} AS w, ${typeCode(SCORE_EVENT_TYPES)} AS t, e.actor_id, s.function_id,
                  CASE WHEN e.type IN ('signoff.approved', 'request.approved')
                    THEN json_extract(e.data, '$.complete', '$.overCapacity', '$.fastLane', '$.override', '$.conditions')
                  END AS flags,
                  count(*) AS n, sum(r.value_minor) AS v
           FROM ${from} ${FACT_JOINS}
           WHERE ${where} AND e.type <> 'signoff.escalated'
           GROUP BY 1, 2, 3, 4, 5)`,
    ),
    times: spanSql(
      sqlite,
      SCORE_TYPES,
      (from, where) =>
        `SELECT json_group_array(json_array(e.type = 'signoff.escalated', e.at, s.decided_at))
         FROM ${from} ${FACT_JOINS}
         WHERE ${where} AND ((e.type IN (${ACTS}) AND e.actor_id IS NOT NULL) OR e.type = 'signoff.escalated')`,
    ),
  };
}
type FactStatements = ReturnType<typeof factStatements>;

/**
 * The trend's weeks (see TrendFacts), weeks told apart by `week` (of e.at) and `requestWeek` (of
 * r.created_at): requests in per week; per week, each request's last closing event (by id; an
 * approval recorded beside an override not counted) counted by type; and the decisions.
 */
function trendStatements(sqlite: Database, week: string, requestWeek: string) {
  return {
    submitted: sqlite
      .prepare(
        `SELECT json_group_array(json_array(w, n)) FROM (
           SELECT ${requestWeek} AS w, count(*) AS n FROM requests r
           WHERE r.created_at >= ? AND r.created_at < ? GROUP BY 1)`,
      )
      .pluck() as Statement<[number, number], string>,
    outcomes: spanSql(
      sqlite,
      quoted(CLOSING_EVENT_TYPES),
      (from, where) =>
        `SELECT json_group_array(json_array(w, t, n)) FROM (
           SELECT w, t, count(*) AS n FROM (
             SELECT ${week} AS w, ${typeCode(CLOSING_EVENT_TYPES)} AS t,
                    row_number() OVER (PARTITION BY ${week}, e.request_id ORDER BY e.id DESC) AS latest
             FROM ${from} CROSS JOIN requests r ON r.id = e.request_id
             WHERE ${where}
               AND NOT (e.type = 'request.approved' AND coalesce(json_extract(e.data, '$.override') = 1, 0)))
           WHERE latest = 1 GROUP BY w, t)`,
    ),
    decisions: spanSql(
      sqlite,
      quoted(['signoff.approved', 'signoff.rejected']),
      (from, where) =>
        `SELECT json_group_array(json_array(s.function_id, s.asked_at, e.at))
         FROM ${from} CROSS JOIN requests r ON r.id = e.request_id JOIN sign_offs s ON s.id = e.sign_off_id
         WHERE ${where} AND (e.type = 'signoff.rejected' OR json_extract(e.data, '$.complete') = 1)`,
    ),
  };
}
type TrendStatements = ReturnType<typeof trendStatements>;

/** Where each week after the first starts; throws unless each week ends where the next starts. */
function weekCuts(weeks: readonly { readonly start: Date; readonly end: Date }[], what: string): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < weeks.length; i++) {
    const w = weeks[i] as { start: Date; end: Date };
    if ((weeks[i - 1] as { end: Date }).end.getTime() !== w.start.getTime()) {
      throw new RangeError(`${what}: the weeks must follow one another`);
    }
    cuts.push(w.start.getTime());
  }
  return cuts;
}
/**
 * An SQL expression answering the week index of `column`: how many week starts after the first
 * it is at or past (the cuts are instants the reader computed, written in as numbers).
 */
const weekSql = (cuts: readonly number[], column: string) =>
  cuts.length ? cuts.map((c) => `(${column} >= ${Math.trunc(c)})`).join(' + ') : '0';
/** The week index of an instant, as weekSql answers it. */
function weekOfCuts(cuts: readonly number[], t: number): number {
  let i = 0;
  while (i < cuts.length && t >= (cuts[i] as number)) i++;
  return i;
}
/** Statements made for a set of weeks, kept per connection by their SQL (few sets are asked for). */
function cached<T>(
  store: WeakMap<Database, Map<string, T>>,
  sqlite: Database,
  key: string,
  make: () => T,
): T {
  let cache = store.get(sqlite);
  if (!cache) {
    cache = new Map();
    store.set(sqlite, cache);
  }
  let found = cache.get(key);
  if (!found) {
    if (cache.size >= MAX_WEEK_STATEMENTS) cache.clear();
    found = make();
    cache.set(key, found);
  }
  return found;
}

/**
 * Whether a promise is one a window touches (see PromiseWindow): promised in the window or the two
 * weeks after it; payment due in it; still unpaid past its due day; delivered in full, paid or
 * reported on in it; or paid after it while its payment was due before @overdueBefore. Each OR term
 * is a range of one index (see schema.ts) or a list of ids from one, so SQLite reads each in turn
 * and keeps every promise once in a row set (MULTI-INDEX OR), or scans the table when most of it
 * matches: a UNION of the legs had it scan whole indexes for request-id order to merge them.
 *
 * Of the payments after the window only those of promises due before @overdueBefore are read. Such
 * a payment falls in none of the weeks, so it counts only for "overdue past terms" at some week's
 * cut, and a promise owes at a cut only when its payment was due before it, so before
 * @overdueBefore (the latest cut). Whatever else a promise counts for has its own term, its
 * delivered-in-full and payment due days being the ones the repo keeps on its row. Payments dated
 * ahead of the window for promises not yet due (the bench seeds two months of them) stay out.
 */
const touchedSql = `(promised_on >= @from AND promised_on <= @atRiskTo)
      OR (payment_due_on >= @from AND payment_due_on <= @to)
      OR (payment_due_on IS NOT NULL AND paid_minor < value_minor AND payment_due_on < @overdueBefore)
      OR (delivered_on >= @from AND delivered_on <= @to)
      OR request_id IN (SELECT request_id FROM promise_payments WHERE paid_on >= @from AND paid_on <= @to)
      OR request_id IN (SELECT request_id FROM promise_quality_issues WHERE reported_on >= @from AND reported_on <= @to)
      OR (payment_due_on < @overdueBefore AND request_id IN (SELECT request_id FROM promise_payments WHERE paid_on > @to))`;

/**
 * The promise facts (see PromiseFacts) of `n` consecutive weeks, Mondays @m0..@m{n-1}, the last
 * Sunday @last, each week's overdue cutoff @c0..@c{n-1}, judged as known on @today, over the
 * promises the window touches (touchedSql, as windowPromiseIds). Each promise's
 * delivered-in-full day is worked out from its deliveries in day order (then as recorded), as
 * fullDeliveryDay does: the first whose running sum reaches the quantity. Days compare as text
 * (YYYY-MM-DD); a day's week is how many Mondays after the first it is at or past. One JSON text:
 * [due groups, delivered in full, issues, received, payments due, overdue, at-risk candidates].
 */
export function promiseFactsSql(n: number): string {
  const wk = (x: string) =>
    Array.from({ length: n - 1 }, (_, i) => `(${x} >= @m${i + 1})`).join(' + ') || '0';
  const inWeeks = (x: string) => `${x} BETWEEN @m0 AND @last`;
  const each = (f: (i: number) => string, sep: string) => Array.from({ length: n }, (_, i) => f(i)).join(sep);
  const paidBefore = each(
    (i) => `sum(y.amount_minor) FILTER (WHERE y.paid_on < @c${i}) AS p${i}`,
    ',\n           ',
  );
  // Per week: how many of the promises left owing were due before its cut, and what of them was
  // unpaid at it.
  const overdueAt = each(
    (i) => `count(*) FILTER (WHERE due_on < @c${i}) AS k${i},
           sum(max(0, value - coalesce(p${i}, 0))) FILTER (WHERE due_on < @c${i}) AS v${i}`,
    ',\n           ',
  );
  const atWeek = (x: string) => `CASE w ${each((i) => `WHEN ${i} THEN ${x}${i}`, ' ')} END`;
  return `WITH
  -- Each touched promise not cancelled, its deliveries summed up in one range of their request
  -- index.
  live AS MATERIALIZED (
    SELECT p.request_id AS id, p.product_line_id AS line, p.cleared_via AS via, p.promised_on AS promised,
           p.value_minor AS value, p.payment_terms_days AS terms,
           -- With every quantity positive the running sum only grows: it never reaches a quantity
           -- its total does not, reaches one its total equals only with the last delivery (on the
           -- latest day), and reaches it on the one day when every delivery fell on it.
           (SELECT CASE WHEN count(*) = 0 THEN NULL
                        WHEN min(d.quantity) > 0 AND sum(d.quantity) < p.quantity THEN NULL
                        WHEN min(d.quantity) > 0 AND (sum(d.quantity) = p.quantity OR min(d.delivered_on) = max(d.delivered_on))
                          THEN max(d.delivered_on)
                        ELSE (SELECT day FROM (
                                SELECT e.delivered_on AS day, e.rowid AS r,
                                       sum(e.quantity) OVER (ORDER BY e.delivered_on, e.rowid ROWS UNBOUNDED PRECEDING) AS upto
                                FROM promise_deliveries e WHERE e.request_id = p.request_id)
                              WHERE upto >= p.quantity ORDER BY day, r LIMIT 1) END
            FROM promise_deliveries d WHERE d.request_id = p.request_id) AS full
    FROM promises p WHERE (${touchedSql}) AND p.cancelled_at IS NULL),
  payable AS MATERIALIZED (
    SELECT id, value, date(julianday(full) + terms) AS due_on FROM live WHERE full IS NOT NULL),
  -- Each payable promise due before the latest cut (@c${n - 1}), its payments summed up in one
  -- range of their request index: by its due day, and before each week's cut. Then per cut what
  -- is owed; one paid in full by its due day with every payment positive is unpaid at no later
  -- cutoff, so left out (a week where only such were due has no entry).
  owed AS (
    SELECT q.value, q.due_on, count(y.id) FILTER (WHERE NOT coalesce(y.amount_minor > 0, 0)) AS odd,
           coalesce(sum(y.amount_minor) FILTER (WHERE y.paid_on <= q.due_on), 0) AS on_time,
           ${paidBefore}
    FROM payable q LEFT JOIN promise_payments y ON y.request_id = q.id
    WHERE q.due_on < @c${n - 1} GROUP BY q.id),
  overdue AS (
    SELECT ${overdueAt}
    FROM owed WHERE NOT (odd = 0 AND on_time >= value)),
  weeks(w) AS (VALUES ${each((i) => `(${i})`, ', ')})
SELECT json_array(
  json((SELECT json_group_array(json_array(w, line, via, o, slip, n)) FROM (
    SELECT ${wk('promised')} AS w, line, via,
           -- Some delivered: with every quantity positive, a delivery recorded.
           CASE WHEN full IS NOT NULL THEN (full > promised)
                WHEN promised >= @today THEN 4
                WHEN EXISTS (SELECT 1 FROM promise_deliveries d WHERE d.request_id = live.id) THEN 2 ELSE 3 END AS o,
           CASE WHEN full > promised THEN CAST(round(julianday(full) - julianday(promised)) AS INTEGER) END AS slip,
           count(*) AS n
    FROM live WHERE ${inWeeks('promised')} GROUP BY 1, 2, 3, 4, 5))),
  json((SELECT json_group_array(json_array(w, n)) FROM (
    SELECT ${wk('full')} AS w, count(*) AS n FROM live WHERE ${inWeeks('full')} GROUP BY 1))),
  -- The weeks' issues and payments through their day's index, each with its promise by id: the
  -- weeks are the window, where one reported or paid is touched, so live unless cancelled (and
  -- no index is built on live to look it up).
  json((SELECT json_group_array(json_array(w, n)) FROM (
    SELECT ${wk('i.reported_on')} AS w, count(*) AS n
    FROM promise_quality_issues i CROSS JOIN promises p ON p.request_id = i.request_id
    WHERE ${inWeeks('i.reported_on')} AND p.cancelled_at IS NULL GROUP BY 1))),
  json((SELECT json_group_array(json_array(w, v)) FROM (
    SELECT ${wk('y.paid_on')} AS w, sum(y.amount_minor) AS v
    FROM promise_payments y CROSS JOIN promises p ON p.request_id = y.request_id
    WHERE ${inWeeks('y.paid_on')} AND p.cancelled_at IS NULL GROUP BY 1))),
  json((SELECT json_group_array(json_array(w, v)) FROM (
    SELECT ${wk('due_on')} AS w, sum(value) AS v FROM payable WHERE ${inWeeks('due_on')} GROUP BY 1))),
  json((SELECT json_group_array(json_array(w, v)) FROM (
    SELECT w, ${atWeek('v')} AS v FROM weeks CROSS JOIN overdue WHERE ${atWeek('k')} > 0 ORDER BY w))),
  json((SELECT json_group_array(json_array(id, promised, full, json((
      SELECT json_group_array(json_array(x.expected_on, x.at)) FROM (
        SELECT x.expected_on, x.at FROM promise_slips x WHERE x.request_id = c.id ORDER BY x.rowid) x))))
    FROM (SELECT * FROM live WHERE promised BETWEEN @riskFrom AND @riskTo
            AND EXISTS (SELECT 1 FROM promise_slips x WHERE x.request_id = live.id AND x.expected_on > live.promised)
          ORDER BY id) c)))`;
}

type Statements = ReturnType<typeof prepare>;

function prepare(sqlite: Database) {
  const json = (sql: string) => sqlite.prepare(sql).pluck();
  return {
    submitted: json(
      `SELECT json_group_array(json_array(id, product_line_id, value_minor, delivery_date, status, created_at))
       FROM requests WHERE created_at >= ? AND created_at < ?`,
    ) as Statement<[number, number], string>,
    // Covering indexes only: requests_created_at_idx, then sign_offs_request_function_idx.
    asked: sqlite.prepare(
      `SELECT s.function_id AS functionId, count(*) AS n
       FROM requests r JOIN sign_offs s ON s.request_id = r.id
       WHERE r.created_at >= ? AND r.created_at < ?
       GROUP BY s.function_id`,
    ) as Statement<[number, number], { functionId: string; n: number }>,
    // The week's events with the sign-off and request each names, in one pass. Of `data`, the
    // fields the digest reads: complete and override as json_extract answers them, the others
    // as text (see textOf).
    events: spanStatements(
      sqlite,
      `json_array(e.id, e.request_id, e.sign_off_id, ${typeCode(DIGEST_EVENT_TYPES)}, e.actor_id, e.at,
              json_extract(e.data, '$.complete'), json_extract(e.data, '$.override'),
              ${textOf('$.reason')}, ${textOf('$.date')}, ${textOf('$.requestedDate')},
              s.request_id, s.function_id, s.asked_at,
              r.product_line_id, r.value_minor, r.delivery_date, r.status, r.created_at)`,
      `CROSS JOIN requests r ON r.id = e.request_id
       LEFT JOIN sign_offs s ON s.id = e.sign_off_id`,
      TYPES,
    ),
    withConditions: sqlite
      .prepare(
        `SELECT DISTINCT s.request_id AS id
         FROM events e
         JOIN sign_offs s ON s.request_id = e.request_id
         JOIN sign_off_approvals a ON a.sign_off_id = s.id
         WHERE e.type = 'request.approved' AND e.at >= ? AND e.at < ?
           AND a.conditions IS NOT NULL AND a.conditions <> ''`,
      )
      .pluck() as Statement<[number, number], number>,
    previousInflow: sqlite.prepare(
      `SELECT product_line_id AS id, count(*) AS n, sum(value_minor) AS v
       FROM requests WHERE created_at >= ? AND created_at < ? GROUP BY product_line_id`,
    ) as Statement<[number, number], { id: string; n: number; v: number }>,
    previousDecisions: json(
      `SELECT json_group_array(json_array(s.function_id, s.asked_at, e.at, e.type = 'signoff.rejected'))
       FROM events e JOIN sign_offs s ON s.id = e.sign_off_id
       WHERE e.type IN ('signoff.approved', 'signoff.rejected') AND e.at >= ? AND e.at < ?
         AND (e.type = 'signoff.rejected' OR json_extract(e.data, '$.complete') = 1)`,
    ) as Statement<[number, number], string>,
    pendingTotals: sqlite.prepare(
      `SELECT count(*) AS n, coalesce(sum(value_minor), 0) AS v FROM requests WHERE status = 'pending'`,
    ) as Statement<[], { n: number; v: number }>,
    // The scoreboard's requests of a window (requests_created_at_idx), each with the functions it
    // was asked for (sign_offs_request_function_idx) and whether it was ever revised
    // (events_request_idx).
    scoreRequests: json(
      `SELECT json_group_array(json_array(r.id, r.product_line_id, r.value_minor, r.delivery_date, r.created_at,
              r.payment_terms_days, r.discount_percent,
              (SELECT group_concat(s.function_id) FROM sign_offs s WHERE s.request_id = r.id),
              EXISTS (SELECT 1 FROM events v WHERE v.request_id = r.id AND v.type = 'request.revised')))
       FROM requests r WHERE r.created_at >= ? AND r.created_at < ?`,
    ) as Statement<[number, number], string>,
    // The scoreboard's events of a window. Only approvals carry flags the scoreboard reads: their
    // data is parsed once, for all five fields (json_extract with several paths answers a JSON
    // array, kept as JSON inside the row's array).
    scoreEvents: spanStatements(
      sqlite,
      `json_array(e.request_id, ${typeCode(SCORE_EVENT_TYPES)}, e.actor_id, e.at, s.function_id, s.decided_at, r.value_minor,
              CASE WHEN e.type IN ('signoff.approved', 'request.approved')
                THEN json_extract(e.data, '$.complete', '$.overCapacity', '$.fastLane', '$.override', '$.conditions')
              END)`,
      `CROSS JOIN requests r ON r.id = e.request_id
       LEFT JOIN sign_offs s ON s.id = e.sign_off_id`,
      SCORE_TYPES,
    ),
    // The promises a window touches (touchedSql), as a JSON array of ids in order for promiseRows.
    windowPromiseIds: json(
      `SELECT json_group_array(request_id) FROM (
         SELECT request_id FROM promises WHERE ${touchedSql} ORDER BY request_id)`,
    ) as Statement<[{ from: string; to: string; atRiskTo: string; overdueBefore: string }], string>,
    // Each promise with its children (one range of its table's request index each), in the order
    // they were recorded.
    promiseRows: json(
      `SELECT json_group_array(json_array(p.request_id, p.product_line_id, p.quantity, p.value_minor,
              p.payment_terms_days, p.promised_on, p.cleared_via, p.cancelled_at,
              (SELECT json_group_array(json_array(d.delivered_on, d.quantity) ORDER BY d.rowid)
                 FROM promise_deliveries d WHERE d.request_id = p.request_id),
              (SELECT json_group_array(json_array(x.expected_on, x.at) ORDER BY x.rowid)
                 FROM promise_slips x WHERE x.request_id = p.request_id),
              (SELECT json_group_array(json_array(i.reported_on) ORDER BY i.rowid)
                 FROM promise_quality_issues i WHERE i.request_id = p.request_id),
              (SELECT json_group_array(json_array(y.paid_on, y.amount_minor) ORDER BY y.rowid)
                 FROM promise_payments y WHERE y.request_id = p.request_id)))
       FROM promises p WHERE p.request_id IN (SELECT value FROM json_each(?))`,
    ) as Statement<[string], string>,
    // promiseFacts' at-risk candidates alone (promises_promised_on_idx, then each one's slips and
    // deliveries): the delivered-in-full day by its definition, the first day (then as recorded)
    // whose running sum of deliveries in day order reaches the quantity.
    atRisk: json(
      `SELECT json_group_array(json_array(c.id, c.promised, c.full, json((
           SELECT json_group_array(json_array(x.expected_on, x.at)) FROM (
             SELECT x.expected_on, x.at FROM promise_slips x WHERE x.request_id = c.id ORDER BY x.rowid) x))))
       FROM (SELECT p.request_id AS id, p.promised_on AS promised,
                    (SELECT day FROM (
                       SELECT d.delivered_on AS day, d.rowid AS r,
                              sum(d.quantity) OVER (ORDER BY d.delivered_on, d.rowid ROWS UNBOUNDED PRECEDING) AS upto
                       FROM promise_deliveries d WHERE d.request_id = p.request_id)
                     WHERE upto >= p.quantity ORDER BY day, r LIMIT 1) AS full
             FROM promises p
             WHERE p.promised_on BETWEEN @from AND @to AND p.cancelled_at IS NULL
               AND EXISTS (SELECT 1 FROM promise_slips x WHERE x.request_id = p.request_id AND x.expected_on > p.promised_on)
             ORDER BY p.request_id) c`,
    ) as Statement<[{ from: string; to: string }], string>,
    // The oldest request: one step down requests_created_at_idx.
    firstRequestAt: sqlite.prepare('SELECT min(created_at) AS at FROM requests') as Statement<
      [],
      { at: number | null }
    >,
    pendingSignOffs: json(
      `SELECT json_group_array(json_array(s.id, s.request_id, s.function_id, s.asked_at))
       FROM requests r JOIN sign_offs s ON s.request_id = r.id
       WHERE r.status = 'pending' AND s.status = 'pending'`,
    ) as Statement<[], string>,
  };
}

/** Statements are prepared once per connection, however many readers are made on it. */
const prepared = new WeakMap<Database, Statements>();
/** The statements made for a set of weeks, by their weeks' boundaries. */
const preparedFacts = new WeakMap<Database, Map<string, FactStatements>>();
const preparedTrends = new WeakMap<Database, Map<string, TrendStatements>>();
const preparedPromiseFacts = new WeakMap<
  Database,
  Map<string, Statement<[Record<string, string>], string>>
>();
const MAX_WEEK_STATEMENTS = 16;

export interface DigestReaderOptions {
  /** See SPAN_SLACK (tests pass 0 to read every window through the index). */
  readonly spanSlack?: number;
  /** Keep the facts of ended weeks in digest_weeks and read them from there (db/digest-week-cache.ts). */
  readonly weekCache?: WeekCacheOptions;
}

export function createDigestReader(db: Db, options: DigestReaderOptions = {}): DigestReader {
  const sqlite = db.$client;
  const slack = options.spanSlack ?? SPAN_SLACK;
  let q = prepared.get(sqlite);
  if (!q) {
    q = prepare(sqlite);
    prepared.set(sqlite, q);
  }
  const st = q;

  const reader: DigestReader = {
    weekRows(start: Date, end: Date): WeekRows {
      const range: [number, number] = [start.getTime(), end.getTime()];
      const submitted = rowsOf<RequestJson>(st.submitted.get(...range)).map(toRequest);
      const askedByFunction = new Map(st.asked.all(...range).map((a) => [a.functionId, a.n]));
      const requests = new Map<number, DigestRequest>(submitted.map((r) => [r.id, r]));
      const signOffs = new Map<number, DigestSignOff>();
      const events: DigestEvent[] = [];
      for (const e of eventSpan<EventJson>(st.events, ...range, slack)) {
        const requestId = e[1];
        const signOffId = e[2];
        if (!requests.has(requestId)) {
          requests.set(requestId, {
            id: requestId,
            productLineId: e[14],
            valueMinor: e[15],
            deliveryDate: e[16],
            status: e[17],
            createdAt: new Date(e[18]),
          });
        }
        if (signOffId !== null && e[12] !== null && !signOffs.has(signOffId)) {
          signOffs.set(signOffId, {
            id: signOffId,
            requestId: e[11] ?? requestId,
            functionId: e[12],
            askedAt: new Date(e[13] ?? e[5]),
          });
        }
        events.push({
          id: e[0],
          requestId,
          signOffId,
          type: DIGEST_EVENT_TYPES[e[3]] as string,
          actorId: e[4],
          at: new Date(e[5]),
          data: dataOf(e),
        });
      }
      // The digest reads events in the order they happened (the index ranges yield them by type).
      events.sort((a, b) => a.id - b.id);
      const withConditions = new Set(st.withConditions.all(...range));
      return { submitted, askedByFunction, events, requests, signOffs, withConditions };
    },

    previousWeek(start: Date, end: Date): PreviousWeek {
      const range: [number, number] = [start.getTime(), end.getTime()];
      return {
        inflow: new Map(st.previousInflow.all(...range).map((r) => [r.id, { count: r.n, valueMinor: r.v }])),
        decisions: rowsOf<[string, number, number, number]>(st.previousDecisions.get(...range)).map((d) => ({
          functionId: d[0],
          askedAt: new Date(d[1]),
          at: new Date(d[2]),
          rejected: d[3] === 1,
        })),
      };
    },

    scoreRequests(start: Date, end: Date): ScoreRequest[] {
      return rowsOf<ScoreRequestJson>(st.scoreRequests.get(start.getTime(), end.getTime())).map(
        (r): ScoreRequest => ({
          id: r[0],
          productLineId: r[1],
          valueMinor: r[2],
          deliveryDate: r[3],
          createdAt: new Date(r[4]),
          paymentTermsDays: r[5],
          discountPercent: r[6],
          functions: r[7] ? r[7].split(',') : [],
          revised: r[8] === 1,
        }),
      );
    },

    scoreRequestWeeks(weeks: readonly { start: Date; end: Date }[]): ScoreRequest[][] {
      const first = weeks[0];
      const last = weeks[weeks.length - 1];
      if (!first || !last) return [];
      const cuts = weekCuts(weeks, 'scoreRequestWeeks');
      const out = weeks.map((): ScoreRequest[] => []);
      for (const r of reader.scoreRequests(first.start, last.end)) {
        out[weekOfCuts(cuts, r.createdAt.getTime())]?.push(r);
      }
      return out;
    },

    scoreEvents(start: Date, end: Date): ScoreEvent[] {
      const range: [number, number] = [start.getTime(), end.getTime()];
      return eventSpan<ScoreEventJson>(st.scoreEvents, ...range, slack).map((e): ScoreEvent => {
        const f = flagsOf(e[7]);
        return {
          requestId: e[0],
          type: SCORE_EVENT_TYPES[e[1]] as string,
          actorId: e[2],
          at: new Date(e[3]),
          functionId: e[4],
          valueMinor: e[6],
          ...f,
          signOffDecidedAt: e[5] === null ? null : new Date(e[5]),
        };
      });
    },

    scoreEventFacts(weeks: readonly { start: Date; end: Date }[]): ScoreEventFacts[] {
      const first = weeks[0];
      const last = weeks[weeks.length - 1];
      if (!first || !last) return [];
      const cuts = weekCuts(weeks, 'scoreEventFacts');
      const week = weekSql(cuts, 'e.at');
      const fs = cached(preparedFacts, sqlite, week, () => factStatements(sqlite, week));
      const from = first.start.getTime();
      const to = last.end.getTime();
      // Both statements read the same events (SCORE_EVENT_TYPES): one span for the two.
      const span = spanOf(fs.groups, from, to, slack);
      const out = weeks.map(() => ({
        groups: [] as ScoreEventGroup[],
        actTimes: [] as number[],
        escalations: [] as { at: Date; signOffDecidedAt: Date | null }[],
      }));
      type GroupJson = [number, number, string | null, string | null, unknown, number, number];
      for (const g of readSpan<GroupJson>(fs.groups, span, from, to)) {
        const f = flagsOf(g[4]);
        out[g[0]]?.groups.push({
          type: SCORE_EVENT_TYPES[g[1]] as string,
          actorId: g[2],
          functionId: g[3],
          ...f,
          count: g[5],
          valueMinor: g[6],
        });
      }
      for (const [escalation, at, decidedAt] of readSpan<[number, number, number | null]>(
        fs.times,
        span,
        from,
        to,
      )) {
        const w = out[weekOfCuts(cuts, at)];
        if (!w) continue;
        if (escalation === 1) {
          w.escalations.push({
            at: new Date(at),
            signOffDecidedAt: decidedAt === null ? null : new Date(decidedAt),
          });
        } else w.actTimes.push(at);
      }
      return out;
    },

    trendFacts(weeks: readonly { start: Date; end: Date }[]): TrendFacts[] {
      const first = weeks[0];
      const last = weeks[weeks.length - 1];
      if (!first || !last) return [];
      const cuts = weekCuts(weeks, 'trendFacts');
      const week = weekSql(cuts, 'e.at');
      const requestWeek = weekSql(cuts, 'r.created_at');
      const ts = cached(preparedTrends, sqlite, week, () => trendStatements(sqlite, week, requestWeek));
      const from = first.start.getTime();
      const to = last.end.getTime();
      const out = weeks.map(() => ({
        submitted: 0,
        approved: 0,
        overridden: 0,
        rejected: 0,
        decisions: [] as { functionId: string; askedAt: number; at: number }[],
      }));
      for (const [w, n] of rowsOf<[number, number]>(ts.submitted.get(from, to))) {
        const f = out[w];
        if (f) f.submitted = n;
      }
      const outcomes = spanOf(ts.outcomes, from, to, slack);
      for (const [w, t, n] of readSpan<[number, number, number]>(ts.outcomes, outcomes, from, to)) {
        const f = out[w];
        const type = CLOSING_EVENT_TYPES[t];
        if (!f) continue;
        if (type === 'request.approved') f.approved = n;
        else if (type === 'request.overridden') f.overridden = n;
        else if (type === 'request.rejected') f.rejected = n;
      }
      const decisions = spanOf(ts.decisions, from, to, slack);
      for (const [functionId, askedAt, at] of readSpan<[string, number, number]>(
        ts.decisions,
        decisions,
        from,
        to,
      )) {
        out[weekOfCuts(cuts, at)]?.decisions.push({ functionId, askedAt, at });
      }
      return out;
    },

    promises(window: PromiseWindow): ScorePromise[] {
      const ids = st.windowPromiseIds.get(window);
      if (!ids || ids === '[]') return [];
      return rowsOf<PromiseJson>(st.promiseRows.get(ids)).map(
        (p): ScorePromise => ({
          requestId: p[0],
          productLineId: p[1],
          quantity: p[2],
          valueMinor: p[3],
          paymentTermsDays: p[4],
          promisedOn: p[5],
          clearedVia: p[6],
          deliveries: p[8].map((d) => ({ deliveredOn: d[0], quantity: d[1] })),
          slips: p[9].map((x) => ({ expectedOn: x[0], at: new Date(x[1]) })),
          issues: p[10].map((x) => ({ reportedOn: x[0] })),
          payments: p[11].map((x) => ({ paidOn: x[0], amountMinor: x[1] })),
          cancellation: p[7] === null ? null : { at: new Date(p[7]) },
        }),
      );
    },

    promiseFacts(window: PromiseWindow, mondays: readonly IsoDate[], today: IsoDate): PromiseFacts {
      const first = mondays[0];
      const lastMonday = mondays[mondays.length - 1];
      if (first === undefined || lastMonday === undefined) return { weeks: [], atRisk: [] };
      const n = mondays.length;
      const stmt = cached(
        preparedPromiseFacts,
        sqlite,
        String(n),
        () => sqlite.prepare(promiseFactsSql(n)).pluck() as Statement<[Record<string, string>], string>,
      );
      const params: Record<string, string> = {
        from: window.from,
        to: window.to,
        atRiskTo: window.atRiskTo,
        overdueBefore: window.overdueBefore,
        today,
        last: plusDays(lastMonday, 6),
        riskFrom: atRiskRangeOf(mondays).from,
        riskTo: atRiskRangeOf(mondays).to,
      };
      mondays.forEach((m, i) => {
        params[`m${i}`] = m;
        // Overdue at the week's end: before the next Monday, or today if sooner.
        const next = plusDays(m, 7);
        params[`c${i}`] = today < next ? today : next;
      });
      type Parts = [
        [number, string, ScorePromise['clearedVia'], number, number | null, number][],
        [number, number][],
        [number, number][],
        [number, number][],
        [number, number][],
        [number, number][],
        [number, string, string | null, [string, number][]][],
      ];
      const [due, full, issues, received, paymentsDue, overdue, atRisk] = JSON.parse(
        stmt.get(params) ?? '[]',
      ) as Parts;
      const weeks = mondays.map(() => ({
        due: [] as PromiseDueGroup[],
        deliveredInFull: 0,
        issues: 0,
        paymentsDueMinor: 0,
        receivedMinor: 0,
        overdueMinor: 0,
      }));
      for (const [w, line, via, o, slip, count] of due) {
        weeks[w]?.due.push({
          productLineId: line,
          clearedVia: via,
          outcome: OUTCOMES[o] as PromiseDueGroup['outcome'],
          slipDays: slip,
          count,
        });
      }
      const put = (
        rows: [number, number][],
        key: 'deliveredInFull' | 'issues' | 'paymentsDueMinor' | 'receivedMinor' | 'overdueMinor',
      ) => {
        for (const [w, v] of rows) {
          const week = weeks[w];
          if (week) week[key] = v;
        }
      };
      put(full, 'deliveredInFull');
      put(issues, 'issues');
      put(received, 'receivedMinor');
      put(paymentsDue, 'paymentsDueMinor');
      put(overdue, 'overdueMinor');
      for (const w of weeks) sortDueGroups(w.due);
      return {
        weeks,
        atRisk: atRisk.map(
          ([requestId, promisedOn, fullDay, slips]): AtRiskCandidate => ({
            requestId,
            promisedOn,
            fullDeliveryDay: fullDay,
            slips: slips.map(([expectedOn, at]) => ({ expectedOn, at: new Date(at) })),
          }),
        ),
      };
    },

    atRiskCandidates(from: IsoDate, to: IsoDate): AtRiskCandidate[] {
      if (from > to) return [];
      return rowsOf<[number, string, string | null, [string, number][]]>(st.atRisk.get({ from, to })).map(
        ([requestId, promisedOn, fullDay, slips]): AtRiskCandidate => ({
          requestId,
          promisedOn,
          fullDeliveryDay: fullDay,
          slips: slips.map(([expectedOn, at]) => ({ expectedOn, at: new Date(at) })),
        }),
      );
    },

    firstRequestAt(): Date | null {
      const at = st.firstRequestAt.get()?.at ?? null;
      return at === null ? null : new Date(at);
    },

    pendingNow(): PendingNow {
      const totals = st.pendingTotals.get() ?? { n: 0, v: 0 };
      return {
        requests: totals.n,
        valueMinor: totals.v,
        signOffs: rowsOf<SignOffJson>(st.pendingSignOffs.get()).map(toSignOff),
      };
    },
  };
  // Each answer read from one snapshot of the database: a method's statements (an id run found,
  // then read; counts and instants of the same events) see the same commits whatever another
  // connection writes meanwhile (a read transaction; a savepoint inside a caller's transaction).
  const snapshot = <A extends unknown[], R>(f: (...args: A) => R): ((...args: A) => R) => {
    const t = sqlite.transaction(f);
    return (...args: A) => t(...args);
  };
  const snapshots: DigestReader = {
    weekRows: snapshot(reader.weekRows),
    previousWeek: reader.previousWeek,
    pendingNow: snapshot(reader.pendingNow),
    scoreRequests: reader.scoreRequests,
    scoreRequestWeeks: reader.scoreRequestWeeks,
    scoreEvents: snapshot(reader.scoreEvents),
    scoreEventFacts: snapshot(reader.scoreEventFacts),
    trendFacts: snapshot(reader.trendFacts),
    promises: snapshot(reader.promises),
    promiseFacts: snapshot(reader.promiseFacts),
    atRiskCandidates: snapshot(reader.atRiskCandidates),
    firstRequestAt: reader.firstRequestAt,
  };
  return options.weekCache ? withWeekCache(db, snapshots, options.weekCache) : snapshots;
}
