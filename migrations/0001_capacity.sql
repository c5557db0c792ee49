CREATE TABLE `capacity_overrides` (
	`product_line_id` text NOT NULL,
	`week_start` text NOT NULL,
	`capacity` integer NOT NULL,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL,
	PRIMARY KEY(`product_line_id`, `week_start`),
	CONSTRAINT "capacity_overrides_capacity_check" CHECK("capacity_overrides"."capacity" >= 0)
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer,
	`sign_off_id` integer,
	`type` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_events`("id", "request_id", "sign_off_id", "type", "actor_id", "at", "data") SELECT "id", "request_id", "sign_off_id", "type", "actor_id", "at", "data" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_request_idx` ON `events` (`request_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_type_at_idx` ON `events` (`type`,`at`);--> statement-breakpoint
ALTER TABLE `requests` ADD `capacity_check` text;--> statement-breakpoint
CREATE INDEX `requests_open_load_idx` ON `requests` (`product_line_id`,`delivery_date`,`status`,`quantity`) WHERE status IN ('pending', 'approved');