import type { App } from '@slack/bolt';
import type { RequestField } from '../../../domain/validation.js';
import { reviseRequest } from '../../../services/revise-request.js';
import { submitRequest } from '../../../services/submit-request.js';
import { decodeMeta, parseRequestState, requestModalMetaSchema, viewStateSchema } from '../../codecs.js';
import { CALLBACKS, REQUEST_BLOCKS } from '../../ids.js';
import { revisionRefusalText } from '../../views/refusals.js';
import { buildSubmittedModal } from '../../views/submitted.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.requestModal, async ({ ack, body, view }) => {
    const log = deps.logger.child({ listener: 'request_modal', user: body.user.id });
    const state = viewStateSchema.safeParse(view.state.values);
    if (!state.success) {
      await ack({
        response_action: 'errors',
        errors: { [REQUEST_BLOCKS.customer]: 'The form could not be read. Please reopen /commit.' },
      });
      return;
    }
    const meta = decodeMeta(requestModalMetaSchema, view.private_metadata);
    // Validation and the SQLite write are synchronous and take well under a millisecond, so they
    // run before ack(): the seller sees field errors in the modal, and the modal only closes once
    // the request is safely stored. Everything slow (Slack posts) happens later, from the outbox.
    try {
      if (meta?.revise) {
        const revised = reviseRequest(deps.services, {
          requestId: meta.revise.r,
          version: meta.revise.v,
          actorId: body.user.id,
          raw: parseRequestState(state.data),
        });
        if (revised.ok) {
          log.info('request revised', { request: revised.request.id, version: revised.request.version });
          await ack();
        } else if (revised.errors) {
          await ack({ response_action: 'errors', errors: fieldErrors(revised.errors) });
        } else {
          await ack({
            response_action: 'errors',
            errors: { [REQUEST_BLOCKS.customer]: revisionRefusalText(revised, meta.revise.r) },
          });
        }
        return;
      }
      const result = submitRequest(deps.services, {
        sellerId: body.user.id,
        raw: parseRequestState(state.data),
        sourceChannelId: meta?.channel ?? null,
        viewId: view.id,
      });
      if (!result.ok) {
        await ack({ response_action: 'errors', errors: fieldErrors(result.errors) });
        return;
      }
      if (result.duplicate) log.info('the same view was submitted again', { request: result.request.id });
      else log.info('request submitted', { request: result.request.id });
      await ack({
        response_action: 'update',
        view: buildSubmittedModal(result.request, deps.ctx, deps.config.channels.requests),
      });
    } catch (error) {
      log.error('submit failed', error);
      await ack({ response_action: 'errors', errors: { [REQUEST_BLOCKS.customer]: APOLOGY } });
    }
  });
}

function fieldErrors(errors: Partial<Record<RequestField, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [RequestField, string][]) {
    out[REQUEST_BLOCKS[field]] = message;
  }
  return out;
}
