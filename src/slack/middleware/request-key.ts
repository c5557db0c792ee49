// Checks, before any listener runs, that a click or a submission carries the button key of the
// request it points at (requests.button_key). Ids and CG-n references are reused when a backup is
// restored; without this check an owner clicking Approve on an old message would decide whichever
// request now has that id. A missing or different key is refused privately as out of date and
// changes nothing; values that point at no stored row go on to the listeners (which refuse them).
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../../logger.js';
import type { RequestStore } from '../../services/ports.js';
import { type KeyedTarget, keyedTarget } from '../codecs.js';
import { refusalText } from '../views/refusals.js';
import { notValidModal, tellClicker } from './refuse-invalid.js';

const clicked = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string() }),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })),
  channel: z.looseObject({ id: z.string() }).optional(),
  container: z.looseObject({}).optional(),
});
const submitted = z.looseObject({
  type: z.literal('view_submission'),
  view: z.looseObject({ private_metadata: z.string().optional() }),
});

type Store = Pick<RequestStore, 'buttonKey' | 'loadRequest' | 'requestIdForSignOff'>;

/** The refusal for a target whose key does not match the stored one, or null when it matches. */
function staleRefusal(store: Store, target: KeyedTarget): string | null {
  const stored = store.buttonKey(target);
  if (stored === null) return null; // no such row: the listener refuses it as unknown
  if (stored !== '' && target.key === stored) return null;
  const requestId = 'requestId' in target ? target.requestId : store.requestIdForSignOff(target.signOffId);
  const request = requestId === null ? null : store.loadRequest(requestId);
  // The request that now has this id is not the one the message was rendered for: name neither.
  return refusalText({ reason: 'out_of_date', current: request?.version ?? 1 }, null);
}

export function requestKey(deps: { store: Store; logger: AppLogger }): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, client } = args;
    const log = deps.logger.child({ middleware: 'request_key' });
    const click = clicked.safeParse(body);
    if (click.success) {
      for (const action of click.data.actions) {
        const target = keyedTarget(action.value);
        const refusal = target && staleRefusal(deps.store, target);
        if (!refusal) continue;
        if ('ack' in args && typeof args.ack === 'function') await args.ack();
        log.warn('click with a stale button key refused', { user: click.data.user.id, target });
        await tellClicker(client, click.data, refusal).catch((e: unknown) => log.warn('could not answer', e));
        return;
      }
    }
    const submission = submitted.safeParse(body);
    if (submission.success && 'view' in args) {
      const target = keyedTarget(submission.data.view.private_metadata);
      const refusal = target && staleRefusal(deps.store, target);
      if (refusal) {
        log.warn('submission with a stale button key refused', { target });
        await args.ack({ response_action: 'update', view: notValidModal(refusal) });
        return;
      }
    }
    await args.next();
  };
}
