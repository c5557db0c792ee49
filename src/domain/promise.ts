// A promise: what a cleared request commits the chain to (INTERFACE.md "Promises"). Pure data and
// pure transitions; a person's mistake (delivering more than is open, a date before clearance,
// paying a cancelled promise …) is a refusal value, never an exception.
//
// The date promised at clearance (`promisedOn`) never moves: a slip records an expected date
// beside it, so on time in full is always judged against what was promised.
import { addDays, daysBetween, formatDay, type IsoDate, isIsoDate } from './calendar.js';

export const PROMISE_STATES = [
  'open',
  'at_risk',
  'overdue',
  'delivered',
  'partly_delivered',
  'cancelled',
] as const;
export type PromiseState = (typeof PROMISE_STATES)[number];

export const CLEARED_VIA = ['signoffs', 'no_signoff_needed', 'override', 'fast_lane'] as const;
export type ClearedVia = (typeof CLEARED_VIA)[number];

export const QUALITY_ISSUE_KINDS = ['rework', 'return', 'complaint', 'other'] as const;
export type QualityIssueKind = (typeof QUALITY_ISSUE_KINDS)[number];

export interface PromiseDelivery {
  readonly deliveredOn: IsoDate;
  readonly quantity: number;
  readonly recordedBy: string;
  readonly at: Date;
}
export interface PromiseSlip {
  readonly expectedOn: IsoDate;
  readonly reason: string;
  readonly recordedBy: string;
  readonly at: Date;
}
export interface QualityIssue {
  readonly reportedOn: IsoDate;
  readonly kind: QualityIssueKind;
  readonly note: string;
  readonly quantity: number | null;
  readonly recordedBy: string;
  readonly at: Date;
}
export interface PromisePayment {
  readonly paidOn: IsoDate;
  readonly amountMinor: number;
  readonly recordedBy: string;
  readonly at: Date;
}

export interface CommitPromise {
  readonly requestId: number;
  readonly sellerId: string;
  readonly customer: string;
  readonly productLineId: string;
  /** Promised at clearance. */
  readonly quantity: number;
  readonly valueMinor: number;
  readonly paymentTermsDays: number;
  /** Delivery date at clearance: NEVER moves. */
  readonly promisedOn: IsoDate;
  /** The latest slip's expected date for what is still open (null: none, the promised date holds). */
  readonly expectedOn: IsoDate | null;
  readonly clearedAt: Date;
  readonly clearedOn: IsoDate;
  readonly clearedVia: ClearedVia;
  readonly state: PromiseState;
  readonly deliveries: readonly PromiseDelivery[];
  readonly slips: readonly PromiseSlip[];
  readonly issues: readonly QualityIssue[];
  readonly payments: readonly PromisePayment[];
  readonly cancellation: { readonly reason: string; readonly by: string; readonly at: Date } | null;
}

/** The facts a promise is made from, at the moment its request is cleared. */
export interface Clearance {
  readonly requestId: number;
  readonly sellerId: string;
  readonly customer: string;
  readonly productLineId: string;
  readonly quantity: number;
  readonly valueMinor: number;
  readonly paymentTermsDays: number;
  readonly deliveryDate: IsoDate;
  readonly at: Date;
  /** The business zone's calendar day of `at`. */
  readonly day: IsoDate;
  readonly via: ClearedVia;
}

export function promiseFromClearance(c: Clearance): CommitPromise {
  return {
    requestId: c.requestId,
    sellerId: c.sellerId,
    customer: c.customer,
    productLineId: c.productLineId,
    quantity: c.quantity,
    valueMinor: c.valueMinor,
    paymentTermsDays: c.paymentTermsDays,
    promisedOn: c.deliveryDate,
    expectedOn: null,
    clearedAt: c.at,
    clearedOn: c.day,
    clearedVia: c.via,
    // A request cleared after its own date (a late override) is overdue from the start.
    state: c.deliveryDate < c.day ? 'overdue' : 'open',
    deliveries: [],
    slips: [],
    issues: [],
    payments: [],
    cancellation: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Figures (names fixed by CONTRACT.md).

export const deliveredQuantity = (p: CommitPromise): number =>
  p.deliveries.reduce((sum, d) => sum + d.quantity, 0);

export const openQuantity = (p: CommitPromise): number =>
  p.state === 'cancelled' ? 0 : Math.max(0, p.quantity - deliveredQuantity(p));

export const paidMinor = (p: CommitPromise): number => p.payments.reduce((sum, x) => sum + x.amountMinor, 0);

export const openValueMinor = (p: CommitPromise): number => Math.max(0, p.valueMinor - paidMinor(p));

/** The day the whole quantity was delivered (the last delivery's day), or null while some is open. */
export function deliveredInFullOn(p: CommitPromise): IsoDate | null {
  if (p.state === 'cancelled' || p.deliveries.length === 0 || deliveredQuantity(p) < p.quantity) return null;
  // ISO days sort as text: the latest day is the last of the sorted list.
  return (
    p.deliveries
      .map((d) => d.deliveredOn)
      .sort()
      .at(-1) ?? null
  );
}

/** Delivered in full with the last delivery on or before the date promised at clearance. */
export function isOnTimeInFull(p: CommitPromise): boolean {
  const on = deliveredInFullOn(p);
  return on !== null && on <= p.promisedOn;
}

/** The day the payment falls due: delivered in full + the payment terms (calendar days). */
export function paymentDueOn(p: CommitPromise): IsoDate | null {
  const on = deliveredInFullOn(p);
  return on === null ? null : addDays(on, p.paymentTermsDays);
}

export function isPaymentOverdue(p: CommitPromise, today: IsoDate): boolean {
  const due = paymentDueOn(p);
  return due !== null && today > due && paidMinor(p) < p.valueMinor;
}

/** Days the final delivery came after the promised date (0 when on time); null until delivered in full. */
export function slipDays(p: CommitPromise): number | null {
  const on = deliveredInFullOn(p);
  return on === null ? null : Math.max(0, daysBetween(p.promisedOn, on));
}

/** The day what is still open is due: the latest expected date, else the promised one. */
export const dueOn = (p: CommitPromise): IsoDate => p.expectedOn ?? p.promisedOn;

/** Still something to deliver (not cancelled, not delivered in full). */
export const isOpen = (p: CommitPromise): boolean => openQuantity(p) > 0;

/** On `today`, the open rest's date has passed (the promise is late whatever its state says). */
export const isOverdueOn = (p: CommitPromise, today: IsoDate): boolean => isOpen(p) && dueOn(p) < today;

// ---------------------------------------------------------------------------------------------
// Events: every transition returns the history rows it causes (stored in `events`).

export type PromiseEvent =
  | {
      readonly type: 'promise.on_track';
      readonly actorId: string;
      readonly at: Date;
      readonly dueOn: IsoDate;
    }
  | {
      readonly type: 'promise.slipped';
      readonly actorId: string;
      readonly at: Date;
      readonly promisedOn: IsoDate;
      readonly previousExpectedOn: IsoDate | null;
      readonly expectedOn: IsoDate;
      readonly reason: string;
      readonly openQuantity: number;
    }
  | {
      readonly type: 'promise.delivered';
      readonly actorId: string;
      readonly at: Date;
      readonly deliveredOn: IsoDate;
      readonly quantity: number;
      readonly deliveredQuantity: number;
      readonly openQuantity: number;
      readonly inFull: boolean;
      /** Delivered in full by the promised date (only meaningful when inFull). */
      readonly onTime: boolean;
    }
  | {
      readonly type: 'promise.issue_reported';
      readonly actorId: string;
      readonly at: Date;
      readonly reportedOn: IsoDate;
      readonly kind: QualityIssueKind;
      readonly note: string;
      readonly quantity: number | null;
    }
  | {
      readonly type: 'promise.paid';
      readonly actorId: string;
      readonly at: Date;
      readonly paidOn: IsoDate;
      readonly amountMinor: number;
      readonly paidMinor: number;
      readonly inFull: boolean;
    }
  | {
      readonly type: 'promise.cancelled';
      readonly actorId: string;
      readonly at: Date;
      readonly reason: string;
    }
  | { readonly type: 'promise.overdue'; readonly at: Date; readonly dueOn: IsoDate; readonly day: IsoDate };

export type PromiseEventType = PromiseEvent['type'];

export type PromiseRefusal =
  | { readonly reason: 'cancelled' }
  | { readonly reason: 'already_delivered' }
  | { readonly reason: 'not_delivered' }
  | { readonly reason: 'already_paid' }
  | { readonly reason: 'over_open_quantity'; readonly open: number }
  | { readonly reason: 'over_delivered_quantity'; readonly delivered: number }
  | { readonly reason: 'over_open_value'; readonly openMinor: number }
  | { readonly reason: 'before_clearance'; readonly field: string; readonly clearedOn: IsoDate }
  | { readonly reason: 'in_future'; readonly field: string; readonly today: IsoDate }
  | { readonly reason: 'in_past'; readonly field: string; readonly today: IsoDate }
  | { readonly reason: 'not_later'; readonly field: string; readonly promisedOn: IsoDate }
  | { readonly reason: 'not_due'; readonly dueOn: IsoDate }
  | { readonly reason: 'invalid'; readonly field: string; readonly message: string };

export type PromiseRefusalReason = PromiseRefusal['reason'];

export type TransitionResult =
  | { readonly ok: true; readonly promise: CommitPromise; readonly events: readonly PromiseEvent[] }
  | ({ readonly ok: false } & PromiseRefusal);

const refuse = (r: PromiseRefusal): TransitionResult => ({ ok: false, ...r });

interface Act {
  readonly by: string;
  readonly at: Date;
  /** The business zone's calendar day of `at`. */
  readonly today: IsoDate;
}

function checkDay(field: string, day: IsoDate, p: CommitPromise, today: IsoDate): PromiseRefusal | null {
  if (!isIsoDate(day)) return { reason: 'invalid', field, message: 'expected a date YYYY-MM-DD' };
  if (day < p.clearedOn) return { reason: 'before_clearance', field, clearedOn: p.clearedOn };
  if (day > today) return { reason: 'in_future', field, today };
  return null;
}

function stillOpen(p: CommitPromise): PromiseRefusal | null {
  if (p.state === 'cancelled') return { reason: 'cancelled' };
  if (p.state === 'delivered') return { reason: 'already_delivered' };
  return null;
}

const isPositiveInt = (n: number) => Number.isInteger(n) && n > 0;

/**
 * Records a delivery. Without a quantity the whole open quantity is delivered. A part delivery
 * may give the rest a new expected date (`restExpectedOn`): recorded as a slip beside it.
 */
export function deliver(
  p: CommitPromise,
  input: Act & {
    readonly deliveredOn: IsoDate;
    readonly quantity?: number;
    readonly restExpectedOn?: IsoDate;
    readonly restReason?: string;
  },
): TransitionResult {
  const closed = stillOpen(p);
  if (closed) return refuse(closed);
  const open = openQuantity(p);
  const quantity = input.quantity ?? open;
  if (!isPositiveInt(quantity))
    return refuse({ reason: 'invalid', field: 'quantity', message: 'expected a whole number above 0' });
  if (quantity > open) return refuse({ reason: 'over_open_quantity', open });
  const bad = checkDay('deliveredOn', input.deliveredOn, p, input.today);
  if (bad) return refuse(bad);
  const delivery: PromiseDelivery = {
    deliveredOn: input.deliveredOn,
    quantity,
    recordedBy: input.by,
    at: input.at,
  };
  const deliveries = [...p.deliveries, delivery];
  const left = open - quantity;
  let next: CommitPromise = { ...p, deliveries, state: left === 0 ? 'delivered' : 'partly_delivered' };
  const total = deliveredQuantity(next);
  const events: PromiseEvent[] = [
    {
      type: 'promise.delivered',
      actorId: input.by,
      at: input.at,
      deliveredOn: input.deliveredOn,
      quantity,
      deliveredQuantity: total,
      openQuantity: left,
      inFull: left === 0,
      onTime: left === 0 && isOnTimeInFull(next),
    },
  ];
  // A rest still due by the promised date is no slip; a later one is recorded as one.
  if (left > 0 && input.restExpectedOn !== undefined && input.restExpectedOn > p.promisedOn) {
    const reason =
      input.restReason?.trim() ||
      `${total} of ${p.quantity} delivered on ${formatDay(input.deliveredOn)}; the rest follows`;
    const slipped = slip(next, { ...input, expectedOn: input.restExpectedOn, reason, keepState: true });
    if (!slipped.ok) return slipped;
    next = slipped.promise;
    events.push(...slipped.events);
  }
  return { ok: true, promise: next, events };
}

/**
 * Records that what is open will be late: a new expected date (after the promised one, not in the
 * past) and a reason. The promised date stays as it was.
 */
export function slip(
  p: CommitPromise,
  input: Act & { readonly expectedOn: IsoDate; readonly reason: string; readonly keepState?: boolean },
): TransitionResult {
  const closed = stillOpen(p);
  if (closed) return refuse(closed);
  const reason = input.reason.trim();
  if (!reason) return refuse({ reason: 'invalid', field: 'reason', message: 'a reason is required' });
  const field = 'expectedOn';
  if (!isIsoDate(input.expectedOn))
    return refuse({ reason: 'invalid', field, message: 'expected a date YYYY-MM-DD' });
  if (input.expectedOn < p.clearedOn)
    return refuse({ reason: 'before_clearance', field, clearedOn: p.clearedOn });
  if (input.expectedOn < input.today) return refuse({ reason: 'in_past', field, today: input.today });
  if (input.expectedOn <= p.promisedOn)
    return refuse({ reason: 'not_later', field, promisedOn: p.promisedOn });
  const entry: PromiseSlip = { expectedOn: input.expectedOn, reason, recordedBy: input.by, at: input.at };
  // Once part is delivered the state says so; the rest's date is the expected date beside it.
  const state: PromiseState = input.keepState || p.deliveries.length > 0 ? p.state : 'at_risk';
  return {
    ok: true,
    promise: { ...p, slips: [...p.slips, entry], expectedOn: input.expectedOn, state },
    events: [
      {
        type: 'promise.slipped',
        actorId: input.by,
        at: input.at,
        promisedOn: p.promisedOn,
        previousExpectedOn: p.expectedOn,
        expectedOn: input.expectedOn,
        reason,
        openQuantity: openQuantity(p),
      },
    ],
  };
}

/** "On track": a confirmer says the open promise holds. Changes no state; kept in the history. */
export function confirmOnTrack(p: CommitPromise, input: Act): TransitionResult {
  const closed = stillOpen(p);
  if (closed) return refuse(closed);
  return {
    ok: true,
    promise: p,
    events: [{ type: 'promise.on_track', actorId: input.by, at: input.at, dueOn: dueOn(p) }],
  };
}

/** A quality issue on what was delivered (some delivery must exist). */
export function reportIssue(
  p: CommitPromise,
  input: Act & {
    readonly reportedOn: IsoDate;
    readonly kind: QualityIssueKind;
    readonly note: string;
    readonly quantity?: number | null;
  },
): TransitionResult {
  if (p.state === 'cancelled') return refuse({ reason: 'cancelled' });
  if (p.deliveries.length === 0) return refuse({ reason: 'not_delivered' });
  if (!QUALITY_ISSUE_KINDS.includes(input.kind))
    return refuse({
      reason: 'invalid',
      field: 'kind',
      message: `expected one of ${QUALITY_ISSUE_KINDS.join(', ')}`,
    });
  const note = input.note.trim();
  if (!note) return refuse({ reason: 'invalid', field: 'note', message: 'say what went wrong' });
  const quantity = input.quantity ?? null;
  if (quantity !== null && !isPositiveInt(quantity))
    return refuse({ reason: 'invalid', field: 'quantity', message: 'expected a whole number above 0' });
  const delivered = deliveredQuantity(p);
  if (quantity !== null && quantity > delivered)
    return refuse({ reason: 'over_delivered_quantity', delivered });
  const bad = checkDay('reportedOn', input.reportedOn, p, input.today);
  if (bad) return refuse(bad);
  const issue: QualityIssue = {
    reportedOn: input.reportedOn,
    kind: input.kind,
    note,
    quantity,
    recordedBy: input.by,
    at: input.at,
  };
  return {
    ok: true,
    promise: { ...p, issues: [...p.issues, issue] },
    events: [
      {
        type: 'promise.issue_reported',
        actorId: input.by,
        at: input.at,
        reportedOn: input.reportedOn,
        kind: input.kind,
        note,
        quantity,
      },
    ],
  };
}

/** A payment received. Without an amount, the whole value still unpaid. */
export function pay(
  p: CommitPromise,
  input: Act & { readonly paidOn: IsoDate; readonly amountMinor?: number },
): TransitionResult {
  if (p.state === 'cancelled') return refuse({ reason: 'cancelled' });
  const openMinor = openValueMinor(p);
  if (openMinor === 0) return refuse({ reason: 'already_paid' });
  const amountMinor = input.amountMinor ?? openMinor;
  if (!isPositiveInt(amountMinor))
    return refuse({ reason: 'invalid', field: 'amountMinor', message: 'expected an amount above 0' });
  if (amountMinor > openMinor) return refuse({ reason: 'over_open_value', openMinor });
  const bad = checkDay('paidOn', input.paidOn, p, input.today);
  if (bad) return refuse(bad);
  const payment: PromisePayment = { paidOn: input.paidOn, amountMinor, recordedBy: input.by, at: input.at };
  const next = { ...p, payments: [...p.payments, payment] };
  const paid = paidMinor(next);
  return {
    ok: true,
    promise: next,
    events: [
      {
        type: 'promise.paid',
        actorId: input.by,
        at: input.at,
        paidOn: input.paidOn,
        amountMinor,
        paidMinor: paid,
        inFull: paid >= p.valueMinor,
      },
    ],
  };
}

/** The customer cancelled: nothing more is delivered. A delivered promise cannot be cancelled. */
export function cancel(p: CommitPromise, input: Act & { readonly reason: string }): TransitionResult {
  const closed = stillOpen(p);
  if (closed) return refuse(closed);
  const reason = input.reason.trim();
  if (!reason) return refuse({ reason: 'invalid', field: 'reason', message: 'a reason is required' });
  return {
    ok: true,
    promise: { ...p, state: 'cancelled', cancellation: { reason, by: input.by, at: input.at } },
    events: [{ type: 'promise.cancelled', actorId: input.by, at: input.at, reason }],
  };
}

/**
 * The schedule's step: a promise with nothing delivered whose date (expected, else promised) has
 * passed on `today` becomes overdue. A part-delivered one stays `partly_delivered` (its rest is
 * still late: `isOverdueOn` says so for lists and the digest).
 */
export function markOverdue(
  p: CommitPromise,
  input: { readonly at: Date; readonly today: IsoDate },
): TransitionResult {
  const closed = stillOpen(p);
  if (closed) return refuse(closed);
  if (p.state !== 'open' && p.state !== 'at_risk')
    return refuse({ reason: 'invalid', field: 'state', message: p.state });
  const due = dueOn(p);
  if (!(due < input.today)) return refuse({ reason: 'not_due', dueOn: due });
  return {
    ok: true,
    promise: { ...p, state: 'overdue' },
    events: [{ type: 'promise.overdue', at: input.at, dueOn: due, day: input.today }],
  };
}

/** One sentence of the outcome for people: "delivered Fri 18 Dec, on time in full" etc. (days as given). */
export type PromiseOutcome =
  | { readonly kind: 'open'; readonly dueOn: IsoDate; readonly late: boolean }
  | { readonly kind: 'partly'; readonly delivered: number; readonly of: number; readonly dueOn: IsoDate }
  | { readonly kind: 'delivered'; readonly on: IsoDate; readonly onTime: boolean; readonly slipDays: number }
  | { readonly kind: 'cancelled'; readonly reason: string };

export function outcomeOf(p: CommitPromise): PromiseOutcome {
  if (p.state === 'cancelled') return { kind: 'cancelled', reason: p.cancellation?.reason ?? '' };
  const on = deliveredInFullOn(p);
  if (on !== null) return { kind: 'delivered', on, onTime: isOnTimeInFull(p), slipDays: slipDays(p) ?? 0 };
  if (p.deliveries.length > 0)
    return { kind: 'partly', delivered: deliveredQuantity(p), of: p.quantity, dueOn: dueOn(p) };
  return { kind: 'open', dueOn: dueOn(p), late: p.state === 'at_risk' || p.state === 'overdue' };
}
