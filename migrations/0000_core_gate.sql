CREATE TABLE `sign_off_approvals` (
	`sign_off_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`at` integer NOT NULL,
	`conditions` text,
	PRIMARY KEY(`sign_off_id`, `user_id`),
	FOREIGN KEY (`sign_off_id`) REFERENCES `sign_offs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`sign_off_id` integer,
	`type` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_request_idx` ON `events` (`request_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_type_at_idx` ON `events` (`type`,`at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ordering_key` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	CONSTRAINT "outbox_status_check" CHECK("outbox"."status" IN ('pending','done','failed'))
);
--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`status`,`ordering_key`,`id`);--> statement-breakpoint
CREATE TABLE `processed_interactions` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`seller_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`customer` text NOT NULL,
	`product_line_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`value_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`delivery_date` text NOT NULL,
	`payment_terms_days` integer NOT NULL,
	`discount_percent` real NOT NULL,
	`special_requirements` text,
	`deal_reference` text,
	`source_channel_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer,
	`channel_id` text,
	`message_ts` text,
	CONSTRAINT "requests_status_check" CHECK("requests"."status" IN ('pending','approved','rejected','withdrawn','expired')),
	CONSTRAINT "requests_quantity_check" CHECK("requests"."quantity" > 0),
	CONSTRAINT "requests_value_check" CHECK("requests"."value_minor" > 0)
);
--> statement-breakpoint
CREATE INDEX `requests_created_at_idx` ON `requests` (`created_at`);--> statement-breakpoint
CREATE INDEX `requests_seller_idx` ON `requests` (`seller_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `requests_status_idx` ON `requests` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `sign_offs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`function_id` text NOT NULL,
	`label` text NOT NULL,
	`owners` text NOT NULL,
	`approvals_needed` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`required_by` text NOT NULL,
	`asked_at` integer NOT NULL,
	`decided_at` integer,
	`rejected_by` text,
	`rejection_reason` text,
	`message_ts` text,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sign_offs_status_check" CHECK("sign_offs"."status" IN ('pending','approved','rejected')),
	CONSTRAINT "sign_offs_approvals_needed_check" CHECK("sign_offs"."approvals_needed" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sign_offs_request_function_idx` ON `sign_offs` (`request_id`,`function_id`);--> statement-breakpoint
CREATE INDEX `sign_offs_function_status_idx` ON `sign_offs` (`function_id`,`status`,`asked_at`);