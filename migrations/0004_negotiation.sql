CREATE TABLE `delegations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` text NOT NULL,
	`delegate_id` text NOT NULL,
	`start_day` text NOT NULL,
	`end_day` text NOT NULL,
	`created_at` integer NOT NULL,
	`ended_at` integer,
	CONSTRAINT "delegations_days_check" CHECK("delegations"."start_day" <= "delegations"."end_day")
);
--> statement-breakpoint
CREATE INDEX `delegations_end_day_idx` ON `delegations` (`end_day`,`start_day`);--> statement-breakpoint
CREATE INDEX `delegations_owner_idx` ON `delegations` (`owner_id`,`end_day`);--> statement-breakpoint
ALTER TABLE `sign_off_approvals` ADD `on_behalf_of` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `overridden_by` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `override_reason` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `overridden_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `withdraw_reason` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposed_date` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposal_note` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposed_by` text;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `proposed_at` integer;--> statement-breakpoint
ALTER TABLE `sign_offs` ADD `retired_at` integer;