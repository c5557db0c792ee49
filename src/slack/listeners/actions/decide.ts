import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { checkCanDecide, decideSignOff } from '../../../services/decide-signoff.js';
import { decodeSignOffButton } from '../../codecs.js';
import { ACTIONS } from '../../ids.js';
import { capacityCheckText } from '../../views/capacity-check.js';
import { buildOverCapacityModal, buildRejectModal } from '../../views/modals.js';
import { refusalText } from '../../views/refusals.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: WebClient };

/** Where a private answer to a click goes: the clicker, in the channel and thread clicked in. */
export function whereClicked(body: BlockAction): { channel: string | null; thread: string | null } {
  const container = body.container as
    | { channel_id?: string; thread_ts?: string; message_ts?: string }
    | undefined;
  return {
    channel: body.channel?.id ?? container?.channel_id ?? null,
    thread: container?.thread_ts ?? body.message?.thread_ts ?? null,
  };
}

export async function tellPrivately(client: WebClient, body: BlockAction, text: string): Promise<void> {
  const { channel, thread } = whereClicked(body);
  if (channel) {
    await client.chat.postEphemeral({
      channel,
      user: body.user.id,
      text,
      ...(thread ? { thread_ts: thread } : {}),
    });
    return;
  }
  // A click outside a channel (App Home): answer in the person's DM with the bot.
  const dm = await client.conversations.open({ users: body.user.id });
  if (dm.channel?.id) await client.chat.postMessage({ channel: dm.channel.id, text });
}

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.approve, async (args) => {
    const { ack, body, action, client } = args as ButtonArgs;
    await ack();
    const log = deps.logger.child({ listener: 'approve', user: body.user.id });
    const button = decodeSignOffButton(action.value);
    try {
      if (!button) {
        log.warn('tampered or malformed button value');
        await tellPrivately(client, body, 'That button is not valid. Nothing was changed.');
        return;
      }
      const result = decideSignOff(deps.services, {
        signOffId: button.s,
        version: button.v,
        actorId: body.user.id,
        verdict: { kind: 'approve' },
      });
      if (!result.ok && result.reason === 'over_capacity') {
        // Nothing recorded: the owner is asked why they approve over capacity (Reason required).
        log.info('approval over capacity asks a reason', { request: result.request.id, signOff: button.s });
        const { channel, thread } = whereClicked(body);
        await client.views.open({
          trigger_id: body.trigger_id,
          view: buildOverCapacityModal(
            { s: button.s, v: button.v, channel, thread, conditions: null },
            result.signOff.label,
            result.request.id,
            capacityCheckText(result.check, deps.ctx),
          ),
        });
        return;
      }
      if (!result.ok) {
        log.info('decision refused', { reason: result.reason, signOff: button.s });
        await tellPrivately(client, body, refusalText(result, result.request?.id ?? null));
        return;
      }
      log.info('sign-off approved', { request: result.request.id, signOff: button.s });
    } catch (error) {
      log.error('approve failed', error);
      await tellPrivately(client, body, APOLOGY).catch(() => undefined);
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.reject, async (args) => {
    const { ack, body, action, client } = args as ButtonArgs;
    await ack();
    const log = deps.logger.child({ listener: 'reject', user: body.user.id });
    const button = decodeSignOffButton(action.value);
    try {
      if (!button) {
        log.warn('tampered or malformed button value');
        await tellPrivately(client, body, 'That button is not valid. Nothing was changed.');
        return;
      }
      const check = checkCanDecide(deps.services, {
        signOffId: button.s,
        version: button.v,
        actorId: body.user.id,
      });
      if (!check.ok) {
        await tellPrivately(client, body, refusalText(check, check.request?.id ?? null));
        return;
      }
      const { channel, thread } = whereClicked(body);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildRejectModal(
          { s: button.s, v: button.v, channel, thread },
          check.signOff.label,
          check.request.id,
        ),
      });
    } catch (error) {
      log.error('reject failed', error);
      await tellPrivately(client, body, APOLOGY).catch(() => undefined);
    }
  });
}
