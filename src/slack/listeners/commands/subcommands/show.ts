import { parseRequestRef, requestRef } from '../../../../domain/request.js';
import { requestHistory } from '../../../../services/request-history.js';
import { buildHistory } from '../../../views/history.js';
import type { Subcommand } from './types.js';

export const show: Subcommand = {
  name: 'show',
  help: '`/commit show CG-42` shows a request, its versions, its whole decision history and its promise, privately.',
  async run({ args, deps }) {
    const id = parseRequestRef(args);
    if (id === null) return { text: 'Which request? For example: `/commit show CG-42`.' };
    const found = requestHistory(deps.services, id);
    if (!found) return { text: `There is no request ${requestRef(id)}.` };
    return buildHistory(found.request, found.events, deps.ctx, found.promise);
  },
};
