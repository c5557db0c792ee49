// Submissions of the negotiation modals. Each decides before acking, so a refusal shows on the
// form itself (SQLite is synchronous and fast).
import type { AckFn, App, ViewResponseAction } from '@slack/bolt';
import { requestRef } from '../../../domain/request.js';
import { decideSignOff } from '../../../services/decide-signoff.js';
import { overrideRequest, proposeFeasibleDate, withdrawRequest } from '../../../services/negotiate.js';
import { askForChanges } from '../../../services/revise-request.js';
import {
  decodeMeta,
  encodeMeta,
  overCapacityModalMetaSchema,
  parseConditionsState,
  parseProposeState,
  parseReasonState,
  rejectModalMetaSchema,
  requestModalActionMetaSchema,
  viewStateSchema,
} from '../../codecs.js';
import {
  CALLBACKS,
  CHANGES_BLOCKS,
  CONDITIONS_BLOCKS,
  OVER_CAPACITY_BLOCKS,
  OVERRIDE_BLOCKS,
  PROPOSE_BLOCKS,
  WITHDRAW_BLOCKS,
} from '../../ids.js';
import { LIMITS } from '../../limits.js';
import { capacityCheckText } from '../../views/capacity-check.js';
import { buildOverCapacityModal } from '../../views/modals.js';
import { refusalText } from '../../views/refusals.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';

/** Bolt types a view listener's ack as either form; both accept a response_action. */
type Ack = AckFn<void> | AckFn<ViewResponseAction>;

const MALFORMED = 'This form is not valid. Nothing was changed.';

export function register(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.conditionsModal, async ({ ack, body, view }) => {
    const field = CONDITIONS_BLOCKS.conditions;
    const meta = decodeMeta(rejectModalMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) return fail(ack, field, MALFORMED);
    const { conditions } = parseConditionsState(state.data);
    if (!conditions) return fail(ack, field, 'Write the conditions: they are what the seller must honour.');
    await guarded(deps, ack, field, 'conditions_modal', async () => {
      const result = decideSignOff(deps.services, {
        signOffId: meta.s,
        version: meta.v,
        actorId: body.user.id,
        verdict: { kind: 'approve', conditions },
      });
      if (!result.ok && result.reason === 'over_capacity') {
        // Over capacity now: the same form becomes the over-capacity one, conditions kept (unless
        // escaping them would overflow Slack's private_metadata: then the owner is told instead).
        if (encodeMeta({ ...meta, conditions }).length > LIMITS.privateMetadata)
          return fail(
            ack,
            field,
            `${requestRef(result.request.id)} is over capacity now: an approval needs a reason. Use Approve and give the reason and your conditions there.`,
          );
        await ack({
          response_action: 'update',
          view: buildOverCapacityModal(
            { ...meta, conditions },
            result.signOff.label,
            result.request.id,
            capacityCheckText(result.check, deps.ctx),
          ),
        });
        return;
      }
      if (!result.ok) return fail(ack, field, refusalText(result, result.request?.id ?? null, deps.ctx));
      await ack();
    });
  });

  app.view(CALLBACKS.overCapacityModal, async ({ ack, body, view }) => {
    const field = OVER_CAPACITY_BLOCKS.reason;
    const meta = decodeMeta(overCapacityModalMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) return fail(ack, field, MALFORMED);
    const reason = parseReasonState(state.data, field);
    if (!reason)
      return fail(ack, field, 'Give a reason: approving over capacity is on the record for everyone.');
    await guarded(deps, ack, field, 'over_capacity_modal', async () => {
      // Checked again in the decision's transaction: if the request fits by now, it is a plain
      // approval; if it is still over, the approval is recorded as over capacity with the reason.
      const result = decideSignOff(deps.services, {
        signOffId: meta.s,
        version: meta.v,
        actorId: body.user.id,
        verdict: { kind: 'approve', conditions: meta.conditions, overCapacityReason: reason },
      });
      if (!result.ok) return fail(ack, field, refusalText(result, result.request?.id ?? null, deps.ctx));
      await ack();
    });
  });

  app.view(CALLBACKS.proposeDateModal, async ({ ack, body, view }) => {
    const meta = decodeMeta(rejectModalMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) return fail(ack, PROPOSE_BLOCKS.date, MALFORMED);
    const { date, note } = parseProposeState(state.data);
    if (!date) return fail(ack, PROPOSE_BLOCKS.date, 'Pick the date you can deliver by.');
    await guarded(deps, ack, PROPOSE_BLOCKS.date, 'propose_date_modal', async () => {
      const result = proposeFeasibleDate(deps.services, {
        signOffId: meta.s,
        version: meta.v,
        actorId: body.user.id,
        date,
        note,
      });
      if (!result.ok)
        return fail(ack, PROPOSE_BLOCKS.date, refusalText(result, result.request?.id ?? null, deps.ctx));
      await ack();
    });
  });

  app.view(CALLBACKS.changesModal, async ({ ack, body, view }) => {
    const field = CHANGES_BLOCKS.reason;
    const meta = decodeMeta(rejectModalMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) return fail(ack, field, MALFORMED);
    const reason = parseReasonState(state.data, field);
    if (!reason) return fail(ack, field, 'Say what must change, so the seller can revise it.');
    await guarded(deps, ack, field, 'changes_modal', async () => {
      const result = askForChanges(deps.services, {
        signOffId: meta.s,
        version: meta.v,
        actorId: body.user.id,
        reason,
      });
      if (!result.ok) return fail(ack, field, refusalText(result, result.request?.id ?? null, deps.ctx));
      await ack();
    });
  });

  app.view(CALLBACKS.withdrawModal, async ({ ack, body, view }) => {
    const field = WITHDRAW_BLOCKS.reason;
    const meta = decodeMeta(requestModalActionMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) return fail(ack, field, MALFORMED);
    const reason = parseReasonState(state.data, field);
    await guarded(deps, ack, field, 'withdraw_modal', async () => {
      const result = withdrawRequest(deps.services, {
        requestId: meta.r,
        version: meta.v,
        actorId: body.user.id,
        reason: reason || null,
      });
      if (!result.ok) return fail(ack, field, refusalText(result, result.request?.id ?? null, deps.ctx));
      await ack();
    });
  });

  app.view(CALLBACKS.overrideModal, async ({ ack, body, view }) => {
    const field = OVERRIDE_BLOCKS.reason;
    const meta = decodeMeta(requestModalActionMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) return fail(ack, field, MALFORMED);
    const reason = parseReasonState(state.data, field);
    if (!reason) return fail(ack, field, 'Give a reason: an override is on the record for everyone to read.');
    await guarded(deps, ack, field, 'override_modal', async () => {
      const result = overrideRequest(deps.services, { requestId: meta.r, actorId: body.user.id, reason });
      if (!result.ok) return fail(ack, field, refusalText(result, result.request?.id ?? null, deps.ctx));
      await ack();
    });
  });
}

function fail(ack: Ack, field: string, message: string): Promise<void> {
  return ack({ response_action: 'errors', errors: { [field]: message } });
}

async function guarded(
  deps: ListenerDeps,
  ack: Ack,
  field: string,
  listener: string,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (error) {
    deps.logger.child({ listener }).error(`${listener} failed`, error);
    await fail(ack, field, APOLOGY);
  }
}
