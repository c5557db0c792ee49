-- Requests cleared before promises existed become promises. The date they were cleared is their
-- closed_at instant's UTC day: a migration has no business time zone (the config is not read by
-- drizzle's migrator), and the UTC day is at most one day off the zone's. For the same reason
-- a promise is overdue when its delivery date is before today's UTC date.
INSERT INTO promises (
  request_id, version, seller_id, customer, product_line_id, quantity, value_minor,
  payment_terms_days, promised_on, expected_on, due_on, cleared_at, cleared_on, cleared_via, state,
  delivered_quantity, paid_minor, updated_at
)
SELECT
  r.id, 1, r.seller_id, r.customer, r.product_line_id, r.quantity, r.value_minor,
  r.payment_terms_days, r.delivery_date, NULL, r.delivery_date,
  COALESCE(r.closed_at, r.updated_at),
  date(COALESCE(r.closed_at, r.updated_at) / 1000, 'unixepoch'),
  CASE
    WHEN r.overridden_by IS NOT NULL THEN 'override'
    WHEN EXISTS (SELECT 1 FROM sign_offs s WHERE s.request_id = r.id AND s.retired_at IS NULL) THEN 'signoffs'
    ELSE 'no_signoff_needed'
  END,
  CASE WHEN r.delivery_date < date('now') THEN 'overdue' ELSE 'open' END,
  0, 0, COALESCE(r.closed_at, r.updated_at)
FROM requests r
WHERE r.status = 'approved'
  AND NOT EXISTS (SELECT 1 FROM promises p WHERE p.request_id = r.id);
--> statement-breakpoint
-- The history says so, as for a promise the scheduler finds overdue.
INSERT INTO events (request_id, sign_off_id, type, actor_id, at, data)
SELECT p.request_id, NULL, 'promise.overdue', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000,
       json_object('dueOn', p.due_on, 'day', date('now'), 'backfilled', json('true'))
FROM promises p
WHERE p.state = 'overdue'
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.request_id = p.request_id AND e.type = 'promise.overdue');
