// The reads behind App Home. Every query starts from an index that stays small however many
// requests are stored: pending work is found from pending requests (requests_status_idx; pending
// requests expire, so that set is bounded by a couple of weeks of inflow), a seller's requests from
// (seller_id, status, created_at) and (seller_id, created_at), week figures from
// (created_at) and events (type, at). Nothing here scans the whole history.
import type { HomeQueries, HomeWeekFigures, PendingSignOffRef } from '../services/ports.js';
import type { Db } from './create-db.js';
import { loadRequestsByIds } from './request-repo.js';

/** The pending sign-offs of pending requests, driven from the pending requests (see above). */
const PENDING_JOIN = `
  FROM requests r INDEXED BY requests_status_idx
  CROSS JOIN sign_offs s ON s.request_id = r.id
  WHERE r.status = 'pending' AND s.status = 'pending'`;

/** Every statement, by name: the tests check each one's query plan uses its index. */
export const HOME_SQL = {
  open: `INSERT INTO home_openers (user_id, first_opened_at, last_opened_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET last_opened_at = excluded.last_opened_at`,
  // Sign-offs whose owners (as stored when asked) include one of the ids this person answers for;
  // not their own requests, and not ones they already approved (waiting for a second owner).
  pendingFor: `SELECT s.id AS signOffId, s.request_id AS requestId ${PENDING_JOIN}
       AND r.seller_id <> ?
       AND EXISTS (SELECT 1 FROM json_each(s.owners) o WHERE o.value IN (SELECT value FROM json_each(?)))
       AND NOT EXISTS (SELECT 1 FROM sign_off_approvals a WHERE a.sign_off_id = s.id AND a.user_id = ?)
     ORDER BY s.asked_at, s.id`,
  sellerOpen: `SELECT id FROM requests INDEXED BY requests_seller_status_idx
     WHERE seller_id = ? AND status = 'pending' ORDER BY created_at DESC, id DESC`,
  sellerRecent: `SELECT id FROM requests INDEXED BY requests_seller_idx
     WHERE seller_id = ? AND status <> 'pending' ORDER BY created_at DESC, id DESC LIMIT ?`,
  pendingByFunction: `SELECT s.function_id AS functionId, min(s.label) AS label, count(*) AS count ${PENDING_JOIN}
     GROUP BY s.function_id ORDER BY count DESC, s.function_id`,
  oldest: `SELECT s.id AS signOffId, s.request_id AS requestId ${PENDING_JOIN}
     ORDER BY s.asked_at, s.id LIMIT ?`,
  figures: `SELECT
       (SELECT count(*) FROM requests INDEXED BY requests_created_at_idx
          WHERE created_at >= @from AND created_at < @to) AS inflow,
       (SELECT count(*) FROM events INDEXED BY events_type_at_idx
          WHERE type = 'request.approved' AND at >= @from AND at < @to
            AND coalesce(json_extract(data, '$.override'), 0) = 0) AS cleared,
       (SELECT count(*) FROM events INDEXED BY events_type_at_idx
          WHERE type = 'request.rejected' AND at >= @from AND at < @to) AS blocked,
       (SELECT count(*) FROM events INDEXED BY events_type_at_idx
          WHERE type = 'request.overridden' AND at >= @from AND at < @to) AS overrides,
       (SELECT count(*) FROM requests INDEXED BY requests_status_idx
          WHERE status = 'pending') AS pendingRequests`,
} as const;

export function createHomeRepo(db: Db): HomeQueries {
  const sqlite = db.$client;
  const openStmt = sqlite.prepare(HOME_SQL.open);
  const pendingForStmt = sqlite.prepare(HOME_SQL.pendingFor);
  const sellerOpenStmt = sqlite.prepare(HOME_SQL.sellerOpen);
  const sellerRecentStmt = sqlite.prepare(HOME_SQL.sellerRecent);
  const pendingByFunctionStmt = sqlite.prepare(HOME_SQL.pendingByFunction);
  const oldestStmt = sqlite.prepare(HOME_SQL.oldest);
  const figuresStmt = sqlite.prepare(HOME_SQL.figures);

  return {
    recordOpened(userId, at) {
      openStmt.run(userId, at.getTime(), at.getTime());
    },

    pendingFor(userId, ownerIds) {
      if (!ownerIds.length) return [];
      return pendingForStmt.all(userId, JSON.stringify(ownerIds), userId) as PendingSignOffRef[];
    },

    sellerRequestIds(sellerId, recentLimit) {
      const open = (sellerOpenStmt.all(sellerId) as { id: number }[]).map((r) => r.id);
      const recent = (sellerRecentStmt.all(sellerId, recentLimit) as { id: number }[]).map((r) => r.id);
      return { open, recent };
    },

    loadRequests: (ids) => loadRequestsByIds(db, ids),

    weekFigures(from, to): HomeWeekFigures {
      const f = figuresStmt.get({ from: from.getTime(), to: to.getTime() }) as Omit<
        HomeWeekFigures,
        'pendingByFunction'
      >;
      const pendingByFunction = pendingByFunctionStmt.all() as HomeWeekFigures['pendingByFunction'];
      return { ...f, pendingByFunction };
    },

    oldestPending(limit) {
      return oldestStmt.all(limit) as PendingSignOffRef[];
    },
  };
}
