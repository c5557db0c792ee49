import type { App } from '@slack/bolt';
import { decideSignOff } from '../../../services/decide-signoff.js';
import { decodeMeta, parseRejectState, rejectModalMetaSchema, viewStateSchema } from '../../codecs.js';
import { CALLBACKS, REJECT_BLOCKS } from '../../ids.js';
import { refusalText } from '../../views/refusals.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.rejectModal, async ({ ack, body, view }) => {
    const log = deps.logger.child({ listener: 'reject_modal', user: body.user.id });
    const meta = decodeMeta(rejectModalMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) {
      log.warn('malformed reject submission');
      await ack({
        response_action: 'errors',
        errors: { [REJECT_BLOCKS.reason]: 'This form is not valid. Nothing was changed.' },
      });
      return;
    }
    const { reason } = parseRejectState(state.data);
    if (!reason) {
      await ack({
        response_action: 'errors',
        errors: {
          [REJECT_BLOCKS.reason]: 'Give a reason: the seller needs to know what would make this deliverable.',
        },
      });
      return;
    }
    try {
      // Synchronous and fast (SQLite): decided before ack so a refusal shows on the form itself.
      const result = decideSignOff(deps.services, {
        signOffId: meta.s,
        version: meta.v,
        actorId: body.user.id,
        verdict: { kind: 'reject', reason },
      });
      if (!result.ok) {
        await ack({
          response_action: 'errors',
          errors: { [REJECT_BLOCKS.reason]: refusalText(result, result.request?.id ?? null) },
        });
        return;
      }
      log.info('sign-off rejected', { request: result.request.id, signOff: meta.s });
      await ack();
    } catch (error) {
      log.error('reject failed', error);
      await ack({ response_action: 'errors', errors: { [REJECT_BLOCKS.reason]: APOLOGY } });
    }
  });
}
