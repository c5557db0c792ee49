// The only definition of the tables. drizzle-kit generates migrations/ from this file
// (`npm run db:generate`). Instants are integer milliseconds since the epoch (UTC), calendar days
// are 'YYYY-MM-DD' text, money is integer minor units.
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type { CapacityCheck, SplitPart } from '../domain/capacity.js';

const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const requests = sqliteTable(
  'requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    version: integer('version').notNull().default(1),
    sellerId: text('seller_id').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'withdrawn', 'expired'] })
      .notNull()
      .default('pending'),
    customer: text('customer').notNull(),
    productLineId: text('product_line_id').notNull(),
    quantity: integer('quantity').notNull(),
    valueMinor: integer('value_minor').notNull(),
    currency: text('currency').notNull(),
    deliveryDate: text('delivery_date').notNull(),
    paymentTermsDays: integer('payment_terms_days').notNull(),
    discountPercent: real('discount_percent').notNull(),
    specialRequirements: text('special_requirements'),
    dealReference: text('deal_reference'),
    /** Where the seller typed /commit, for private replies. */
    sourceChannelId: text('source_channel_id'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    closedAt: instant('closed_at'),
    /** The parent message in the requests channel, once posted. */
    channelId: text('channel_id'),
    messageTs: text('message_ts'),
    /** The capacity check as it was at submit (or the last revision), so messages show those facts. */
    capacityCheck: text('capacity_check', { mode: 'json' }).$type<CapacityCheck>(),
    /** Leadership member who approved this request over a rejection (status is then 'approved'). */
    overriddenBy: text('overridden_by'),
    overrideReason: text('override_reason'),
    overriddenAt: instant('overridden_at'),
    /** The seller's reason, when they withdrew it and gave one. */
    withdrawReason: text('withdraw_reason'),
    /** Cleared on the fast lane: the conditions it met (JSON array); null otherwise. */
    fastLane: text('fast_lane', { mode: 'json' }).$type<string[]>(),
    /** An accepted split plan (JSON array of {quantity, by}); null for one delivery. */
    splitPlan: text('split_plan', { mode: 'json' }).$type<SplitPart[]>(),
    /**
     * Random per-request secret carried by every button and modal of this request and checked on
     * every click: after a restore reuses ids, an old message's buttons cannot decide another
     * request. Null only before the backfill migration ran.
     */
    buttonKey: text('button_key'),
    /** The Slack view that created this request: the same view submitted again is not a second request. */
    sourceViewId: text('source_view_id'),
  },
  (t) => [
    check(
      'requests_status_check',
      sql`${t.status} IN ('pending','approved','rejected','withdrawn','expired')`,
    ),
    check('requests_quantity_check', sql`${t.quantity} > 0`),
    check('requests_value_check', sql`${t.valueMinor} > 0`),
    // The digest and the history scan a week of requests by creation time.
    index('requests_created_at_idx').on(t.createdAt),
    // "Your requests" on App Home and /commit show for a seller.
    index('requests_seller_idx').on(t.sellerId, t.createdAt),
    // Pending requests for reminders and expiry; App Home's queues start from pending requests.
    index('requests_status_idx').on(t.status, t.createdAt),
    // The capacity check (capacity-repo loadByDay): open load of one product line over a range of
    // delivery dates. Partial (open requests only) and covering (quantity), so closed history is
    // never read and the sum never touches the table.
    index('requests_open_load_idx')
      .on(t.productLineId, t.deliveryDate, t.status, t.quantity)
      .where(sql`status IN ('pending', 'approved')`),
    // Open requests delivered on an accepted split plan (capacity-repo): few, so their per-part
    // load is read apart and the hot covering index above stays as it is.
    index('requests_open_split_idx')
      .on(t.productLineId, t.deliveryDate)
      .where(sql`split_plan IS NOT NULL AND status IN ('pending', 'approved')`),
    // App Home "Your requests": a seller's open requests, without scanning their whole history.
    index('requests_seller_status_idx').on(t.sellerId, t.status, t.createdAt),
    // Submission de-duplication by view id (submitRequest); also makes a duplicate impossible.
    uniqueIndex('requests_source_view_idx').on(t.sourceViewId),
  ],
);

export const signOffs = sqliteTable(
  'sign_offs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    functionId: text('function_id').notNull(),
    label: text('label').notNull(),
    /** JSON array of owner ids as configured when asked. */
    owners: text('owners', { mode: 'json' }).$type<string[]>().notNull(),
    approvalsNeeded: integer('approvals_needed').notNull().default(1),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] })
      .notNull()
      .default('pending'),
    /** JSON array of the reasons (matching rules) that required this function. */
    requiredBy: text('required_by', { mode: 'json' }).$type<string[]>().notNull(),
    askedAt: instant('asked_at').notNull(),
    decidedAt: instant('decided_at'),
    rejectedBy: text('rejected_by'),
    rejectionReason: text('rejection_reason'),
    /** The thread message asking for this sign-off, once posted. */
    messageTs: text('message_ts'),
    /** When its owners were reminded (once per sign-off; set with `… WHERE reminded_at IS NULL`). */
    remindedAt: instant('reminded_at'),
    /** When leadership was told it waits too long (once per sign-off). */
    escalatedAt: instant('escalated_at'),
    /** An owner's feasible date, waiting for the seller's Accept/Decline (all null when none). */
    proposedDate: text('proposed_date'),
    proposalNote: text('proposal_note'),
    proposedBy: text('proposed_by'),
    proposedAt: instant('proposed_at'),
    /** Set when a revision made this function no longer required; its message says so. */
    retiredAt: instant('retired_at'),
    /** A split plan proposed with the date (JSON array of {quantity, by}); null for one date. */
    proposedSplit: text('proposed_split', { mode: 'json' }).$type<SplitPart[]>(),
  },
  (t) => [
    check('sign_offs_status_check', sql`${t.status} IN ('pending','approved','rejected')`),
    check('sign_offs_approvals_needed_check', sql`${t.approvalsNeeded} >= 1`),
    // One sign-off per function per request; loading a request reads them by request_id.
    uniqueIndex('sign_offs_request_function_idx').on(t.requestId, t.functionId),
    // Per-function figures (digest) and pending queues (reminders, App Home).
    index('sign_offs_function_status_idx').on(t.functionId, t.status, t.askedAt),
  ],
);

export const approvals = sqliteTable(
  'sign_off_approvals',
  {
    signOffId: integer('sign_off_id')
      .notNull()
      .references(() => signOffs.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    at: instant('at').notNull(),
    conditions: text('conditions'),
    /** The away owner a delegate approved for: counts as that owner toward the quorum. */
    onBehalfOf: text('on_behalf_of'),
    /** Approved while the request was over capacity: the approver's reason (required then). */
    overCapacityReason: text('over_capacity_reason'),
  },
  // The primary key makes "one approval per owner per sign-off" a database fact, not a hope.
  (t) => [primaryKey({ columns: [t.signOffId, t.userId] })],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null for events about no single request (capacity.overridden). */
    requestId: integer('request_id').references(() => requests.id, { onDelete: 'cascade' }),
    signOffId: integer('sign_off_id'),
    type: text('type').notNull(),
    actorId: text('actor_id'),
    at: instant('at').notNull(),
    /** The event's input as JSON: what the person typed or chose. */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  // `/commit show` and the digest read a request's history in order.
  (t) => [index('events_request_idx').on(t.requestId, t.id), index('events_type_at_idx').on(t.type, t.at)],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Deliveries with the same key go out in id order (one request's thread stays in order). */
    orderingKey: text('ordering_key').notNull(),
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull(),
    deliveredAt: instant('delivered_at'),
    /**
     * The dispatcher (host:pid:start) delivering this row now, until `lease_until`: a claim is one
     * conditional UPDATE, so two processes on one database never deliver a row both. Cleared when
     * the attempt settles; a crashed process's claim lapses when its lease does.
     */
    claimedBy: text('claimed_by'),
    leaseUntil: instant('lease_until'),
    /**
     * 0: somebody is waiting on it (the click's own thread, the seller's DM); 1: a background
     * refresh (live capacity figures re-rendered on other requests' cards). Due heads go out by
     * (priority, id); order within a key is by id alone, and a key's queued background rows are
     * raised to 0 when a row somebody waits on joins them, so a click never queues behind a wave.
     */
    priority: integer('priority').notNull().default(0),
  },
  (t) => [
    check('outbox_status_check', sql`${t.status} IN ('pending','done','failed')`),
    // The dispatcher's query: the oldest pending delivery of each key.
    index('outbox_pending_idx').on(t.status, t.orderingKey, t.id),
    // The dispatcher walks pending rows oldest first and stops at its batch size (a partial index:
    // only pending rows are in it, so it stays small however much history there is).
    index('outbox_pending_id_idx').on(t.priority, t.id).where(sql`${t.status} = 'pending'`),
    // Failure reports, checked before queueing another (one report per cause): few rows.
    index('outbox_reports_idx').on(t.id).where(sql`${t.kind} = 'delivery.failed'`),
    // The prune's range: delivered rows, oldest first.
    index('outbox_delivered_idx').on(t.status, t.deliveredAt),
  ],
);

/**
 * A week's capacity set by an operations owner, overriding the product line's capacity_per_week.
 * One row per line and week (the latest wins); every change is also a `capacity.overridden` event.
 */
export const capacityOverrides = sqliteTable(
  'capacity_overrides',
  {
    productLineId: text('product_line_id').notNull(),
    /** The Monday of the week, 'YYYY-MM-DD'. */
    weekStart: text('week_start').notNull(),
    capacity: integer('capacity').notNull(),
    setBy: text('set_by').notNull(),
    setAt: instant('set_at').notNull(),
  },
  (t) => [
    // The key also serves the capacity check's range read: one line's overrides over some weeks.
    primaryKey({ columns: [t.productLineId, t.weekStart] }),
    check('capacity_overrides_capacity_check', sql`${t.capacity} >= 0`),
  ],
);

/**
 * Scheduled runs, one row per job and period (e.g. 'weekly_digest' + the week's Monday). The
 * UNIQUE key is what makes a run happen once: a restart, two ticks at once or two processes all
 * try to insert it, and only one insert succeeds.
 */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    period: text('period').notNull(),
    claimedAt: instant('claimed_at').notNull(),
    /** Progress of the run's delivery (e.g. the digest's posted message ts), as JSON. */
    progress: text('progress', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    finishedAt: instant('finished_at'),
  },
  // The claim itself (INSERT … ON CONFLICT DO NOTHING) and the lookup of a run's progress.
  (t) => [uniqueIndex('job_runs_job_period_idx').on(t.job, t.period)],
);

/** `/commit away`: an owner hands their sign-offs to a delegate for a period of calendar days. */
export const delegations = sqliteTable(
  'delegations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ownerId: text('owner_id').notNull(),
    delegateId: text('delegate_id').notNull(),
    startDay: text('start_day').notNull(),
    endDay: text('end_day').notNull(),
    createdAt: instant('created_at').notNull(),
    /** Set by `/commit back`: the delegation stops counting from then on. */
    endedAt: instant('ended_at'),
  },
  (t) => [
    check('delegations_days_check', sql`${t.startDay} <= ${t.endDay}`),
    // Delegations in force on a day (owner checks and sign-off mentions): scan by end day.
    index('delegations_end_day_idx').on(t.endDay, t.startDay),
    // `/commit back`: the owner's own delegations.
    index('delegations_owner_idx').on(t.ownerId, t.endDay),
  ],
);

/** Interactions already processed, so a retried delivery of the same click acts once. */
export const processedInteractions = sqliteTable('processed_interactions', {
  key: text('key').primaryKey(),
  at: instant('at').notNull(),
});

/**
 * People who have opened the bot's App Home at least once: only they get Home refreshes, since
 * publishing a Home nobody has looked at is wasted Slack calls.
 */
export const homeOpeners = sqliteTable('home_openers', {
  userId: text('user_id').primaryKey(),
  firstOpenedAt: instant('first_opened_at').notNull(),
  lastOpenedAt: instant('last_opened_at').notNull(),
});

/**
 * HTTP API writes that carried an `external_id`: the first answer, sent again (and nothing done)
 * when the same id comes back. Written in the transaction of the write it answers, so a crash
 * leaves either both or neither.
 */
export const apiIdempotency = sqliteTable('api_idempotency', {
  externalId: text('external_id').primaryKey(),
  /** "POST /api/v1/promises/CG-12/deliveries": the same id on another call is refused (409). */
  operation: text('operation').notNull(),
  status: integer('status').notNull(),
  /** The answer's JSON body, exactly as first sent. */
  body: text('body').notNull(),
  createdAt: instant('created_at').notNull(),
});
const PROMISE_STATE_SQL = sql.raw("'open','at_risk','overdue','delivered','partly_delivered','cancelled'");
/** Promises with something still to deliver: the partial indexes below hold only these. */
const OPEN_PROMISE = sql`state IN ('open', 'at_risk', 'overdue', 'partly_delivered')`;

/**
 * One promise per cleared request (domain/promise.ts). `promised_on` is the delivery date at
 * clearance and never changes; `due_on` is what the open rest is due on now (the latest expected
 * date, else the promised one), kept by the repo on every save. The figures after it
 * (delivered quantity, delivered-in-full day, paid, payment due) are also kept on save so the
 * lists, the scheduler and the per-customer check read one indexed row, not the child tables.
 */
export const promises = sqliteTable(
  'promises',
  {
    requestId: integer('request_id')
      .primaryKey()
      .references(() => requests.id, { onDelete: 'cascade' }),
    /** Bumped on every save; saves are conditional on it (a concurrent writer makes ours a no-op). */
    version: integer('version').notNull().default(1),
    sellerId: text('seller_id').notNull(),
    customer: text('customer').notNull(),
    productLineId: text('product_line_id').notNull(),
    quantity: integer('quantity').notNull(),
    valueMinor: integer('value_minor').notNull(),
    paymentTermsDays: integer('payment_terms_days').notNull(),
    promisedOn: text('promised_on').notNull(),
    expectedOn: text('expected_on'),
    dueOn: text('due_on').notNull(),
    clearedAt: instant('cleared_at').notNull(),
    clearedOn: text('cleared_on').notNull(),
    clearedVia: text('cleared_via', {
      enum: ['signoffs', 'no_signoff_needed', 'override', 'fast_lane'],
    }).notNull(),
    state: text('state', {
      enum: ['open', 'at_risk', 'overdue', 'delivered', 'partly_delivered', 'cancelled'],
    })
      .notNull()
      .default('open'),
    deliveredQuantity: integer('delivered_quantity').notNull().default(0),
    deliveredOn: text('delivered_on'),
    paidMinor: integer('paid_minor').notNull().default(0),
    paymentDueOn: text('payment_due_on'),
    cancelReason: text('cancel_reason'),
    cancelledBy: text('cancelled_by'),
    cancelledAt: instant('cancelled_at'),
    /**
     * The scheduler's once-only asks: each is claimed with `… SET x = now WHERE x IS NULL`, so a
     * restart, two ticks or two processes ask once. Cleared again when a slip moves the due date
     * (the new date gets its own asks).
     */
    askedOnTrackAt: instant('asked_on_track_at'),
    askedDueAt: instant('asked_due_at'),
    remindedAt: instant('reminded_at'),
    /** The thread message with the due-date buttons, once posted (re-rendered when answered). */
    dueMessageTs: text('due_message_ts'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    check('promises_state_check', sql`${t.state} IN (${PROMISE_STATE_SQL})`),
    check(
      'promises_cleared_via_check',
      sql`${t.clearedVia} IN ('signoffs','no_signoff_needed','override','fast_lane')`,
    ),
    check('promises_quantity_check', sql`${t.quantity} > 0`),
    check('promises_delivered_check', sql`${t.deliveredQuantity} BETWEEN 0 AND ${t.quantity}`),
    // "Due on day X": the scheduler's asks (due in N business days, due today, a day past due) and
    // /commit promises due / App Home's next 7 days, over open promises only.
    index('promises_due_idx').on(t.dueOn, t.state).where(OPEN_PROMISE),
    // "Open per product line": the open promised load of one line over a range of dates (capacity,
    // the digest's at-risk list per line).
    index('promises_line_open_idx').on(t.productLineId, t.dueOn, t.quantity).where(OPEN_PROMISE),
    // "Per customer": the fast lane's "has this customer a payment overdue?" and the customer's
    // promises (payment_due_on is set once delivered in full).
    index('promises_customer_idx').on(t.customer, t.paymentDueOn),
    // "Promised in week W": the digest's promises due this week and the 8-week OTIF trend.
    index('promises_promised_on_idx').on(t.promisedOn),
    // App Home "your promises": a seller's open promises.
    index('promises_seller_idx').on(t.sellerId, t.state, t.dueOn),
    // The digest's "payments due in week W" (a range of payment due days).
    index('promises_payment_due_idx').on(t.paymentDueOn),
    // The digest's "overdue past terms": unpaid promises whose payment due day has passed (few rows).
    index('promises_unpaid_due_idx')
      .on(t.paymentDueOn)
      .where(sql`payment_due_on IS NOT NULL AND paid_minor < value_minor`),
    // The digest's "delivered in full in week W" (quality issues per delivered promise).
    index('promises_delivered_on_idx').on(t.deliveredOn),
  ],
);

/** Deliveries recorded against a promise (part deliveries accumulate). */
export const promiseDeliveries = sqliteTable(
  'promise_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => promises.requestId, { onDelete: 'cascade' }),
    deliveredOn: text('delivered_on').notNull(),
    quantity: integer('quantity').notNull(),
    recordedBy: text('recorded_by').notNull(),
    at: instant('at').notNull(),
  },
  (t) => [
    check('promise_deliveries_quantity_check', sql`${t.quantity} > 0`),
    // Loading one promise reads its deliveries in order.
    index('promise_deliveries_request_idx').on(t.requestId, t.id),
  ],
);

/** Slips: a new expected date and why, beside the promised date (which never moves). */
export const promiseSlips = sqliteTable(
  'promise_slips',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => promises.requestId, { onDelete: 'cascade' }),
    expectedOn: text('expected_on').notNull(),
    reason: text('reason').notNull(),
    recordedBy: text('recorded_by').notNull(),
    at: instant('at').notNull(),
  },
  // Loading one promise reads its slips in order.
  (t) => [index('promise_slips_request_idx').on(t.requestId, t.id)],
);

export const promiseQualityIssues = sqliteTable(
  'promise_quality_issues',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => promises.requestId, { onDelete: 'cascade' }),
    reportedOn: text('reported_on').notNull(),
    kind: text('kind', { enum: ['rework', 'return', 'complaint', 'other'] }).notNull(),
    note: text('note').notNull(),
    quantity: integer('quantity'),
    recordedBy: text('recorded_by').notNull(),
    at: instant('at').notNull(),
  },
  (t) => [
    check('promise_quality_issues_kind_check', sql`${t.kind} IN ('rework','return','complaint','other')`),
    // Loading one promise reads its issues in order.
    index('promise_quality_issues_request_idx').on(t.requestId, t.id),
    // The digest's "quality issues reported in week W".
    index('promise_quality_issues_reported_idx').on(t.reportedOn, t.requestId),
  ],
);

export const promisePayments = sqliteTable(
  'promise_payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => promises.requestId, { onDelete: 'cascade' }),
    paidOn: text('paid_on').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    recordedBy: text('recorded_by').notNull(),
    at: instant('at').notNull(),
  },
  (t) => [
    check('promise_payments_amount_check', sql`${t.amountMinor} > 0`),
    // Loading one promise reads its payments in order.
    index('promise_payments_request_idx').on(t.requestId, t.id),
    // The digest's "payments received in week W" and the payments made after a week's end.
    index('promise_payments_paid_on_idx').on(t.paidOn, t.requestId),
  ],
);

/**
 * The digest's facts of a week that has ended, kept so the next digest, trend or leadership board
 * reads them instead of counting the week again (db/digest-week-cache.ts). A week is judged with
 * today's knowledge, so a late delivery, a backdated payment or a decision on an escalated
 * sign-off still changes an old week's figures: triggers (migration 0015) delete the rows of
 * every week a write can change, in the writing transaction, so a kept row always equals what
 * counting the week again would answer. `facts` is null while a row is being filled: the filler
 * only writes facts into the row it reserved (its `token`), so a write that landed meanwhile (and
 * deleted the reservation) is never hidden under facts counted before it.
 */
export const digestWeeks = sqliteTable(
  'digest_weeks',
  {
    /**
     * 'events' (ScoreEventFacts), 'trend' (TrendFacts), 'requests' (the week's requests),
     * 'promises' (PromiseWeekFacts), 'flow' (the flow digest's WeekRows).
     */
    kind: text('kind', { enum: ['events', 'trend', 'requests', 'promises', 'flow'] }).notNull(),
    /** The week's [start, end) as instants (the configured zone's Monday 00:00 to the next). */
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    /** The same week as days: its Monday and Sunday ('promises' facts are counted by day). */
    firstDay: text('first_day').notNull(),
    lastDay: text('last_day').notNull(),
    token: integer('token').notNull(),
    facts: text('facts'),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.startMs, t.endMs] }),
    check('digest_weeks_kind_check', sql`${t.kind} IN ('events','trend','requests','promises','flow')`),
    // The triggers' first question, on every write: does any kept week end after this instant?
    // Writes of now find none (one step down this index) and stop there.
    index('digest_weeks_end_idx').on(t.endMs),
  ],
);

export type RequestRow = typeof requests.$inferSelect;
export type SignOffRow = typeof signOffs.$inferSelect;
export type ApprovalRow = typeof approvals.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type CapacityOverrideRow = typeof capacityOverrides.$inferSelect;
export type JobRunRow = typeof jobRuns.$inferSelect;
export type PromiseRow = typeof promises.$inferSelect;
export type PromiseDeliveryRow = typeof promiseDeliveries.$inferSelect;
export type PromiseSlipRow = typeof promiseSlips.$inferSelect;
export type PromiseQualityIssueRow = typeof promiseQualityIssues.$inferSelect;
export type PromisePaymentRow = typeof promisePayments.$inferSelect;
