DROP INDEX `outbox_pending_id_idx`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `priority` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_pending_id_idx` ON `outbox` (`priority`,`id`) WHERE "outbox"."status" = 'pending';