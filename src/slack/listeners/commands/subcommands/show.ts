import { parseRequestRef, requestRef } from '../../../../domain/request.js';
import { requestHistory } from '../../../../services/request-history.js';
import { mention } from '../../../mrkdwn.js';
import { buildHistory } from '../../../views/history.js';
import type { Subcommand } from './types.js';

export const show: Subcommand = {
  name: 'show',
  help: '`/commit show CG-42` shows a request, its versions, its whole decision history and its promise, privately.',
  async run({ args, command, deps }) {
    const id = parseRequestRef(args);
    if (id === null) return { text: 'Which request? For example: `/commit show CG-42`.' };
    const found = requestHistory(deps.services, id, command.user_id);
    if (!found.ok && found.reason === 'unknown') return { text: `There is no request ${requestRef(id)}.` };
    // The same answer whether or not the request exists would hide that it does; references are
    // sequential anyway, so say plainly whom to ask.
    if (!found.ok)
      return {
        text: `Only the seller of ${requestRef(id)}, owners of the functions that sign it off and leadership can read it. Ask ${found.ask
          .map(mention)
          .join(' or ')}.`,
      };
    return buildHistory(found.request, found.events, deps.ctx, found.promise);
  },
};
