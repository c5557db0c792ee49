CREATE TABLE `home_openers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`first_opened_at` integer NOT NULL,
	`last_opened_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `requests_seller_status_idx` ON `requests` (`seller_id`,`status`,`created_at`);