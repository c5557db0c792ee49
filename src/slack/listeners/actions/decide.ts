// Approve and Reject on a sign-off message: approve decides at once; reject opens the reason modal
// after checking the clicker may decide (the decision itself is taken in views/reject-modal.ts).
import type { App } from '@slack/bolt';
import { checkCanDecide, decideSignOff } from '../../../services/decide-signoff.js';
import { decodeSignOffButton } from '../../codecs.js';
import { ACTIONS } from '../../ids.js';
import { buildRejectModal } from '../../views/modals.js';
import type { ListenerDeps } from '../deps.js';
import { onButton, refuse, whereClicked } from '../shared.js';

export function register(app: App, deps: ListenerDeps): void {
  onButton(app, deps, ACTIONS.approve, decodeSignOffButton, async (args, button, log) => {
    const result = decideSignOff(deps.services, {
      signOffId: button.s,
      version: button.v,
      actorId: args.body.user.id,
      verdict: { kind: 'approve' },
    });
    if (!result.ok) {
      log.info('decision refused', { reason: result.reason, signOff: button.s });
      return refuse(args, result);
    }
    log.info('sign-off approved', { request: result.request.id, signOff: button.s });
  });

  onButton(app, deps, ACTIONS.reject, decodeSignOffButton, async (args, button) => {
    const { body, client } = args;
    const check = checkCanDecide(deps.services, {
      signOffId: button.s,
      version: button.v,
      actorId: body.user.id,
    });
    if (!check.ok) return refuse(args, check);
    const { channel, thread } = whereClicked(body);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildRejectModal(
        { s: button.s, v: button.v, k: button.k, channel, thread },
        check.signOff.label,
        check.request.id,
      ),
    });
  });
}
