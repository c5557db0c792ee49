import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ACTIONS } from '../../ids.js';
import { buildDigestModal } from '../../views/digest.js';
import { weekSoFar } from '../commands/subcommands/digest.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';
import { tellPrivately } from '../shared.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: WebClient };

export function register(app: App, deps: ListenerDeps): void {
  // Leadership's "Preview digest": the week so far, exactly as `/commit digest` builds it, in a
  // modal (private to the clicker, and it holds 100 blocks where a message holds 50).
  app.action<BlockAction<ButtonAction>>(ACTIONS.previewDigest, async (args) => {
    const { ack, body, client } = args as ButtonArgs;
    await ack();
    const log = deps.logger.child({ listener: 'preview_digest', user: body.user.id });
    try {
      const week = weekSoFar(deps, body.user.id);
      if (!week.ok) return await tellPrivately(client, body, week.text);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildDigestModal('This week so far', week.messages, week.today),
      });
    } catch (error) {
      log.error('preview digest failed', error);
      await tellPrivately(client, body, APOLOGY).catch(() => undefined);
    }
  });
}
