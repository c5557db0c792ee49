// The promise buttons (thread asks and App Home): On track and Delivered in full act at once;
// Delivered in part and Will be late open their modal after checking the clicker may answer.
// Everyone else is refused privately; a second click is refused or recorded once by the service.
import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { userActor } from '../../../domain/actor.js';
import { localDate } from '../../../domain/calendar.js';
import { checkPromiseStep, confirmOnTrack, recordDelivery } from '../../../services/promises.js';
import { decodePromiseButton, type PromiseButton } from '../../codecs.js';
import { ACTIONS } from '../../ids.js';
import {
  buildLateModal,
  buildPartDeliveryModal,
  promiseDoneText,
  promiseRefusalText,
} from '../../views/promises.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';
import { tellPrivately, whereClicked } from '../shared.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: WebClient };

const INVALID = 'That button is not valid. Nothing was changed.';

function on(
  app: App,
  deps: ListenerDeps,
  actionId: string,
  handle: (args: ButtonArgs, button: PromiseButton, log: ListenerDeps['logger']) => Promise<void>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async (raw) => {
    const args = raw as ButtonArgs;
    await args.ack();
    const log = deps.logger.child({ listener: actionId, user: args.body.user.id });
    try {
      const button = decodePromiseButton(args.action.value);
      if (!button) {
        log.warn('tampered or malformed button value');
        await tellPrivately(args.client, args.body, INVALID);
        return;
      }
      await handle(args, button, log);
    } catch (error) {
      log.error(`${actionId} failed`, error);
      await tellPrivately(args.client, args.body, APOLOGY).catch(() => undefined);
    }
  });
}

export function register(app: App, deps: ListenerDeps): void {
  on(app, deps, ACTIONS.promiseOnTrack, async ({ body, client }, button, log) => {
    const r = confirmOnTrack(deps.services, { requestId: button.r, actor: userActor(body.user.id) });
    if (!r.ok) {
      log.info('on track refused', { reason: r.reason, request: button.r });
      return tellPrivately(client, body, promiseRefusalText(r, button.r, deps.ctx));
    }
    await tellPrivately(
      client,
      body,
      promiseDoneText(r.promise, 'on track, thank you', deps.ctx, r.duplicate),
    );
  });

  on(app, deps, ACTIONS.promiseDeliveredFull, async ({ body, client }, button, log) => {
    const r = recordDelivery(deps.services, { requestId: button.r, actor: userActor(body.user.id) });
    if (!r.ok) {
      log.info('delivery refused', { reason: r.reason, request: button.r });
      return tellPrivately(client, body, promiseRefusalText(r, button.r, deps.ctx));
    }
    await tellPrivately(client, body, promiseDoneText(r.promise, 'delivered in full, recorded', deps.ctx));
  });

  for (const [actionId, step] of [
    [ACTIONS.promiseDeliveredPart, 'deliver'],
    [ACTIONS.promiseWillBeLate, 'slip'],
  ] as const) {
    on(app, deps, actionId, async ({ body, client }, button, log) => {
      const check = checkPromiseStep(deps.services, {
        requestId: button.r,
        actor: userActor(body.user.id),
        step,
      });
      if (!check.ok) {
        log.info('promise step refused', { reason: check.reason, request: button.r });
        return tellPrivately(client, body, promiseRefusalText(check, button.r, deps.ctx));
      }
      const { channel, thread } = whereClicked(body);
      const meta = { r: button.r, ...(button.k ? { k: button.k } : {}), channel, thread };
      const today = localDate(deps.clock.now(), deps.config.timezone);
      await client.views.open({
        trigger_id: body.trigger_id,
        view:
          step === 'deliver'
            ? buildPartDeliveryModal(meta, check.promise, today, deps.ctx)
            : buildLateModal(meta, check.promise, deps.ctx),
      });
    });
  }
}
