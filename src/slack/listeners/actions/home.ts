import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ACTIONS, COMMAND } from '../../ids.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';
import { tellPrivately } from './decide.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: WebClient };

export function register(app: App, deps: ListenerDeps): void {
  // The weekly digest is built by its own feature; until it is wired here, the button points to
  // the command that previews it.
  app.action<BlockAction<ButtonAction>>(ACTIONS.previewDigest, async (args) => {
    const { ack, body, client } = args as ButtonArgs;
    await ack();
    const log = deps.logger.child({ listener: 'preview_digest', user: body.user.id });
    try {
      const text = deps.config.leadership.includes(body.user.id)
        ? `The digest preview is available with \`${COMMAND} digest\`.`
        : 'The digest preview is for leadership. Nothing was changed.';
      await tellPrivately(client, body, text);
    } catch (error) {
      log.error('preview digest failed', error);
      await tellPrivately(client, body, APOLOGY).catch(() => undefined);
    }
  });
}
