// The digest's reads. Every query walks an index over the week's rows (or what is pending now),
// never the history: requests by created_at (requests_created_at_idx), events by (type, at)
// (events_type_at_idx, one range per type), sign-offs by request (sign_offs_request_function_idx)
// or id, pending requests by status (requests_status_idx). A database of five years costs what
// a database of one week does. Plain prepared statements, prepared once: at thousands of rows a
// week, building queries and long IN lists cost more than the reads.
import type { Statement } from 'better-sqlite3';
import {
  DIGEST_EVENT_TYPES,
  type DigestEvent,
  type DigestRequest,
  type DigestSignOff,
  type PendingNow,
  type PreviousWeek,
  type WeekRows,
} from '../domain/digest.js';
import type { RequestStatus } from '../domain/request.js';
import type { DigestReader } from '../services/ports.js';
import type { Db } from './create-db.js';

interface RequestSql {
  id: number;
  product_line_id: string;
  value_minor: number;
  delivery_date: string;
  status: RequestStatus;
  created_at: number;
}
interface SignOffSql {
  id: number;
  request_id: number;
  function_id: string;
  asked_at: number;
}
interface EventSql {
  id: number;
  request_id: number;
  sign_off_id: number | null;
  type: string;
  actor_id: string | null;
  at: number;
  d_complete: number | null;
  d_override: number | null;
  d_reason: unknown;
  d_date: unknown;
  d_requested: unknown;
  s_request_id: number | null;
  s_function_id: string | null;
  s_asked_at: number | null;
  r_product_line_id: string;
  r_value_minor: number;
  r_delivery_date: string;
  r_status: RequestStatus;
  r_created_at: number;
}

const TYPES = DIGEST_EVENT_TYPES.map((t) => `'${t}'`).join(', ');

const toRequest = (r: RequestSql): DigestRequest => ({
  id: r.id,
  productLineId: r.product_line_id,
  valueMinor: r.value_minor,
  deliveryDate: r.delivery_date,
  status: r.status,
  createdAt: new Date(r.created_at),
});
const toSignOff = (s: SignOffSql): DigestSignOff => ({
  id: s.id,
  requestId: s.request_id,
  functionId: s.function_id,
  askedAt: new Date(s.asked_at),
});

/** Only the fields of `data` the digest reads, extracted by SQLite (JSON booleans come back as 1/0). */
function dataOf(e: EventSql): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (e.d_complete !== null) data.complete = e.d_complete === 1;
  if (e.d_override !== null) data.override = e.d_override === 1;
  if (typeof e.d_reason === 'string') data.reason = e.d_reason;
  if (typeof e.d_date === 'string') data.date = e.d_date;
  if (typeof e.d_requested === 'string') data.requestedDate = e.d_requested;
  return data;
}

export function createDigestReader(db: Db): DigestReader {
  const sqlite = db.$client;
  const q = {
    submitted: sqlite.prepare(
      `SELECT id, product_line_id, value_minor, delivery_date, status, created_at
       FROM requests WHERE created_at >= ? AND created_at < ?`,
    ) as Statement<[number, number], RequestSql>,
    // Covering indexes only: requests_created_at_idx, then sign_offs_request_function_idx.
    asked: sqlite.prepare(
      `SELECT s.function_id AS functionId, count(*) AS n
       FROM requests r JOIN sign_offs s ON s.request_id = r.id
       WHERE r.created_at >= ? AND r.created_at < ?
       GROUP BY s.function_id`,
    ) as Statement<[number, number], { functionId: string; n: number }>,
    // The week's events with the sign-off and request each names, in one pass.
    events: sqlite.prepare(
      `SELECT e.id, e.request_id, e.sign_off_id, e.type, e.actor_id, e.at,
              json_extract(e.data, '$.complete') AS d_complete, json_extract(e.data, '$.override') AS d_override,
              json_extract(e.data, '$.reason') AS d_reason, json_extract(e.data, '$.date') AS d_date,
              json_extract(e.data, '$.requestedDate') AS d_requested,
              s.request_id AS s_request_id, s.function_id AS s_function_id, s.asked_at AS s_asked_at,
              r.product_line_id AS r_product_line_id, r.value_minor AS r_value_minor,
              r.delivery_date AS r_delivery_date, r.status AS r_status, r.created_at AS r_created_at
       FROM events e
       JOIN requests r ON r.id = e.request_id
       LEFT JOIN sign_offs s ON s.id = e.sign_off_id
       WHERE e.type IN (${TYPES}) AND e.at >= ? AND e.at < ?`,
    ) as Statement<[number, number], EventSql>,
    withConditions: sqlite.prepare(
      `SELECT DISTINCT s.request_id AS id
       FROM events e
       JOIN sign_offs s ON s.request_id = e.request_id
       JOIN sign_off_approvals a ON a.sign_off_id = s.id
       WHERE e.type = 'request.approved' AND e.at >= ? AND e.at < ?
         AND a.conditions IS NOT NULL AND a.conditions <> ''`,
    ) as Statement<[number, number], { id: number }>,
    previousInflow: sqlite.prepare(
      `SELECT product_line_id AS id, count(*) AS n, sum(value_minor) AS v
       FROM requests WHERE created_at >= ? AND created_at < ? GROUP BY product_line_id`,
    ) as Statement<[number, number], { id: string; n: number; v: number }>,
    previousDecisions: sqlite.prepare(
      `SELECT s.function_id AS functionId, s.asked_at AS askedAt, e.at AS at, e.type = 'signoff.rejected' AS rejected
       FROM events e JOIN sign_offs s ON s.id = e.sign_off_id
       WHERE e.type IN ('signoff.approved', 'signoff.rejected') AND e.at >= ? AND e.at < ?
         AND (e.type = 'signoff.rejected' OR json_extract(e.data, '$.complete') = 1)`,
    ) as Statement<[number, number], { functionId: string; askedAt: number; at: number; rejected: number }>,
    pendingTotals: sqlite.prepare(
      `SELECT count(*) AS n, coalesce(sum(value_minor), 0) AS v FROM requests WHERE status = 'pending'`,
    ) as Statement<[], { n: number; v: number }>,
    pendingSignOffs: sqlite.prepare(
      `SELECT s.id, s.request_id, s.function_id, s.asked_at
       FROM requests r JOIN sign_offs s ON s.request_id = r.id
       WHERE r.status = 'pending' AND s.status = 'pending'`,
    ) as Statement<[], SignOffSql>,
  };

  return {
    weekRows(start: Date, end: Date): WeekRows {
      const range: [number, number] = [start.getTime(), end.getTime()];
      const submitted = q.submitted.all(...range).map(toRequest);
      const askedByFunction = new Map(q.asked.all(...range).map((a) => [a.functionId, a.n]));
      const requests = new Map<number, DigestRequest>(submitted.map((r) => [r.id, r]));
      const signOffs = new Map<number, DigestSignOff>();
      const events: DigestEvent[] = [];
      for (const e of q.events.all(...range)) {
        if (!requests.has(e.request_id)) {
          requests.set(e.request_id, {
            id: e.request_id,
            productLineId: e.r_product_line_id,
            valueMinor: e.r_value_minor,
            deliveryDate: e.r_delivery_date,
            status: e.r_status,
            createdAt: new Date(e.r_created_at),
          });
        }
        if (e.sign_off_id !== null && e.s_function_id !== null && !signOffs.has(e.sign_off_id)) {
          signOffs.set(e.sign_off_id, {
            id: e.sign_off_id,
            requestId: e.s_request_id ?? e.request_id,
            functionId: e.s_function_id,
            askedAt: new Date(e.s_asked_at ?? e.at),
          });
        }
        events.push({
          id: e.id,
          requestId: e.request_id,
          signOffId: e.sign_off_id,
          type: e.type,
          actorId: e.actor_id,
          at: new Date(e.at),
          data: dataOf(e),
        });
      }
      // The index yields events by type, then time; the digest reads them in the order they happened.
      events.sort((a, b) => a.id - b.id);
      const withConditions = new Set(q.withConditions.all(...range).map((r) => r.id));
      return { submitted, askedByFunction, events, requests, signOffs, withConditions };
    },

    previousWeek(start: Date, end: Date): PreviousWeek {
      const range: [number, number] = [start.getTime(), end.getTime()];
      return {
        inflow: new Map(q.previousInflow.all(...range).map((r) => [r.id, { count: r.n, valueMinor: r.v }])),
        decisions: q.previousDecisions.all(...range).map((d) => ({
          functionId: d.functionId,
          askedAt: new Date(d.askedAt),
          at: new Date(d.at),
          rejected: d.rejected === 1,
        })),
      };
    },

    pendingNow(): PendingNow {
      const totals = q.pendingTotals.get() ?? { n: 0, v: 0 };
      return { requests: totals.n, valueMinor: totals.v, signOffs: q.pendingSignOffs.all().map(toSignOff) };
    },
  };
}
