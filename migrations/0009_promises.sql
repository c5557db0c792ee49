CREATE TABLE `promise_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`delivered_on` text NOT NULL,
	`quantity` integer NOT NULL,
	`recorded_by` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `promises`(`request_id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "promise_deliveries_quantity_check" CHECK("promise_deliveries"."quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX `promise_deliveries_request_idx` ON `promise_deliveries` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `promise_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`paid_on` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`recorded_by` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `promises`(`request_id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "promise_payments_amount_check" CHECK("promise_payments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE INDEX `promise_payments_request_idx` ON `promise_payments` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `promise_quality_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`reported_on` text NOT NULL,
	`kind` text NOT NULL,
	`note` text NOT NULL,
	`quantity` integer,
	`recorded_by` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `promises`(`request_id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "promise_quality_issues_kind_check" CHECK("promise_quality_issues"."kind" IN ('rework','return','complaint','other'))
);
--> statement-breakpoint
CREATE INDEX `promise_quality_issues_request_idx` ON `promise_quality_issues` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `promise_slips` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`expected_on` text NOT NULL,
	`reason` text NOT NULL,
	`recorded_by` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `promises`(`request_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `promise_slips_request_idx` ON `promise_slips` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `promises` (
	`request_id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`seller_id` text NOT NULL,
	`customer` text NOT NULL,
	`product_line_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`value_minor` integer NOT NULL,
	`payment_terms_days` integer NOT NULL,
	`promised_on` text NOT NULL,
	`expected_on` text,
	`due_on` text NOT NULL,
	`cleared_at` integer NOT NULL,
	`cleared_on` text NOT NULL,
	`cleared_via` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`delivered_quantity` integer DEFAULT 0 NOT NULL,
	`delivered_on` text,
	`paid_minor` integer DEFAULT 0 NOT NULL,
	`payment_due_on` text,
	`cancel_reason` text,
	`cancelled_by` text,
	`cancelled_at` integer,
	`asked_on_track_at` integer,
	`asked_due_at` integer,
	`reminded_at` integer,
	`due_message_ts` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "promises_state_check" CHECK("promises"."state" IN ('open','at_risk','overdue','delivered','partly_delivered','cancelled')),
	CONSTRAINT "promises_cleared_via_check" CHECK("promises"."cleared_via" IN ('signoffs','no_signoff_needed','override','fast_lane')),
	CONSTRAINT "promises_quantity_check" CHECK("promises"."quantity" > 0),
	CONSTRAINT "promises_delivered_check" CHECK("promises"."delivered_quantity" BETWEEN 0 AND "promises"."quantity")
);
--> statement-breakpoint
CREATE INDEX `promises_due_idx` ON `promises` (`due_on`,`state`) WHERE state IN ('open', 'at_risk', 'overdue', 'partly_delivered');--> statement-breakpoint
CREATE INDEX `promises_line_open_idx` ON `promises` (`product_line_id`,`due_on`,`quantity`) WHERE state IN ('open', 'at_risk', 'overdue', 'partly_delivered');--> statement-breakpoint
CREATE INDEX `promises_customer_idx` ON `promises` (`customer`,`payment_due_on`);--> statement-breakpoint
CREATE INDEX `promises_promised_on_idx` ON `promises` (`promised_on`);--> statement-breakpoint
CREATE INDEX `promises_seller_idx` ON `promises` (`seller_id`,`state`,`due_on`);