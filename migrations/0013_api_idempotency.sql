CREATE TABLE `api_idempotency` (
	`external_id` text PRIMARY KEY NOT NULL,
	`operation` text NOT NULL,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
