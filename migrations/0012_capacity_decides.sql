ALTER TABLE `sign_off_approvals` ADD `over_capacity_reason` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `fast_lane` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `split_plan` text;--> statement-breakpoint
CREATE INDEX `requests_open_split_idx` ON `requests` (`product_line_id`,`delivery_date`) WHERE split_plan IS NOT NULL AND status IN ('pending', 'approved');--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposed_split` text;