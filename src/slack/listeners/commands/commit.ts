import type { App } from '@slack/bolt';
import { localDate } from '../../../domain/calendar.js';
import { minorUnitsPerMajor } from '../../../domain/money.js';
import { parsePrefill } from '../../../domain/prefill.js';
import { COMMAND } from '../../ids.js';
import { decodeCommandText } from '../../mrkdwn.js';
import { buildHelp } from '../../views/help.js';
import { buildRequestModal } from '../../views/modals.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';
import { SUBCOMMANDS } from './subcommands/index.js';

/**
 * `/commit` alone or with free text opens the request modal (prefilled from the text);
 * `/commit help` answers with usage; `/commit <subcommand> …` runs one of SUBCOMMANDS.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ command, ack, client, respond }) => {
    // Decoded once here, so the prefill parser and every subcommand see what was typed.
    const text = decodeCommandText(command.text).trim();
    const log = deps.logger.child({ listener: 'command', user: command.user_id });
    if (/^(help|\?)$/i.test(text)) {
      await ack({ response_type: 'ephemeral', ...buildHelp(SUBCOMMANDS) });
      return;
    }
    const [word = '', ...rest] = text.split(/\s+/);
    const subcommand = SUBCOMMANDS.find((s) => s.name === word.toLowerCase());
    // Ack first: Slack's 3-second window covers the whole round trip, and some answers are slow.
    await ack();
    if (subcommand) {
      try {
        const reply = await subcommand.run({ command, args: rest.join(' ').trim(), client, deps });
        if (reply) await respond({ response_type: 'ephemeral', ...reply });
      } catch (error) {
        log.error('subcommand failed', { subcommand: subcommand.name }, error);
        await respond({ response_type: 'ephemeral', text: APOLOGY }).catch((e: unknown) =>
          log.warn('could not answer', e),
        );
      }
      return;
    }
    const today = localDate(deps.clock.now(), deps.config.timezone);
    const prefill = parsePrefill(text, {
      productLines: deps.config.product_lines,
      today,
      minorUnitsPerMajor: minorUnitsPerMajor(deps.config.currency),
    });
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
