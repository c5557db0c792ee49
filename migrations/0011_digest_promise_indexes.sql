CREATE INDEX `promise_payments_paid_on_idx` ON `promise_payments` (`paid_on`,`request_id`);--> statement-breakpoint
CREATE INDEX `promise_quality_issues_reported_idx` ON `promise_quality_issues` (`reported_on`,`request_id`);--> statement-breakpoint
CREATE INDEX `promises_payment_due_idx` ON `promises` (`payment_due_on`);--> statement-breakpoint
CREATE INDEX `promises_unpaid_due_idx` ON `promises` (`payment_due_on`) WHERE payment_due_on IS NOT NULL AND paid_minor < value_minor;--> statement-breakpoint
CREATE INDEX `promises_delivered_on_idx` ON `promises` (`delivered_on`);