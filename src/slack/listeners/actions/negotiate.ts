// Buttons beyond Approve/Reject: approve with conditions, propose a date (both open a modal after
// checking the clicker may decide), the seller's Accept/Decline, Withdraw and Override.
import type { App } from '@slack/bolt';
import { localDate } from '../../../domain/calendar.js';
import { suggestedFeasibleDate } from '../../../domain/capacity.js';
import {
  answerCounter,
  checkCanNegotiate,
  checkCanOverride,
  checkCanWithdraw,
  proposeSplitPlan,
} from '../../../services/negotiate.js';
import { decodeRequestButton, decodeSignOffButton } from '../../codecs.js';
import { ACTIONS } from '../../ids.js';
import { formatDate } from '../../mrkdwn.js';
import { buildRequestModal } from '../../views/modals.js';
import {
  buildChangesModal,
  buildConditionsModal,
  buildOverrideModal,
  buildProposeDateModal,
  buildWithdrawModal,
} from '../../views/negotiation-modals.js';
import { refusalText } from '../../views/refusals.js';
import type { ListenerDeps } from '../deps.js';
import { INVALID_BUTTON, onButton, refuse, tellPrivately, whereClicked } from '../shared.js';

export function register(app: App, deps: ListenerDeps): void {
  for (const [actionId, build] of [
    [ACTIONS.approveWithConditions, 'conditions'],
    [ACTIONS.proposeDate, 'propose'],
    [ACTIONS.requestChanges, 'changes'],
  ] as const) {
    onButton(app, deps, actionId, decodeSignOffButton, async (args, button) => {
      const { body, client } = args;
      const check = checkCanNegotiate(deps.services, {
        signOffId: button.s,
        version: button.v,
        actorId: body.user.id,
      });
      if (!check.ok) return refuse(args, check);
      const { channel, thread } = whereClicked(body);
      const meta = { s: button.s, v: button.v, k: button.k, channel, thread };
      await client.views.open({
        trigger_id: body.trigger_id,
        view:
          build === 'conditions'
            ? buildConditionsModal(meta, check.signOff.label, check.request.id)
            : build === 'changes'
              ? buildChangesModal(meta, check.signOff.label, check.request.id)
              : buildProposeDateModal(
                  meta,
                  check.signOff.label,
                  check.request,
                  deps.ctx,
                  suggestedFeasibleDate(check.request.capacityCheck, check.request.facts.deliveryDate),
                ),
      });
    });
  }

  for (const [actionId, accept] of [
    [ACTIONS.counterAccept, true],
    [ACTIONS.counterDecline, false],
  ] as const) {
    onButton(app, deps, actionId, decodeSignOffButton, async (args, button, log) => {
      const { body, client, respond } = args;
      const result = answerCounter(deps.services, {
        signOffId: button.s,
        version: button.v,
        actorId: body.user.id,
        accept,
      });
      if (!result.ok) return refuse(args, result);
      log.info(accept ? 'counter accepted' : 'counter declined', { request: result.request.id });
      const stillAsked =
        accept && result.request.signOffs.find((s) => s.id === button.s)?.status === 'pending';
      const text = accept
        ? `Accepted: the delivery date is now ${formatDate(result.request.facts.deliveryDate, deps.ctx.locale)}.${
            stillAsked
              ? ' It is still over capacity on that date, so an owner must approve it with a reason.'
              : ''
          } The owners are told in the thread.`
        : 'Declined: the request is rejected. The owners are told in the thread.';
      // The seller's own DM: replace it so its Accept/Decline buttons are gone once answered.
      const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }];
      await respond({ replace_original: true, text, blocks }).catch(async (error: unknown) => {
        log.warn('could not replace the counter message', error);
        await tellPrivately(client, body, text);
      });
    });
  }

  // No form: the parts are the check's split plan, computed again inside the service's transaction.
  onButton(app, deps, ACTIONS.proposeSplit, decodeSignOffButton, async (args, button, log) => {
    const result = proposeSplitPlan(deps.services, {
      signOffId: button.s,
      version: button.v,
      actorId: args.body.user.id,
      note: null,
    });
    if (!result.ok) return refuse(args, result);
    log.info('split proposed', { request: result.request.id, signOff: button.s });
  });

  onButton(app, deps, ACTIONS.withdraw, decodeRequestButton, async (args, button) => {
    const { body, client } = args;
    const check = checkCanWithdraw(deps.services, {
      requestId: button.r,
      version: button.v,
      actorId: body.user.id,
    });
    if (!check.ok) return refuse(args, check);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildWithdrawModal({ r: button.r, v: button.v, k: button.k }),
    });
  });

  onButton(app, deps, ACTIONS.revise, decodeRequestButton, async (args, button) => {
    const { body, client } = args;
    const request = deps.services.store.loadRequest(button.r);
    if (!request) return tellPrivately(client, body, INVALID_BUTTON);
    if (request.sellerId !== body.user.id)
      return tellPrivately(
        client,
        body,
        refusalText({ reason: 'not_seller', sellerId: request.sellerId }, request.id),
      );
    if (request.status !== 'pending')
      return tellPrivately(
        client,
        body,
        refusalText({ reason: 'request_closed', status: request.status }, request.id),
      );
    if (request.version !== button.v)
      return tellPrivately(
        client,
        body,
        refusalText({ reason: 'out_of_date', current: request.version }, request.id),
      );
    const { specialRequirements, dealReference, ...facts } = request.facts;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildRequestModal({
        ctx: deps.ctx,
        today: localDate(deps.clock.now(), deps.config.timezone),
        meta: { channel: null, revise: { r: request.id, v: request.version, k: button.k } },
        // The stored facts; an empty optional one stays blank in the form.
        prefill: {
          ...facts,
          ...(specialRequirements ? { specialRequirements } : {}),
          ...(dealReference ? { dealReference } : {}),
        },
      }),
    });
  });

  onButton(app, deps, ACTIONS.override, decodeRequestButton, async (args, button) => {
    const { body, client } = args;
    const check = checkCanOverride(deps.services, { requestId: button.r, actorId: body.user.id });
    if (!check.ok) return refuse(args, check);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildOverrideModal({ r: button.r, v: button.v, k: button.k }, check.request),
    });
  });
}
