// The digest's reads. Every query walks an index over the week's rows (or what is pending now),
// never the history: requests by created_at, events by (type, at), sign-offs by request or id,
// pending requests by status. A database of five years costs what a database of one week does.
import { and, asc, eq, gte, inArray, isNotNull, lt, ne } from 'drizzle-orm';
import {
  DIGEST_EVENT_TYPES,
  type DigestEvent,
  type DigestRequest,
  type DigestSignOff,
  type PendingNow,
  type WeekRows,
} from '../domain/digest.js';
import type { DigestReader } from '../services/weekly-digest.js';
import type { Db } from './create-db.js';
import { approvals, events, requests, signOffs } from './schema.js';

/** SQLite's bound-parameter limit is generous, but long IN lists are chunked to stay well clear. */
const CHUNK = 900;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

const requestColumns = {
  id: requests.id,
  productLineId: requests.productLineId,
  valueMinor: requests.valueMinor,
  deliveryDate: requests.deliveryDate,
  status: requests.status,
  createdAt: requests.createdAt,
};
const signOffColumns = {
  id: signOffs.id,
  requestId: signOffs.requestId,
  functionId: signOffs.functionId,
  askedAt: signOffs.askedAt,
};

export function createDigestReader(db: Db): DigestReader {
  const requestsByIds = (ids: readonly number[]): DigestRequest[] =>
    chunks(ids).flatMap((c) => db.select(requestColumns).from(requests).where(inArray(requests.id, c)).all());
  const signOffsByIds = (ids: readonly number[]): DigestSignOff[] =>
    chunks(ids).flatMap((c) => db.select(signOffColumns).from(signOffs).where(inArray(signOffs.id, c)).all());
  const signOffsOfRequests = (ids: readonly number[]): DigestSignOff[] =>
    chunks(ids).flatMap((c) =>
      // sign_offs_request_function_idx
      db.select(signOffColumns).from(signOffs).where(inArray(signOffs.requestId, c)).all(),
    );

  return {
    weekRows(start: Date, end: Date): WeekRows {
      // requests_created_at_idx
      const submitted = db
        .select(requestColumns)
        .from(requests)
        .where(and(gte(requests.createdAt, start), lt(requests.createdAt, end)))
        .orderBy(asc(requests.id))
        .all();
      const asked = signOffsOfRequests(submitted.map((r) => r.id));
      // events_type_at_idx: one range scan per type.
      const weekEvents: DigestEvent[] = db
        .select({
          id: events.id,
          requestId: events.requestId,
          signOffId: events.signOffId,
          type: events.type,
          actorId: events.actorId,
          at: events.at,
          data: events.data,
        })
        .from(events)
        .where(and(inArray(events.type, [...DIGEST_EVENT_TYPES]), gte(events.at, start), lt(events.at, end)))
        .all()
        .sort((a, b) => a.id - b.id);

      const requestMap = new Map<number, DigestRequest>(submitted.map((r) => [r.id, r]));
      const missingRequests = [...new Set(weekEvents.map((e) => e.requestId))].filter(
        (id) => !requestMap.has(id),
      );
      for (const r of requestsByIds(missingRequests)) requestMap.set(r.id, r);
      const signOffMap = new Map<number, DigestSignOff>(asked.map((s) => [s.id, s]));
      const missingSignOffs = [
        ...new Set(weekEvents.flatMap((e) => (e.signOffId === null ? [] : [e.signOffId]))),
      ].filter((id) => !signOffMap.has(id));
      for (const s of signOffsByIds(missingSignOffs)) signOffMap.set(s.id, s);

      const approvedIds = [
        ...new Set(weekEvents.filter((e) => e.type === 'request.approved').map((e) => e.requestId)),
      ];
      const withConditions = new Set<number>();
      for (const c of chunks(approvedIds)) {
        const rows = db
          .selectDistinct({ requestId: signOffs.requestId })
          .from(signOffs)
          .innerJoin(approvals, eq(approvals.signOffId, signOffs.id))
          .where(
            and(
              inArray(signOffs.requestId, c),
              isNotNull(approvals.conditions),
              ne(approvals.conditions, ''),
            ),
          )
          .all();
        for (const r of rows) withConditions.add(r.requestId);
      }
      return {
        submitted,
        asked,
        events: weekEvents,
        requests: requestMap,
        signOffs: signOffMap,
        withConditions,
      };
    },

    pendingNow(): PendingNow {
      // requests_status_idx
      const pending = db
        .select({ id: requests.id, valueMinor: requests.valueMinor })
        .from(requests)
        .where(eq(requests.status, 'pending'))
        .all();
      const pendingSignOffs = chunks(pending.map((r) => r.id)).flatMap((c) =>
        db
          .select(signOffColumns)
          .from(signOffs)
          .where(and(inArray(signOffs.requestId, c), eq(signOffs.status, 'pending')))
          .all(),
      );
      return {
        requests: pending.length,
        valueMinor: pending.reduce((s, r) => s + r.valueMinor, 0),
        signOffs: pendingSignOffs,
      };
    },
  };
}
