ALTER TABLE `requests` ADD `button_key` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `source_view_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `requests_source_view_idx` ON `requests` (`source_view_id`);