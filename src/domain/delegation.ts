// Who may act for a function's owners: the owners themselves, members of an owner user group
// (S…, expanded by the caller), and an owner's delegate while the owner is away.
import { addDays, type IsoDate, isIsoDate } from './calendar.js';

export interface Delegation {
  readonly ownerId: string;
  readonly delegateId: string;
  readonly startDay: IsoDate;
  readonly endDay: IsoDate;
}

export interface OwnerDirectory {
  /** Members of a user group, as last fetched ([] when unknown). */
  groupMembers(groupId: string): readonly string[];
  /** Delegations in force now. */
  readonly delegations: readonly Delegation[];
}

const isGroup = (id: string) => id.startsWith('S');

/** Whether `userId` is one of `owners` directly or through a group they belong to. */
export function isDirectOwner(owners: readonly string[], userId: string, dir: OwnerDirectory): boolean {
  return owners.some((o) => o === userId || (isGroup(o) && dir.groupMembers(o).includes(userId)));
}

/**
 * How `userId` may act for these owners: `{ onBehalfOf: null }` as an owner, `{ onBehalfOf: X }`
 * as the delegate of away owner X, or null when they may not act at all.
 */
export function actingFor(
  owners: readonly string[],
  userId: string,
  dir: OwnerDirectory,
): { readonly onBehalfOf: string | null } | null {
  if (isDirectOwner(owners, userId, dir)) return { onBehalfOf: null };
  for (const d of dir.delegations) {
    if (d.delegateId === userId && isDirectOwner(owners, d.ownerId, dir)) return { onBehalfOf: d.ownerId };
  }
  return null;
}

/** The delegates covering any of these owners now, for mentioning them on a sign-off message. */
export function delegatesFor(owners: readonly string[], dir: OwnerDirectory): Delegation[] {
  return dir.delegations.filter((d) => isDirectOwner(owners, d.ownerId, dir));
}

export type AwayRefusal =
  | { readonly reason: 'bad_dates' }
  | { readonly reason: 'end_before_start' }
  | { readonly reason: 'in_the_past' }
  | { readonly reason: 'self' }
  /** Only someone with sign-offs to hand over (an owner) or leadership may go away. */
  | { readonly reason: 'not_owner' }
  | { readonly reason: 'too_far'; readonly latest: IsoDate };

/** How far ahead an absence may end: a delegation for a decade is a standing grant, not leave. */
export const AWAY_MAX_DAYS = 366;

export function validateAway(input: {
  ownerId: string;
  delegateId: string;
  startDay: string;
  endDay: string;
  today: IsoDate;
  /** Whether the person owns a function (directly or through a user group) or is leadership. */
  mayDelegate?: boolean;
}): { ok: true; delegation: Delegation } | ({ ok: false } & AwayRefusal) {
  if (input.mayDelegate === false) return { ok: false, reason: 'not_owner' };
  if (!isIsoDate(input.startDay) || !isIsoDate(input.endDay)) return { ok: false, reason: 'bad_dates' };
  if (input.endDay < input.startDay) return { ok: false, reason: 'end_before_start' };
  if (input.endDay < input.today) return { ok: false, reason: 'in_the_past' };
  const latest = addDays(input.today, AWAY_MAX_DAYS);
  if (input.endDay > latest) return { ok: false, reason: 'too_far', latest };
  if (input.delegateId === input.ownerId) return { ok: false, reason: 'self' };
  const { ownerId, delegateId, startDay, endDay } = input;
  return { ok: true, delegation: { ownerId, delegateId, startDay, endDay } };
}
