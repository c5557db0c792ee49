// Domain values → the API's answers (snake_case, ISO instants). Pure; the shapes are schemas.ts's.
import type { CapacityCheck } from '../domain/capacity.js';
import {
  type CommitPromise,
  deliveredQuantity,
  isOnTimeInFull,
  openQuantity,
  paidMinor,
  paymentDueOn,
} from '../domain/promise.js';
import { type CommitRequest, requestRef, type SignOff } from '../domain/request.js';
import type { StoredEvent } from '../services/ports.js';
import type { HistoryEntry, PromiseView, RequestView, SignOffView } from './schemas.js';

const iso = (at: Date) => at.toISOString();
const isoOrNull = (at: Date | null | undefined) => (at ? at.toISOString() : null);

function capacityOf(check: CapacityCheck | null | undefined): RequestView['capacity'] {
  if (!check) return null;
  if (check.verdict === 'no_capacity_configured')
    return {
      verdict: check.verdict,
      week_start: check.weekStart,
      capacity: null,
      load_firm: null,
      load_tentative: null,
      earliest_feasible_date: null,
    };
  return {
    verdict: check.verdict,
    week_start: check.weekStart,
    capacity: check.capacity,
    load_firm: check.firm,
    load_tentative: check.tentative,
    earliest_feasible_date: check.earliestFeasibleDate,
  };
}

export function requestViewOf(request: CommitRequest, currency: string): RequestView {
  const f = request.facts;
  return {
    reference: requestRef(request.id),
    status: request.status,
    version: request.version,
    seller: request.sellerId,
    customer: f.customer,
    product_line: f.productLineId,
    quantity: f.quantity,
    value_minor: f.valueMinor,
    currency,
    delivery_date: f.deliveryDate,
    payment_terms_days: f.paymentTermsDays,
    discount_percent: f.discountPercent,
    special_requirements: f.specialRequirements,
    deal_reference: f.dealReference,
    created_at: iso(request.createdAt),
    closed_at: isoOrNull(request.closedAt),
    capacity: capacityOf(request.capacityCheck),
    override: request.override
      ? { by: request.override.userId, reason: request.override.reason, at: iso(request.override.at) }
      : null,
  };
}

export function signOffViewOf(s: SignOff): SignOffView {
  return {
    function: s.functionId,
    label: s.label,
    status: s.status,
    approvals_needed: s.approvalsNeeded,
    owners: [...s.owners],
    approvals: s.approvals.map((a) => ({
      user: a.userId,
      at: iso(a.at),
      conditions: a.conditions,
      on_behalf_of: a.onBehalfOf ?? null,
    })),
    rejection: s.rejection
      ? { user: s.rejection.userId, reason: s.rejection.reason, at: iso(s.rejection.at) }
      : null,
    proposal: s.proposal
      ? { user: s.proposal.userId, date: s.proposal.date, note: s.proposal.note, at: iso(s.proposal.at) }
      : null,
    asked_at: iso(s.askedAt),
    decided_at: isoOrNull(s.decidedAt),
  };
}

/** The event's own data, without the columns shown beside it. */
export function historyEntryOf(e: StoredEvent): HistoryEntry {
  const { actorId: _actor, ...data } = e.data;
  return { type: e.type, actor: e.actorId, at: iso(e.at), data };
}

export function promiseViewOf(p: CommitPromise): PromiseView {
  return {
    reference: requestRef(p.requestId),
    state: p.state,
    seller: p.sellerId,
    customer: p.customer,
    product_line: p.productLineId,
    quantity: p.quantity,
    delivered_quantity: deliveredQuantity(p),
    open_quantity: openQuantity(p),
    value_minor: p.valueMinor,
    paid_minor: paidMinor(p),
    payment_terms_days: p.paymentTermsDays,
    promised_on: p.promisedOn,
    expected_on: p.expectedOn,
    cleared_at: iso(p.clearedAt),
    cleared_via: p.clearedVia,
    on_time_in_full: isOnTimeInFull(p),
    payment_due_on: paymentDueOn(p),
    deliveries: p.deliveries.map((d) => ({
      delivered_on: d.deliveredOn,
      quantity: d.quantity,
      recorded_by: d.recordedBy,
      at: iso(d.at),
    })),
    slips: p.slips.map((s) => ({
      expected_on: s.expectedOn,
      reason: s.reason,
      recorded_by: s.recordedBy,
      at: iso(s.at),
    })),
    issues: p.issues.map((i) => ({
      reported_on: i.reportedOn,
      kind: i.kind,
      note: i.note,
      quantity: i.quantity,
      recorded_by: i.recordedBy,
      at: iso(i.at),
    })),
    payments: p.payments.map((x) => ({
      paid_on: x.paidOn,
      amount_minor: x.amountMinor,
      recorded_by: x.recordedBy,
      at: iso(x.at),
    })),
    cancellation: p.cancellation
      ? { reason: p.cancellation.reason, by: p.cancellation.by, at: iso(p.cancellation.at) }
      : null,
  };
}
