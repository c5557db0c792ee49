// `/commit away` and `/commit back`: an owner hands their sign-offs to a delegate for a period.
import { localDate } from '../domain/calendar.js';
import { type AwayRefusal, type Delegation, isDirectOwner, validateAway } from '../domain/delegation.js';
import type { ServiceDeps } from './deps.js';

export function goAway(
  deps: Pick<ServiceDeps, 'delegations' | 'clock' | 'config' | 'groups'>,
  input: { ownerId: string; delegateId: string; startDay: string; endDay: string },
): { ok: true; delegation: Delegation } | ({ ok: false } & AwayRefusal) {
  const at = deps.clock.now();
  // Direct ownership only: a delegate cannot pass on what was handed to them.
  const dir = { groupMembers: (id: string) => deps.groups?.members(id) ?? [], delegations: [] };
  const mayDelegate =
    deps.config.leadership.includes(input.ownerId) ||
    Object.values(deps.config.functions).some((f) => isDirectOwner(f.owners, input.ownerId, dir));
  const valid = validateAway({ ...input, today: localDate(at, deps.config.timezone), mayDelegate });
  if (valid.ok) deps.delegations?.add(valid.delegation, at);
  return valid;
}

export function comeBack(
  deps: Pick<ServiceDeps, 'delegations' | 'clock' | 'config'>,
  ownerId: string,
): number {
  const at = deps.clock.now();
  return deps.delegations?.endAll(ownerId, localDate(at, deps.config.timezone), at) ?? 0;
}
