// What people (and systems of record, through the API) do to a promise: record a delivery, a
// slip, a quality issue, a payment, a cancellation, an "on track". Each loads the promise, checks
// who may (the ONE place these permission rules live), calls one pure transition and writes the
// rows, the history events and the outbox rows in one transaction.
import { type PromiseRoles, promiseRoles } from '../config.js';
import { type Actor, actorIdOf } from '../domain/actor.js';
import { type IsoDate, isIsoDate, localDate } from '../domain/calendar.js';
import { actingFor } from '../domain/delegation.js';
import {
  type CommitPromise,
  cancel,
  confirmOnTrack as confirmOnTrackTransition,
  deliver,
  dueOn,
  type PromiseEvent,
  type PromiseRefusal,
  type PromiseState,
  pay,
  type QualityIssueKind,
  reportIssue,
  slip,
  type TransitionResult,
} from '../domain/promise.js';
import type { ServiceDeps } from './deps.js';
import type { Notification } from './notifications.js';
import { ownerDirectory } from './owners.js';

/** Who may take a step: the roles of INTERFACE.md's command table. */
export type PromiseRole = 'confirmer' | 'quality' | 'payments' | 'seller' | 'leadership';

export type PromiseStep = 'deliver' | 'slip' | 'issue' | 'pay' | 'cancel' | 'on_track';

export const WHO_MAY: Readonly<Record<PromiseStep, readonly PromiseRole[]>> = {
  deliver: ['confirmer'],
  slip: ['confirmer', 'seller'],
  issue: ['quality'],
  pay: ['payments'],
  cancel: ['seller', 'leadership'],
  on_track: ['confirmer'],
};

export type ServiceRefusal =
  | PromiseRefusal
  | { readonly reason: 'unknown_request' }
  | { readonly reason: 'not_cleared'; readonly status: string }
  | {
      readonly reason: 'not_allowed';
      /** Who may, in words ("Operations owners", "the seller"), for the private refusal. */
      readonly allowed: readonly string[];
      /** True when the refused person is the seller doing what only others may (no self-confirming). */
      readonly ownRequest: boolean;
    };

export type PromiseResult =
  | {
      readonly ok: true;
      readonly promise: CommitPromise;
      readonly before: CommitPromise;
      readonly events: readonly PromiseEvent[];
      /** True when nothing was recorded because the same thing already was (a double click). */
      readonly duplicate: boolean;
    }
  | ({ readonly ok: false; readonly promise: CommitPromise | null } & ServiceRefusal);

/** The roles of a function id as owners, after defaults (null: no such function configured). */
function ownersOf(deps: ServiceDeps, functionId: string | null): readonly string[] {
  return functionId ? (deps.config.functions[functionId]?.owners ?? []) : [];
}

function labelOf(deps: ServiceDeps, functionId: string | null): string | null {
  return functionId ? (deps.config.functions[functionId]?.label ?? functionId) : null;
}

/**
 * The function whose owners fill a role: quality issues fall back to the confirmers and payments
 * to leadership when no such function is configured (INTERFACE.md: "if that function exists").
 */
function roleFunction(roles: PromiseRoles, role: 'confirmer' | 'quality' | 'payments'): string | null {
  if (role === 'confirmer') return roles.confirmedBy;
  if (role === 'quality') return roles.qualityBy ?? roles.confirmedBy;
  return roles.paymentsBy;
}

function roleLabel(deps: ServiceDeps, roles: PromiseRoles, role: PromiseRole): string {
  if (role === 'seller') return 'the seller';
  if (role === 'leadership') return 'leadership';
  const fn = roleFunction(roles, role);
  if (role === 'payments' && !fn) return 'leadership';
  return fn ? `${labelOf(deps, fn)} owners` : 'nobody (no confirming function configured)';
}

/** Whether a user may take this step on this promise now (groups and delegates count as owners). */
export function mayAct(
  deps: ServiceDeps,
  step: PromiseStep,
  promise: Pick<CommitPromise, 'sellerId'>,
  userId: string,
  at: Date,
): { ok: true } | { ok: false; allowed: string[]; ownRequest: boolean } {
  const roles = promiseRoles(deps.config);
  const dir = ownerDirectory(deps, at);
  const who = WHO_MAY[step];
  const isSeller = userId === promise.sellerId;
  for (const role of who) {
    if (role === 'seller' && isSeller) return { ok: true };
    if (role === 'leadership' && deps.config.leadership.includes(userId)) return { ok: true };
    if (role === 'confirmer' || role === 'quality' || role === 'payments') {
      const fn = roleFunction(roles, role);
      const owners = fn ? ownersOf(deps, fn) : role === 'payments' ? deps.config.leadership : [];
      // No self-confirming: the seller does not confirm their own delivery, quality or payment.
      if (!isSeller && actingFor(owners, userId, dir) !== null) return { ok: true };
    }
  }
  const ownRequest =
    isSeller &&
    who.some((role) => {
      if (role === 'seller' || role === 'leadership') return false;
      const fn = roleFunction(roles, role);
      const owners = fn ? ownersOf(deps, fn) : role === 'payments' ? deps.config.leadership : [];
      return actingFor(owners, userId, dir) !== null;
    });
  return { ok: false, allowed: who.map((r) => roleLabel(deps, roles, r)), ownRequest };
}

/** The user ids to mention when asking confirmers (owners as configured; groups stay groups). */
export function confirmerIds(deps: ServiceDeps): readonly string[] {
  return ownersOf(deps, promiseRoles(deps.config).confirmedBy);
}

interface StepContext {
  readonly at: Date;
  readonly today: IsoDate;
  readonly by: string;
  readonly history: () => readonly { type: string; data: Readonly<Record<string, unknown>> }[];
}

type StepOutcome = TransitionResult | { readonly ok: true; readonly duplicate: true };

function run(
  deps: ServiceDeps,
  input: { readonly requestId: number; readonly actor: Actor },
  step: PromiseStep,
  transition: (p: CommitPromise, ctx: StepContext) => StepOutcome,
): PromiseResult {
  const { store, promises, clock, config } = deps;
  const at = clock.now();
  const today = localDate(at, config.timezone);
  const by = actorIdOf(input.actor);
  const result = store.transaction((): PromiseResult => {
    const request = store.loadRequest(input.requestId);
    if (!request) return { ok: false, reason: 'unknown_request', promise: null };
    const before = promises.loadPromise(input.requestId);
    if (!before) return { ok: false, reason: 'not_cleared', status: request.status, promise: null };
    // An API token is a trusted system of record (CRM, ERP, WMS): it records facts, no role check.
    if (input.actor.kind === 'user') {
      const may = mayAct(deps, step, before, input.actor.userId, at);
      if (!may.ok)
        return {
          ok: false,
          reason: 'not_allowed',
          allowed: may.allowed,
          ownRequest: may.ownRequest,
          promise: before,
        };
    }
    const next = transition(before, { at, today, by, history: () => store.history(input.requestId) });
    if (!next.ok) return { ...next, promise: before };
    if ('duplicate' in next) return { ok: true, promise: before, before, events: [], duplicate: true };
    promises.savePromise(before, next.promise, at);
    store.appendEvents(input.requestId, next.events);
    deps.outbox.enqueue(notificationsFor(deps, next.promise, next.events, by), at);
    return { ok: true, promise: next.promise, before, events: next.events, duplicate: false };
  });
  if (result.ok && !result.duplicate) deps.onNotify();
  return result;
}

/**
 * What Slack must be told after a step. The seller hears of a slip or a part delivery first, by
 * DM (queued before the thread and parent updates of the same request, which go out in order),
 * unless they recorded it themselves.
 */
export function notificationsFor(
  deps: ServiceDeps,
  after: CommitPromise,
  events: readonly PromiseEvent[],
  by: string,
): Notification[] {
  const list: Notification[] = [];
  const requestId = after.requestId;
  const slipped = events.some((e) => e.type === 'promise.slipped');
  const part = events.some((e) => e.type === 'promise.delivered' && !e.inFull);
  if ((slipped || part) && by !== after.sellerId) list.push({ kind: 'promise.seller_told', requestId });
  for (const e of events) list.push({ kind: 'promise.notice', requestId, event: e.type });
  list.push({ kind: 'parent.update', requestId });
  if (deps.promises.dueMessageTs(requestId)) list.push({ kind: 'promise.due_update', requestId });
  const people = new Set([after.sellerId, ...confirmerIds(deps).filter((id) => !id.startsWith('S'))]);
  for (const userId of people) list.push({ kind: 'home.update', userId });
  return list;
}

const defaultDay = (day: IsoDate | undefined, today: IsoDate) => day ?? today;

export function recordDelivery(
  deps: ServiceDeps,
  input: {
    readonly requestId: number;
    readonly actor: Actor;
    readonly deliveredOn?: IsoDate;
    readonly quantity?: number;
    /** For a part delivery: when the rest will come (recorded as a slip when after the promised date). */
    readonly restExpectedOn?: IsoDate;
    readonly restReason?: string;
  },
): PromiseResult {
  return run(deps, input, 'deliver', (p, ctx) =>
    deliver(p, {
      ...ctx,
      deliveredOn: defaultDay(input.deliveredOn, ctx.today),
      ...(input.quantity === undefined ? {} : { quantity: input.quantity }),
      ...(input.restExpectedOn === undefined ? {} : { restExpectedOn: input.restExpectedOn }),
      ...(input.restReason === undefined ? {} : { restReason: input.restReason }),
    }),
  );
}

export function recordSlip(
  deps: ServiceDeps,
  input: {
    readonly requestId: number;
    readonly actor: Actor;
    readonly expectedOn: IsoDate;
    readonly reason: string;
  },
): PromiseResult {
  return run(deps, input, 'slip', (p, ctx) => {
    // The same date and reason again (a double submit) is recorded once.
    const last = p.slips.at(-1);
    if (
      last &&
      last.expectedOn === input.expectedOn &&
      last.reason === input.reason.trim() &&
      p.expectedOn === last.expectedOn
    )
      return { ok: true, duplicate: true };
    return slip(p, { ...ctx, expectedOn: input.expectedOn, reason: input.reason });
  });
}

export function reportQualityIssue(
  deps: ServiceDeps,
  input: {
    readonly requestId: number;
    readonly actor: Actor;
    readonly reportedOn?: IsoDate;
    readonly kind: QualityIssueKind;
    readonly note: string;
    readonly quantity?: number | null;
  },
): PromiseResult {
  return run(deps, input, 'issue', (p, ctx) =>
    reportIssue(p, {
      ...ctx,
      reportedOn: defaultDay(input.reportedOn, ctx.today),
      kind: input.kind,
      note: input.note,
      quantity: input.quantity ?? null,
    }),
  );
}

export function recordPayment(
  deps: ServiceDeps,
  input: {
    readonly requestId: number;
    readonly actor: Actor;
    readonly paidOn?: IsoDate;
    readonly amountMinor?: number;
  },
): PromiseResult {
  return run(deps, input, 'pay', (p, ctx) =>
    pay(p, {
      ...ctx,
      paidOn: defaultDay(input.paidOn, ctx.today),
      ...(input.amountMinor === undefined ? {} : { amountMinor: input.amountMinor }),
    }),
  );
}

export function cancelPromise(
  deps: ServiceDeps,
  input: { readonly requestId: number; readonly actor: Actor; readonly reason: string },
): PromiseResult {
  return run(deps, input, 'cancel', (p, ctx) => cancel(p, { ...ctx, reason: input.reason }));
}

export function confirmOnTrack(
  deps: ServiceDeps,
  input: { readonly requestId: number; readonly actor: Actor },
): PromiseResult {
  return run(deps, input, 'on_track', (p, ctx) => {
    // One "on track" per due date: a second click (or a second confirmer) adds nothing.
    const due = dueOn(p);
    const said = ctx.history().some((e) => e.type === 'promise.on_track' && e.data.dueOn === due);
    if (said) return { ok: true, duplicate: true };
    return confirmOnTrackTransition(p, ctx);
  });
}

export function listPromises(
  deps: ServiceDeps,
  query: {
    readonly states?: readonly PromiseState[];
    readonly dueBefore?: IsoDate;
    readonly dueOnOrBefore?: IsoDate;
    readonly sellerId?: string;
    readonly limit?: number;
  } = {},
): CommitPromise[] {
  if (query.dueBefore !== undefined && !isIsoDate(query.dueBefore)) return [];
  return deps.promises.listPromises(query);
}

export function loadPromise(deps: ServiceDeps, requestId: number): CommitPromise | null {
  return deps.promises.loadPromise(requestId);
}

/**
 * Read-only: may this person take this step on this promise now? A button that opens a modal asks
 * first, so nobody fills in a form only to be refused.
 */
export function checkPromiseStep(
  deps: ServiceDeps,
  input: { readonly requestId: number; readonly actor: Actor; readonly step: PromiseStep },
):
  | { readonly ok: true; readonly promise: CommitPromise }
  | ({ readonly ok: false; readonly promise: CommitPromise | null } & ServiceRefusal) {
  const request = deps.store.loadRequest(input.requestId);
  if (!request) return { ok: false, reason: 'unknown_request', promise: null };
  const promise = deps.promises.loadPromise(input.requestId);
  if (!promise) return { ok: false, reason: 'not_cleared', status: request.status, promise: null };
  if (input.actor.kind === 'user') {
    const may = mayAct(deps, input.step, promise, input.actor.userId, deps.clock.now());
    if (!may.ok)
      return { ok: false, reason: 'not_allowed', allowed: may.allowed, ownRequest: may.ownRequest, promise };
  }
  if (promise.state === 'cancelled') return { ok: false, reason: 'cancelled', promise };
  if (promise.state === 'delivered') return { ok: false, reason: 'already_delivered', promise };
  return { ok: true, promise };
}
