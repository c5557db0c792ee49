ALTER TABLE `requests` ADD `overridden_by` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `override_reason` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `overridden_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `withdraw_reason` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposed_date` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposal_note` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposed_by` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposed_at` integer;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `retired_at` integer;