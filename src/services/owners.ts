// Who may act on a sign-off now: owners, members of owner user groups, and delegates of owners
// who are away. Built per decision from the stores, then handed to the pure domain checks.
import { localDate } from '../domain/calendar.js';
import { actingFor, type OwnerDirectory } from '../domain/delegation.js';
import type { OwnerCheck, SignOff } from '../domain/request.js';
import type { ServiceDeps } from './deps.js';

export function ownerDirectory(
  deps: Pick<ServiceDeps, 'delegations' | 'groups' | 'config'>,
  at: Date,
): OwnerDirectory {
  const today = localDate(at, deps.config.timezone);
  return {
    groupMembers: (id) => deps.groups?.members(id) ?? [],
    delegations: deps.delegations?.activeOn(today) ?? [],
  };
}

export interface Authority {
  readonly isOwner: OwnerCheck;
  /** The away owner `userId` acts for on this sign-off, or undefined when acting as an owner. */
  onBehalfOf(signOff: SignOff, userId: string): string | undefined;
}

export function authority(deps: Pick<ServiceDeps, 'delegations' | 'groups' | 'config'>, at: Date): Authority {
  const dir = ownerDirectory(deps, at);
  return {
    isOwner: (signOff, userId) => actingFor(signOff.owners, userId, dir) !== null,
    onBehalfOf: (signOff, userId) => actingFor(signOff.owners, userId, dir)?.onBehalfOf ?? undefined,
  };
}

/**
 * Every owner id a person answers for now: themselves, the configured user groups they belong
 * to, and the owners they stand in for as delegate. App Home lists the sign-offs of all of them.
 */
export function ownerIdsFor(
  deps: Pick<ServiceDeps, 'delegations' | 'groups' | 'config'>,
  userId: string,
  at: Date,
): string[] {
  const dir = ownerDirectory(deps, at);
  const groupIds = new Set(
    Object.values(deps.config.functions).flatMap((f) => f.owners.filter((o) => o.startsWith('S'))),
  );
  const ids = new Set([userId]);
  for (const g of groupIds) if (dir.groupMembers(g).includes(userId)) ids.add(g);
  for (const d of dir.delegations) if (d.delegateId === userId) ids.add(d.ownerId);
  return [...ids];
}
