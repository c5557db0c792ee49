CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`period` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`progress` text DEFAULT '{}' NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_runs_job_period_idx` ON `job_runs` (`job`,`period`);--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `reminded_at` integer;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `escalated_at` integer;