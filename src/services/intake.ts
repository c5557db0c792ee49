// What a submission and a revision share: validate the seller's input against the configuration
// and route it to the sign-offs it needs (with each function's label, owners and quorum), on the
// request's capacity verdict: `when.capacity` rules match it, and an `over` verdict always asks
// the confirming function (the gate).
import { promiseRoles } from '../config.js';
import { type IsoDate, localDate } from '../domain/calendar.js';
import { type CapacityCheck, capacityLevel } from '../domain/capacity.js';
import type { CommitRequest, LifecycleEvent, RequestFacts } from '../domain/request.js';
import type { RequiredSignOff } from '../domain/revision.js';
import { quorumUnreachable, route, withCapacityGate } from '../domain/routing.js';
import { type RawRequestInput, type RequestField, validateRequestInput } from '../domain/validation.js';
import type { ServiceDeps } from './deps.js';
import type { Notification } from './notifications.js';

export type ValidateResult =
  | { readonly ok: true; readonly facts: RequestFacts }
  | { readonly ok: false; readonly errors: Partial<Record<RequestField, string>> };

export type IntakeResult =
  | { readonly ok: true; readonly facts: RequestFacts; readonly required: RequiredSignOff[] }
  | { readonly ok: false; readonly errors: Partial<Record<RequestField, string>> };

/**
 * The function whose owners must sign off a request that is over capacity when no rule asked
 * them: `promises.confirmed_by` (INTERFACE.md), by default operations; the first configured
 * function when there is no such function, so an over-capacity request is never left unasked.
 */
export function capacityGateFunction(config: ServiceDeps['config']): string {
  const wanted = promiseRoles(config).confirmedBy ?? 'operations';
  if (wanted in config.functions) return wanted;
  return Object.keys(config.functions)[0] ?? wanted;
}

/** Validated facts, as of `at` (today in the configured zone). */
export function validateFacts(
  deps: Pick<ServiceDeps, 'config'>,
  raw: RawRequestInput,
  at: Date,
): ValidateResult {
  const { config } = deps;
  return validateRequestInput(raw, {
    productLineIds: config.product_lines.map((p) => p.id),
    currency: config.currency,
    today: localDate(at, config.timezone),
  });
}

/** The sign-offs validated facts need, on their capacity verdict (null: not checked). */
export function routeFacts(
  deps: Pick<ServiceDeps, 'config'>,
  facts: RequestFacts,
  at: Date,
  check: CapacityCheck | null,
): RequiredSignOff[] {
  const { config } = deps;
  const today: IsoDate = localDate(at, config.timezone);
  const level = capacityLevel(check);
  const functionOrder = Object.keys(config.functions);
  const routed = route(facts, {
    rules: config.rules,
    functionOrder,
    productLines: config.product_lines,
    currency: config.currency,
    today,
    capacity: level,
  });
  return withCapacityGate(routed, level, capacityGateFunction(config), functionOrder).flatMap(
    (r): RequiredSignOff[] => {
      const fn = config.functions[r.functionId];
      return fn
        ? [
            {
              functionId: fn.id,
              label: fn.label,
              owners: fn.owners,
              approvalsNeeded: fn.approvals,
              requiredBy: r.requiredBy,
            },
          ]
        : [];
    },
  );
}

/** Validated facts and the sign-offs they need on a given verdict (null: before any check). */
export function validateAndRoute(
  deps: Pick<ServiceDeps, 'config'>,
  raw: RawRequestInput,
  at: Date,
  check: CapacityCheck | null = null,
): IntakeResult {
  const validated = validateFacts(deps, raw, at);
  if (!validated.ok) return validated;
  return { ok: true, facts: validated.facts, required: routeFacts(deps, validated.facts, at, check) };
}

/**
 * The functions among `routed` with fewer owners (groups expanded, the seller excluded) than
 * approvals: they can never clear this seller's request, so leadership is told at once instead
 * of the request waiting until it expires. Submission and revision both ask this.
 */
export function unreachableQuorums(
  deps: ServiceDeps,
  sellerId: string,
  routed: readonly {
    readonly functionId: string;
    readonly owners: readonly string[];
    readonly approvalsNeeded: number;
  }[],
): Set<string> {
  const members = (id: string) => deps.groups?.members(id) ?? [];
  return new Set(routed.filter((r) => quorumUnreachable(r, sellerId, members)).map((r) => r.functionId));
}

/** The escalation events and leadership notices for the stored sign-offs of `stuck` functions. */
export function quorumEscalations(
  deps: ServiceDeps,
  request: CommitRequest,
  stuck: ReadonlySet<string>,
  at: Date,
): { readonly events: LifecycleEvent[]; readonly notifications: Notification[] } {
  const events: LifecycleEvent[] = [];
  const notifications: Notification[] = [];
  for (const s of request.signOffs.filter((s) => stuck.has(s.functionId))) {
    events.push({
      type: 'signoff.escalated',
      at,
      signOffId: s.id,
      functionId: s.functionId,
      reason: 'quorum_unreachable',
    });
    if (deps.config.leadership.length)
      notifications.push({
        kind: 'leadership.escalate',
        requestId: request.id,
        signOffId: s.id,
        reason: 'quorum_unreachable',
      });
  }
  return { events, notifications };
}
