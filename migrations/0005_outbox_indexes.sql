CREATE INDEX `outbox_pending_id_idx` ON `outbox` (`id`) WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_reports_idx` ON `outbox` (`id`) WHERE "outbox"."kind" = 'delivery.failed';--> statement-breakpoint
CREATE INDEX `outbox_delivered_idx` ON `outbox` (`status`,`delivered_at`);