// Which functions must sign off a request: the union of the `require` lists of every rule whose
// `when` matches (all of a rule's conditions must hold; a rule without `when` always matches).
import { addDays, type IsoDate } from './calendar.js';
import { formatMoney, minorUnitsPerMajor } from './money.js';
import type { RequestFacts } from './request.js';

export interface RoutingCondition {
  readonly product_line?: readonly string[] | undefined;
  readonly value_at_least?: number | undefined;
  readonly payment_terms_days_over?: number | undefined;
  readonly discount_percent_over?: number | undefined;
  readonly lead_time_shorter_than_standard?: boolean | undefined;
  readonly quantity_at_least?: number | undefined;
  readonly has_special_requirements?: boolean | undefined;
}

export interface RoutingRule {
  readonly when?: RoutingCondition | undefined;
  readonly require: readonly string[];
  readonly reason?: string | undefined;
}

export interface RoutingProductLine {
  readonly id: string;
  readonly name: string;
  readonly lead_time_days: number;
}

export interface RoutingContext {
  readonly rules: readonly RoutingRule[];
  /** Function ids in configured order: the order sign-offs are asked in. */
  readonly functionOrder: readonly string[];
  readonly productLines: readonly RoutingProductLine[];
  readonly currency: string;
  /** Today in the configured zone. */
  readonly today: IsoDate;
}

export interface RequiredFunction {
  readonly functionId: string;
  /** Human reasons, one per matching rule that required this function. */
  readonly requiredBy: readonly string[];
}

export function route(facts: RequestFacts, ctx: RoutingContext): RequiredFunction[] {
  const reasons = new Map<string, string[]>();
  for (const rule of ctx.rules) {
    const described = matchRule(rule, facts, ctx);
    if (described === null) continue;
    for (const fn of rule.require) {
      const list = reasons.get(fn) ?? [];
      if (!list.includes(described)) list.push(described);
      reasons.set(fn, list);
    }
  }
  return ctx.functionOrder
    .filter((fn) => reasons.has(fn))
    .map((functionId) => ({ functionId, requiredBy: reasons.get(functionId) ?? [] }));
}

/** Whether the requested date is sooner than today plus the product line's standard lead time. */
export function isShorterThanStandard(
  facts: RequestFacts,
  ctx: Pick<RoutingContext, 'productLines' | 'today'>,
): boolean {
  const line = ctx.productLines.find((p) => p.id === facts.productLineId);
  if (!line) return false;
  return facts.deliveryDate < addDays(ctx.today, line.lead_time_days);
}

/** Returns the rule's description when it matches, null when it does not. */
function matchRule(rule: RoutingRule, facts: RequestFacts, ctx: RoutingContext): string | null {
  const when = rule.when;
  if (!when || Object.values(when).every((v) => v === undefined)) return rule.reason ?? 'always required';
  const parts: string[] = [];
  const line = ctx.productLines.find((p) => p.id === facts.productLineId);

  if (when.product_line !== undefined) {
    if (!when.product_line.includes(facts.productLineId)) return null;
    parts.push(`product line is ${line?.name ?? facts.productLineId}`);
  }
  if (when.value_at_least !== undefined) {
    const threshold = Math.round(when.value_at_least * minorUnitsPerMajor(ctx.currency));
    if (facts.valueMinor < threshold) return null;
    parts.push(`value at least ${formatMoney(threshold, ctx.currency)}`);
  }
  if (when.payment_terms_days_over !== undefined) {
    if (!(facts.paymentTermsDays > when.payment_terms_days_over)) return null;
    parts.push(`payment terms over ${when.payment_terms_days_over} days`);
  }
  if (when.discount_percent_over !== undefined) {
    if (!(facts.discountPercent > when.discount_percent_over)) return null;
    parts.push(`discount over ${when.discount_percent_over}%`);
  }
  if (when.quantity_at_least !== undefined) {
    if (facts.quantity < when.quantity_at_least) return null;
    parts.push(`quantity at least ${when.quantity_at_least}`);
  }
  if (when.has_special_requirements !== undefined) {
    const has = (facts.specialRequirements ?? '').trim() !== '';
    if (has !== when.has_special_requirements) return null;
    parts.push(has ? 'special requirements stated' : 'no special requirements');
  }
  if (when.lead_time_shorter_than_standard !== undefined) {
    const shorter = isShorterThanStandard(facts, ctx);
    if (shorter !== when.lead_time_shorter_than_standard) return null;
    parts.push(
      shorter
        ? `delivery sooner than the ${line?.lead_time_days ?? '?'}-day standard lead time`
        : 'delivery within the standard lead time',
    );
  }
  return rule.reason ?? parts.join(', ');
}

/**
 * Who could approve a function's sign-off on a seller's request: its owners, user groups expanded
 * to their members, never the seller (no self-approval). `known` is false when a group's members
 * are not known (yet): then nobody can say the quorum is out of reach.
 */
export function eligibleApprovers(
  owners: readonly string[],
  sellerId: string | null,
  groupMembers: (groupId: string) => readonly string[],
): { readonly ids: readonly string[]; readonly known: boolean } {
  const ids = new Set<string>();
  let known = true;
  for (const o of owners) {
    if (o.startsWith('S')) {
      const members = groupMembers(o);
      if (!members.length) known = false;
      for (const m of members) ids.add(m);
    } else ids.add(o);
  }
  if (sellerId !== null) ids.delete(sellerId);
  return { ids: [...ids], known };
}

/**
 * Whether a sign-off needing `approvalsNeeded` distinct owners can never be cleared on this
 * seller's request: fewer eligible owners than approvals needed. It would wait and expire.
 */
export function quorumUnreachable(
  signOff: { readonly owners: readonly string[]; readonly approvalsNeeded: number },
  sellerId: string | null,
  groupMembers: (groupId: string) => readonly string[],
): boolean {
  const eligible = eligibleApprovers(signOff.owners, sellerId, groupMembers);
  return eligible.known && eligible.ids.length < signOff.approvalsNeeded;
}
