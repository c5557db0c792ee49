import type { App } from '@slack/bolt';
import { localDate } from '../../../domain/calendar.js';
import { minorUnitsPerMajor } from '../../../domain/money.js';
import { parsePrefill } from '../../../domain/prefill.js';
import { COMMAND } from '../../ids.js';
import { buildHelp } from '../../views/help.js';
import { buildRequestModal } from '../../views/modals.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ command, ack, client, respond }) => {
    const text = command.text.trim();
    if (/^(help|\?)$/i.test(text)) {
      await ack({ response_type: 'ephemeral', ...buildHelp() });
      return;
    }
    // Ack before views.open: Slack's 3-second window covers the whole round trip.
    await ack();
    const today = localDate(deps.clock.now(), deps.config.timezone);
    const prefill = parsePrefill(text, {
      productLines: deps.config.product_lines,
      today,
      minorUnitsPerMajor: minorUnitsPerMajor(deps.config.currency),
    });
    const log = deps.logger.child({ listener: 'command', user: command.user_id });
    try {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildRequestModal({
          ctx: deps.ctx,
          prefill,
          today,
          meta: { channel: command.channel_id || null },
        }),
      });
    } catch (error) {
      log.error('views.open failed', error);
      await respond({
        response_type: 'ephemeral',
        text: `Could not open the request form. ${APOLOGY}`,
      }).catch((e: unknown) => log.warn('could not tell the seller', e));
    }
  });
}
