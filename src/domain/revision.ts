// A seller revises a pending request after an owner asked for changes: the new version keeps its
// reference, routing is re-evaluated, and only sign-offs whose inputs changed (or that newly
// apply) are asked again. Pure: the service stores the plan this returns.

import { type CommitRequest, FACT_FIELDS, type RequestFacts, type SignOff } from './request.js';
import type { RoutingRule } from './routing.js';

export type FactField = keyof RequestFacts;

/** The deal reference is bookkeeping (a CRM id): changing it alone resets no sign-off. */
export const NON_MATERIAL: readonly FactField[] = ['dealReference'];

const ALL_FIELDS: readonly FactField[] = FACT_FIELDS;

const CONDITION_FIELDS: Record<string, readonly FactField[]> = {
  product_line: ['productLineId'],
  value_at_least: ['valueMinor'],
  payment_terms_days_over: ['paymentTermsDays'],
  discount_percent_over: ['discountPercent'],
  lead_time_shorter_than_standard: ['deliveryDate', 'productLineId'],
  quantity_at_least: ['quantity'],
  has_special_requirements: ['specialRequirements'],
};

/**
 * The facts a function's sign-off rests on: the fields its rules look at; a rule without
 * conditions (always required) rests on every material fact.
 */
export function inputsOf(functionId: string, rules: readonly RoutingRule[]): Set<FactField> {
  const out = new Set<FactField>();
  for (const rule of rules) {
    if (!rule.require.includes(functionId)) continue;
    const keys = Object.entries(rule.when ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    if (!keys.length) for (const f of ALL_FIELDS) if (!NON_MATERIAL.includes(f)) out.add(f);
    for (const k of keys) for (const f of CONDITION_FIELDS[k] ?? []) out.add(f);
  }
  return out;
}

export interface FieldChange {
  readonly field: FactField;
  readonly from: RequestFacts[FactField];
  readonly to: RequestFacts[FactField];
}

export function diffFacts(before: RequestFacts, after: RequestFacts): FieldChange[] {
  return ALL_FIELDS.filter((f) => before[f] !== after[f]).map((field) => ({
    field,
    from: before[field],
    to: after[field],
  }));
}

export interface RequiredSignOff {
  readonly functionId: string;
  readonly label: string;
  readonly owners: readonly string[];
  readonly approvalsNeeded: number;
  readonly requiredBy: readonly string[];
}

export interface RevisionPlan {
  readonly version: number;
  readonly facts: RequestFacts;
  readonly changes: readonly FieldChange[];
  /** Sign-offs kept as they are (their inputs did not change). */
  readonly keep: readonly SignOff[];
  /** Sign-offs asked again from scratch, with the new routing's details. */
  readonly reset: readonly (RequiredSignOff & { readonly id: number })[];
  /** Functions newly required, with no sign-off on this request yet. */
  readonly add: readonly RequiredSignOff[];
  /** Sign-offs no longer required by the new facts. */
  readonly retire: readonly SignOff[];
}

export type RevisionRefusal =
  | { readonly reason: 'not_seller'; readonly sellerId: string }
  | { readonly reason: 'request_closed'; readonly status: CommitRequest['status'] }
  | { readonly reason: 'out_of_date'; readonly current: number }
  | { readonly reason: 'no_changes' }
  /** No owner asked for changes on this version: a revision is the answer to one, never unasked. */
  | { readonly reason: 'no_change_request' };

export function planRevision(
  request: CommitRequest,
  input: {
    readonly actorId: string;
    readonly version: number;
    readonly facts: RequestFacts;
    readonly required: readonly RequiredSignOff[];
    readonly rules: readonly RoutingRule[];
    /** Whether an owner asked for changes since the last revision (false refuses the revision). */
    readonly changesRequested?: boolean;
  },
): ({ ok: true } & RevisionPlan) | ({ ok: false } & RevisionRefusal) {
  if (input.actorId !== request.sellerId)
    return { ok: false, reason: 'not_seller', sellerId: request.sellerId };
  if (request.status !== 'pending') return { ok: false, reason: 'request_closed', status: request.status };
  if (input.version !== request.version)
    return { ok: false, reason: 'out_of_date', current: request.version };
  if (input.changesRequested === false) return { ok: false, reason: 'no_change_request' };
  const changes = diffFacts(request.facts, input.facts);
  if (!changes.length) return { ok: false, reason: 'no_changes' };
  const changed = new Set(changes.map((c) => c.field));
  const keep: SignOff[] = [];
  const reset: (RequiredSignOff & { id: number })[] = [];
  const add: RequiredSignOff[] = [];
  for (const r of input.required) {
    const existing = request.signOffs.find((s) => s.functionId === r.functionId);
    if (!existing) {
      add.push(r);
      continue;
    }
    const inputs = inputsOf(r.functionId, input.rules);
    const touched = [...inputs].some((f) => changed.has(f));
    // A date proposed on the old version is asked again too: the seller's Accept/Decline buttons
    // carry the old version and would otherwise leave the sign-off waiting forever.
    if (touched || existing.proposal) reset.push({ ...r, id: existing.id });
    else keep.push(existing);
  }
  const retire = request.signOffs.filter((s) => !input.required.some((r) => r.functionId === s.functionId));
  return { ok: true, version: request.version + 1, facts: input.facts, changes, keep, reset, add, retire };
}
