// App Home as a use case: what one person should see (their queue, their requests and, for
// leadership, the week so far), and who must see a fresh Home after a change. Rendering to Block
// Kit is slack/views/home.ts; the outbox publishes it (kind 'home.update').

import { promiseRoles } from '../config.js';
import { businessAges } from '../domain/business-age.js';
import { addDays, type IsoDate, localDate, startOfLocalDay, weekStart } from '../domain/calendar.js';
import type { CommitPromise } from '../domain/promise.js';
import type { CommitRequest, SignOff } from '../domain/request.js';
import type { ServiceDeps } from './deps.js';
import type { Notification } from './notifications.js';
import type { HomeQueries, HomeWeekFigures, PendingSignOffRef } from './ports.js';

/**
 * The owner ids a person answers for: themselves, and (extension points for the lead) the user
 * groups they belong to and the owners they hold delegation for. Sign-offs store owner ids as
 * asked, so any id returned here makes that owner's sign-offs show in this person's queue.
 */
export type OwnerIdsResolver = (userId: string) => readonly string[];
export const directOwnerIds: OwnerIdsResolver = (userId) => [userId];

/** A capacity verdict stored on a request (issue #5); App Home shows it when there is one. */
export interface CapacityNote {
  readonly ok: boolean;
  readonly text: string;
}

export interface HomeDeps {
  readonly services: ServiceDeps;
  readonly home: HomeQueries;
  readonly ownerIds?: OwnerIdsResolver;
  readonly capacityOf?: (request: CommitRequest) => CapacityNote | null;
}

export interface WaitingItem {
  readonly request: CommitRequest;
  readonly signOff: SignOff;
  /** Business hours the sign-off has waited. */
  readonly ageHours: number;
  readonly capacity: CapacityNote | null;
}

export interface LeadershipBoard {
  readonly weekOf: IsoDate;
  readonly figures: HomeWeekFigures;
  readonly oldest: readonly WaitingItem[];
}

export interface HomeData {
  readonly userId: string;
  /** Labels of the configured functions this person signs off for (empty for a newcomer). */
  readonly functions: readonly string[];
  readonly waiting: { readonly total: number; readonly items: readonly WaitingItem[] };
  readonly mine: { readonly openTotal: number; readonly requests: readonly CommitRequest[] };
  readonly board: LeadershipBoard | null;
  /** Promises: what this person confirms (due within 7 days or overdue) and, as seller, their open ones. */
  readonly promises?: HomePromises;
}

export interface HomePromises {
  readonly today: IsoDate;
  /** True when this person is one of the `confirmed_by` owners (the section shows even when empty). */
  readonly confirmer: boolean;
  readonly toConfirm: { readonly total: number; readonly items: readonly CommitPromise[] };
  readonly mine: { readonly total: number; readonly items: readonly CommitPromise[] };
}

/** More than any Home can show (100 blocks, two per sign-off): the rest is counted, not loaded. */
export const WAITING_LOAD_LIMIT = 48;
export const MY_REQUESTS_LIMIT = 10;
export const RECENT_CLOSED_LIMIT = 5;
export const OLDEST_WAITS = 5;
/** Two blocks each (line and buttons) on Home; more are counted. */
export const PROMISES_TO_CONFIRM_LIMIT = 10;
export const MY_PROMISES_LIMIT = 10;
const OPEN_PROMISE_STATES = ['open', 'at_risk', 'overdue', 'partly_delivered'] as const;
/** Home shows confirmers what is due within this many days (and everything overdue). */
export const PROMISES_DUE_WITHIN_DAYS = 7;

/** Everything one person's Home shows, read at the moment of rendering. */
export function buildHomeFor(deps: HomeDeps, userId: string): HomeData {
  const { config, clock } = deps.services;
  const now = clock.now();
  const itemsOf = (refs: readonly PendingSignOffRef[]): WaitingItem[] => {
    const loaded = deps.home.loadRequests(refs.map((r) => r.requestId));
    const found = refs.flatMap((ref) => {
      const request = loaded.get(ref.requestId);
      const signOff = request?.signOffs.find((s) => s.id === ref.signOffId);
      return request && signOff ? [{ request, signOff }] : [];
    });
    const oldest = Math.min(now.getTime(), ...found.map((f) => f.signOff.askedAt.getTime()));
    const age = businessAges(new Date(oldest), now, config.reminders.business_hours, config.timezone);
    return found.map(({ request, signOff }) => ({
      request,
      signOff,
      ageHours: age(signOff.askedAt),
      capacity: deps.capacityOf?.(request) ?? null,
    }));
  };

  const ownerIds = (deps.ownerIds ?? directOwnerIds)(userId);
  const functions = Object.values(config.functions)
    .filter((f) => f.owners.some((o) => ownerIds.includes(o)))
    .map((f) => f.label);
  const refs = deps.home.pendingFor(userId, ownerIds);
  const waiting = { total: refs.length, items: itemsOf(refs.slice(0, WAITING_LOAD_LIMIT)) };

  const { open, recent } = deps.home.sellerRequestIds(userId, RECENT_CLOSED_LIMIT);
  const mineIds = [...open.slice(0, MY_REQUESTS_LIMIT), ...recent].slice(0, MY_REQUESTS_LIMIT);
  const loaded = deps.home.loadRequests(mineIds);
  const mine = {
    openTotal: open.length,
    requests: mineIds.flatMap((id) => loaded.get(id) ?? []),
  };

  let board: LeadershipBoard | null = null;
  if (config.leadership.includes(userId)) {
    const weekOf = weekStart(localDate(now, config.timezone));
    const from = startOfLocalDay(weekOf, config.timezone);
    const to = startOfLocalDay(addDays(weekOf, 7), config.timezone);
    board = {
      weekOf,
      figures: deps.home.weekFigures(from, to),
      oldest: itemsOf(deps.home.oldestPending(OLDEST_WAITS)),
    };
  }
  return { userId, functions, waiting, mine, board, promises: homePromises(deps, userId, ownerIds, now) };
}

function homePromises(deps: HomeDeps, userId: string, ownerIds: readonly string[], now: Date): HomePromises {
  const { config, promises } = deps.services;
  const today = localDate(now, config.timezone);
  const confirmedBy = promiseRoles(config).confirmedBy;
  const owners = confirmedBy ? (config.functions[confirmedBy]?.owners ?? []) : [];
  const confirmer = owners.some((o) => ownerIds.includes(o));
  // One more than shown, to know whether to say "…and more"; the totals are what was read.
  const due = confirmer
    ? promises.listPromises({
        states: OPEN_PROMISE_STATES,
        dueOnOrBefore: addDays(today, PROMISES_DUE_WITHIN_DAYS),
        limit: 200,
      })
    : [];
  // Not the confirmer's own sales: they may not confirm those.
  const toConfirm = due.filter((p) => p.sellerId !== userId);
  const mine = promises.listPromises({ states: OPEN_PROMISE_STATES, sellerId: userId, limit: 200 });
  return {
    today,
    confirmer,
    toConfirm: { total: toConfirm.length, items: toConfirm.slice(0, PROMISES_TO_CONFIRM_LIMIT) },
    mine: { total: mine.length, items: mine.slice(0, MY_PROMISES_LIMIT) },
  };
}

/**
 * Records that a person opened Home and queues its rendering, in one transaction: from now on
 * changes they can see refresh it.
 */
export function recordHomeOpened(deps: HomeDeps, userId: string): void {
  const { store, outbox, clock } = deps.services;
  const at = clock.now();
  store.transaction(() => {
    deps.home.recordOpened(userId, at);
    outbox.enqueue([{ kind: 'home.update', userId }], at);
  });
  deps.services.onNotify();
}

/**
 * Whose Home shows this request: its seller, the owners of its sign-offs (users; groups are
 * refreshed when their members open Home), the person who acted and leadership (the week so far).
 * The store drops those who never opened Home.
 */
export function homeUpdatesFor(
  request: CommitRequest,
  leadership: readonly string[],
  actorId?: string,
): Notification[] {
  const people = new Set<string>([request.sellerId, ...leadership]);
  if (actorId) people.add(actorId);
  for (const s of request.signOffs) for (const o of s.owners) if (!o.startsWith('S')) people.add(o);
  return [...people].map((userId) => ({ kind: 'home.update', userId }));
}
