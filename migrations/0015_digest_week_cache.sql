CREATE TABLE `digest_weeks` (
	`kind` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`first_day` text NOT NULL,
	`last_day` text NOT NULL,
	`token` integer NOT NULL,
	`facts` text,
	PRIMARY KEY(`kind`, `start_ms`, `end_ms`),
	CONSTRAINT "digest_weeks_kind_check" CHECK("digest_weeks"."kind" IN ('events','trend','requests','promises','flow'))
);
--> statement-breakpoint
CREATE INDEX `digest_weeks_end_idx` ON `digest_weeks` (`end_ms`);--> statement-breakpoint
-- The triggers below keep digest_weeks true (see its comment in src/db/schema.ts): each write
-- deletes the kept facts of every week it can change, in the writing transaction. Instants
-- ('events', 'trend', 'requests' rows) compare with start_ms/end_ms, days ('promises' rows) with
-- last_day. Where a write can change more than the week it names (a request's value is in the
-- facts of every week it has events in; a promise's delivery changes its promised week's outcome
-- and every week from its payment due day), all weeks from the earliest such instant or day on
-- are deleted. Writes of now fall in the current week, which is never kept: for them the
-- triggers find nothing to delete (the two hottest, on events and requests, ask digest_weeks_end_idx
-- first and stop there). See db/digest-week-cache.ts for what each kind counts.
CREATE TRIGGER `digest_weeks_events_insert` AFTER INSERT ON `events`
  WHEN NEW.at < (SELECT max(end_ms) FROM digest_weeks) OR NEW.type = 'request.revised'
BEGIN
  DELETE FROM digest_weeks WHERE kind IN ('events', 'trend', 'flow') AND start_ms <= NEW.at AND end_ms > NEW.at;
  DELETE FROM digest_weeks WHERE NEW.type = 'request.revised' AND kind = 'requests'
    AND end_ms > (SELECT created_at FROM requests WHERE id = NEW.request_id);
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_events_update` AFTER UPDATE ON `events` BEGIN
  DELETE FROM digest_weeks WHERE kind <> 'promises' AND end_ms > min(OLD.at, NEW.at,
    coalesce((SELECT created_at FROM requests WHERE id = OLD.request_id), OLD.at), coalesce((SELECT created_at FROM requests WHERE id = NEW.request_id), NEW.at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_events_delete` AFTER DELETE ON `events` BEGIN
  DELETE FROM digest_weeks WHERE kind <> 'promises' AND end_ms > min(OLD.at, coalesce((SELECT created_at FROM requests WHERE id = OLD.request_id), OLD.at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_requests_insert` AFTER INSERT ON `requests`
  WHEN NEW.created_at < (SELECT max(end_ms) FROM digest_weeks)
BEGIN
  DELETE FROM digest_weeks WHERE kind IN ('requests', 'trend', 'flow') AND start_ms <= NEW.created_at AND end_ms > NEW.created_at;
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_requests_update` AFTER UPDATE ON `requests`
  WHEN OLD.id IS NOT NEW.id OR OLD.created_at IS NOT NEW.created_at OR OLD.product_line_id IS NOT NEW.product_line_id
    OR OLD.value_minor IS NOT NEW.value_minor OR OLD.delivery_date IS NOT NEW.delivery_date
    OR OLD.payment_terms_days IS NOT NEW.payment_terms_days OR OLD.discount_percent IS NOT NEW.discount_percent
BEGIN
  DELETE FROM digest_weeks WHERE kind <> 'promises' AND end_ms > min(OLD.created_at, NEW.created_at,
    coalesce((SELECT min(at) FROM events WHERE request_id = OLD.id), OLD.created_at), coalesce((SELECT min(at) FROM events WHERE request_id = NEW.id), NEW.created_at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_requests_status` AFTER UPDATE ON `requests`
  WHEN OLD.status IS NOT NEW.status
BEGIN
  DELETE FROM digest_weeks WHERE kind = 'flow' AND end_ms > min(NEW.created_at, coalesce((SELECT min(at) FROM events WHERE request_id = NEW.id), NEW.created_at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_requests_delete` BEFORE DELETE ON `requests` BEGIN
  DELETE FROM digest_weeks WHERE kind <> 'promises' AND end_ms > min(OLD.created_at, coalesce((SELECT min(at) FROM events WHERE request_id = OLD.id), OLD.created_at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_sign_offs_insert` AFTER INSERT ON `sign_offs` BEGIN
  DELETE FROM digest_weeks WHERE kind <> 'promises' AND end_ms > min(NEW.asked_at, coalesce((SELECT created_at FROM requests WHERE id = NEW.request_id), NEW.asked_at), coalesce((SELECT min(at) FROM events WHERE request_id = NEW.request_id), NEW.asked_at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_sign_offs_delete` AFTER DELETE ON `sign_offs` BEGIN
  DELETE FROM digest_weeks WHERE kind <> 'promises' AND end_ms > min(OLD.asked_at, coalesce((SELECT created_at FROM requests WHERE id = OLD.request_id), OLD.asked_at), coalesce((SELECT min(at) FROM events WHERE request_id = OLD.request_id), OLD.asked_at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_sign_offs_update` AFTER UPDATE ON `sign_offs`
  WHEN OLD.id IS NOT NEW.id OR OLD.request_id IS NOT NEW.request_id OR OLD.function_id IS NOT NEW.function_id
    OR OLD.asked_at IS NOT NEW.asked_at
BEGIN
  DELETE FROM digest_weeks WHERE kind <> 'promises' AND end_ms > min(min(OLD.asked_at, coalesce((SELECT created_at FROM requests WHERE id = OLD.request_id), OLD.asked_at), coalesce((SELECT min(at) FROM events WHERE request_id = OLD.request_id), OLD.asked_at)), min(NEW.asked_at, coalesce((SELECT created_at FROM requests WHERE id = NEW.request_id), NEW.asked_at), coalesce((SELECT min(at) FROM events WHERE request_id = NEW.request_id), NEW.asked_at)));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_sign_offs_decided` AFTER UPDATE ON `sign_offs`
  WHEN OLD.decided_at IS NOT NEW.decided_at
BEGIN
  DELETE FROM digest_weeks WHERE kind = 'events' AND end_ms > (SELECT min(at) FROM events
    WHERE request_id = NEW.request_id AND sign_off_id = NEW.id AND type = 'signoff.escalated');
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_sign_off_approvals_insert` AFTER INSERT ON `sign_off_approvals` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'flow' AND end_ms > min(coalesce((SELECT created_at FROM requests WHERE id = (SELECT request_id FROM sign_offs WHERE id = NEW.sign_off_id)), NEW.at), coalesce((SELECT min(at) FROM events WHERE request_id = (SELECT request_id FROM sign_offs WHERE id = NEW.sign_off_id)), NEW.at), NEW.at);
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_sign_off_approvals_update` AFTER UPDATE ON `sign_off_approvals` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'flow' AND end_ms > min(min(coalesce((SELECT created_at FROM requests WHERE id = (SELECT request_id FROM sign_offs WHERE id = OLD.sign_off_id)), OLD.at), coalesce((SELECT min(at) FROM events WHERE request_id = (SELECT request_id FROM sign_offs WHERE id = OLD.sign_off_id)), OLD.at), OLD.at), min(coalesce((SELECT created_at FROM requests WHERE id = (SELECT request_id FROM sign_offs WHERE id = NEW.sign_off_id)), NEW.at), coalesce((SELECT min(at) FROM events WHERE request_id = (SELECT request_id FROM sign_offs WHERE id = NEW.sign_off_id)), NEW.at), NEW.at));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_sign_off_approvals_delete` AFTER DELETE ON `sign_off_approvals` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'flow' AND end_ms > min(coalesce((SELECT created_at FROM requests WHERE id = (SELECT request_id FROM sign_offs WHERE id = OLD.sign_off_id)), OLD.at), coalesce((SELECT min(at) FROM events WHERE request_id = (SELECT request_id FROM sign_offs WHERE id = OLD.sign_off_id)), OLD.at), OLD.at);
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promises_insert` AFTER INSERT ON `promises` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(NEW.promised_on,
    coalesce(NEW.delivered_on, '9999-12-31'), coalesce(NEW.payment_due_on, '9999-12-31'));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promises_update` AFTER UPDATE ON `promises`
  WHEN OLD.request_id IS NOT NEW.request_id OR OLD.product_line_id IS NOT NEW.product_line_id
    OR OLD.quantity IS NOT NEW.quantity OR OLD.value_minor IS NOT NEW.value_minor
    OR OLD.payment_terms_days IS NOT NEW.payment_terms_days OR OLD.promised_on IS NOT NEW.promised_on
    OR OLD.cleared_via IS NOT NEW.cleared_via OR OLD.cancelled_at IS NOT NEW.cancelled_at
BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.promised_on, coalesce(OLD.delivered_on, '9999-12-31'), coalesce(OLD.payment_due_on, '9999-12-31'), NEW.promised_on, coalesce(NEW.delivered_on, '9999-12-31'), coalesce(NEW.payment_due_on, '9999-12-31'),
    coalesce((SELECT promised_on FROM promises WHERE request_id = OLD.request_id), '9999-12-31'),
    coalesce((SELECT min(delivered_on) FROM promise_deliveries WHERE request_id = OLD.request_id), '9999-12-31'),
    coalesce((SELECT min(paid_on) FROM promise_payments WHERE request_id = OLD.request_id), '9999-12-31'),
    coalesce((SELECT min(reported_on) FROM promise_quality_issues WHERE request_id = OLD.request_id), '9999-12-31'),
    coalesce((SELECT promised_on FROM promises WHERE request_id = NEW.request_id), '9999-12-31'),
    coalesce((SELECT min(delivered_on) FROM promise_deliveries WHERE request_id = NEW.request_id), '9999-12-31'),
    coalesce((SELECT min(paid_on) FROM promise_payments WHERE request_id = NEW.request_id), '9999-12-31'),
    coalesce((SELECT min(reported_on) FROM promise_quality_issues WHERE request_id = NEW.request_id), '9999-12-31'));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promises_settled` AFTER UPDATE ON `promises`
  WHEN OLD.delivered_on IS NOT NEW.delivered_on OR OLD.payment_due_on IS NOT NEW.payment_due_on
    OR OLD.paid_minor IS NOT NEW.paid_minor
BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(
    coalesce(OLD.delivered_on, '9999-12-31'), coalesce(NEW.delivered_on, '9999-12-31'),
    coalesce(OLD.payment_due_on, '9999-12-31'), coalesce(NEW.payment_due_on, '9999-12-31'));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promises_delete` BEFORE DELETE ON `promises` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.promised_on, coalesce(OLD.delivered_on, '9999-12-31'), coalesce(OLD.payment_due_on, '9999-12-31'),
    coalesce((SELECT promised_on FROM promises WHERE request_id = OLD.request_id), '9999-12-31'),
    coalesce((SELECT min(delivered_on) FROM promise_deliveries WHERE request_id = OLD.request_id), '9999-12-31'),
    coalesce((SELECT min(paid_on) FROM promise_payments WHERE request_id = OLD.request_id), '9999-12-31'),
    coalesce((SELECT min(reported_on) FROM promise_quality_issues WHERE request_id = OLD.request_id), '9999-12-31'));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_deliveries_insert` AFTER INSERT ON `promise_deliveries` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(NEW.delivered_on, coalesce((SELECT promised_on FROM promises WHERE request_id = NEW.request_id), NEW.delivered_on), '9999-12-31');
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_deliveries_update` AFTER UPDATE ON `promise_deliveries` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.delivered_on, coalesce((SELECT promised_on FROM promises WHERE request_id = OLD.request_id), OLD.delivered_on), NEW.delivered_on, coalesce((SELECT promised_on FROM promises WHERE request_id = NEW.request_id), NEW.delivered_on));
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_deliveries_delete` AFTER DELETE ON `promise_deliveries` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.delivered_on, coalesce((SELECT promised_on FROM promises WHERE request_id = OLD.request_id), OLD.delivered_on), '9999-12-31');
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_payments_insert` AFTER INSERT ON `promise_payments` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(NEW.paid_on, '9999-12-31');
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_payments_update` AFTER UPDATE ON `promise_payments` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.paid_on, NEW.paid_on);
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_payments_delete` AFTER DELETE ON `promise_payments` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.paid_on, '9999-12-31');
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_quality_issues_insert` AFTER INSERT ON `promise_quality_issues` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(NEW.reported_on, '9999-12-31');
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_quality_issues_update` AFTER UPDATE ON `promise_quality_issues` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.reported_on, NEW.reported_on);
END;
--> statement-breakpoint
CREATE TRIGGER `digest_weeks_promise_quality_issues_delete` AFTER DELETE ON `promise_quality_issues` BEGIN
  DELETE FROM digest_weeks WHERE kind = 'promises' AND last_day >= min(OLD.reported_on, '9999-12-31');
END;
