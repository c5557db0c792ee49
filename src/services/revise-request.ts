// Asking for changes, and the seller's revision: a new version of the same request, re-routed,
// with only the sign-offs whose inputs changed (or that newly apply) asked again.
import { type NegotiationRefusal, requestChanges } from '../domain/negotiation.js';
import type { CommitRequest, RequestEvent } from '../domain/request.js';
import { planRevision, type RevisionRefusal } from '../domain/revision.js';
import type { RawRequestInput, RequestField } from '../domain/validation.js';
import { capacityUpdatesFor, checkCapacity } from './capacity.js';
import type { ServiceDeps } from './deps.js';
import { quorumEscalations, routeFacts, unreachableQuorums, validateFacts } from './intake.js';
import type { Notification } from './notifications.js';
import { authority } from './owners.js';
import type { StoredEvent } from './ports.js';

export type RequestChangesResult =
  | { readonly ok: true; readonly request: CommitRequest }
  | ({ readonly ok: false; readonly request: CommitRequest | null } & NegotiationRefusal);

export function askForChanges(
  deps: ServiceDeps,
  input: { signOffId: number; actorId: string; reason: string; version?: number },
): RequestChangesResult {
  const { store, outbox, clock } = deps;
  const at = clock.now();
  const result = store.transaction((): RequestChangesResult => {
    const requestId = store.requestIdForSignOff(input.signOffId);
    const request = requestId === null ? null : store.loadRequest(requestId);
    if (!request) return { ok: false, reason: 'unknown_signoff', request: null };
    const auth = authority(deps, at);
    const target = request.signOffs.find((s) => s.id === input.signOffId);
    const onBehalfOf = target ? auth.onBehalfOf(target, input.actorId) : undefined;
    const asked = requestChanges(request, { ...input, at, onBehalfOf }, auth.isOwner);
    if (!asked.ok) return { ...asked, request };
    store.appendEvents(request.id, asked.events);
    const reason = input.reason.trim();
    outbox.enqueue(
      [
        {
          kind: 'thread.notice',
          requestId: request.id,
          notice: { type: 'changes_requested', signOffId: input.signOffId, userId: input.actorId, reason },
        },
        { kind: 'seller.changes', requestId: request.id, signOffId: input.signOffId, reason },
      ],
      at,
    );
    return { ok: true, request };
  });
  if (result.ok) deps.onNotify();
  return result;
}

export type ReviseResult =
  | { readonly ok: true; readonly request: CommitRequest }
  | { readonly ok: false; readonly errors: Partial<Record<RequestField, string>> }
  | ({
      readonly ok: false;
      readonly errors?: undefined;
      readonly request: CommitRequest | null;
    } & RevisionRefusal);

/** Whether an owner asked for changes after the request's latest revision (or its submission). */
function changesRequestedSinceRevision(events: readonly StoredEvent[]): boolean {
  const lastRevision = events.findLastIndex((e) => e.type === 'request.revised');
  return events.slice(lastRevision + 1).some((e) => e.type === 'signoff.changes_requested');
}

export function reviseRequest(
  deps: ServiceDeps,
  input: { requestId: number; version: number; actorId: string; raw: RawRequestInput },
): ReviseResult {
  const { config, clock, store, outbox } = deps;
  const at = clock.now();
  const validated = validateFacts(deps, input.raw, at);
  if (!validated.ok) return validated;
  const { facts } = validated;

  const result = store.transaction((): ReviseResult => {
    const before = store.loadRequest(input.requestId);
    if (!before) return { ok: false, reason: 'request_closed', status: 'withdrawn', request: null };
    // New facts, new verdict, checked before routing (`when.capacity`, the gate); its own
    // previous load does not count against itself.
    const capacityCheck = checkCapacity(deps, facts, { excludeRequestId: before.id });
    const required = routeFacts(deps, facts, at, capacityCheck);
    const plan = planRevision(before, {
      ...input,
      facts,
      required,
      rules: config.rules,
      changesRequested: changesRequestedSinceRevision(store.history(before.id)),
    });
    if (!plan.ok) return { ...plan, request: before };
    // Re-routing can add a function (or re-ask one with new owners) that this seller's request
    // can never clear: leadership is told at once, as at submission. One that was already
    // unreachable before the revision was escalated then and is not escalated twice.
    const wasStuck = unreachableQuorums(deps, before.sellerId, before.signOffs);
    const stuck = new Set(
      [...unreachableQuorums(deps, before.sellerId, [...plan.reset, ...plan.add])].filter(
        (f) => !wasStuck.has(f),
      ),
    );
    const saved = store.saveRevision(before, plan, at, stuck);
    if (!saved) {
      const current = store.loadRequest(before.id);
      return {
        ok: false,
        reason: 'out_of_date',
        current: current?.version ?? before.version,
        request: current,
      };
    }
    deps.capacity.saveCheck(saved.id, capacityCheck);
    let after: CommitRequest = { ...saved, capacityCheck };
    const events: RequestEvent[] = [
      { type: 'request.revised', actorId: input.actorId, at, version: plan.version, changes: plan.changes },
      ...plan.reset.map((r) => ({
        type: 'signoff.reset' as const,
        at,
        signOffId: r.id,
        functionId: r.functionId,
      })),
    ];
    const notifications: Notification[] = [
      { kind: 'parent.update', requestId: after.id },
      {
        kind: 'thread.notice',
        requestId: after.id,
        notice: { type: 'revised', version: plan.version, changes: plan.changes },
      },
    ];
    const added = new Set(plan.add.map((a) => a.functionId));
    for (const s of after.signOffs) {
      const isNew = added.has(s.functionId) && !before.retiredSignOffs?.some((r) => r.id === s.id);
      notifications.push({
        kind: isNew ? 'signoff.post' : 'signoff.update',
        requestId: after.id,
        signOffId: s.id,
      });
    }
    for (const s of plan.retire)
      notifications.push({ kind: 'signoff.update', requestId: after.id, signOffId: s.id });
    // Every function still required had already approved, and none newly applies: cleared.
    if (after.signOffs.every((s) => s.status === 'approved')) {
      const approved: CommitRequest = { ...after, status: 'approved', closedAt: at };
      if (store.saveTransition(after, approved, at)) {
        after = approved;
        events.push({ type: 'request.approved', at });
        notifications.push({ kind: 'seller.outcome', requestId: after.id });
      }
    }
    store.appendEvents(after.id, events);
    const escalations = quorumEscalations(deps, after, stuck, at);
    store.appendEvents(after.id, escalations.events);
    notifications.push(...escalations.notifications);
    notifications.push(...capacityUpdatesFor(deps, [before.facts, after.facts]));
    outbox.enqueue(notifications, at);
    return { ok: true, request: after };
  });
  if (result.ok) deps.onNotify();
  return result;
}
