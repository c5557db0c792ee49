// What a submission and a revision share: validate the seller's input against the configuration
// and route it to the sign-offs it needs (with each function's label, owners and quorum).
import { type IsoDate, localDate } from '../domain/calendar.js';
import type { RequestFacts } from '../domain/request.js';
import type { RequiredSignOff } from '../domain/revision.js';
import { route } from '../domain/routing.js';
import { type RawRequestInput, type RequestField, validateRequestInput } from '../domain/validation.js';
import type { ServiceDeps } from './deps.js';

export type IntakeResult =
  | { readonly ok: true; readonly facts: RequestFacts; readonly required: RequiredSignOff[] }
  | { readonly ok: false; readonly errors: Partial<Record<RequestField, string>> };

/** Validated facts and the sign-offs they need, as of `at` (today in the configured zone). */
export function validateAndRoute(
  deps: Pick<ServiceDeps, 'config'>,
  raw: RawRequestInput,
  at: Date,
): IntakeResult {
  const { config } = deps;
  const today: IsoDate = localDate(at, config.timezone);
  const validated = validateRequestInput(raw, {
    productLineIds: config.product_lines.map((p) => p.id),
    currency: config.currency,
    today,
  });
  if (!validated.ok) return validated;
  const { facts } = validated;
  const required = route(facts, {
    rules: config.rules,
    functionOrder: Object.keys(config.functions),
    productLines: config.product_lines,
    currency: config.currency,
    today,
  }).flatMap((r): RequiredSignOff[] => {
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
  });
  return { ok: true, facts, required };
}
