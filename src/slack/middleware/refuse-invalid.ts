// Refuses, before any listener runs, what no listener can handle: payloads missing the fields
// Slack always sends (forged or corrupted), action ids and callback ids the bot never rendered,
// commands it does not own. Each is acked (so Slack shows no error), answered privately where
// Slack gives a way to, logged, and changes nothing.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { AppLogger } from '../../logger.js';
import { ACTIONS, CALLBACKS, COMMAND } from '../ids.js';

export const NOT_VALID = 'That is not something I can do. Nothing was changed.';

/** Every id in ids.ts ACTIONS / CALLBACKS (strings or RegExps), however deeply grouped. */
function ids(value: unknown): (string | RegExp)[] {
  if (typeof value === 'string' || value instanceof RegExp) return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(ids);
  return [];
}

/**
 * Whether an id is one the bot renders: listed in ids.ts exactly, or matched by a RegExp there.
 * Nothing else: a listener matches exactly these, so any other id (`signoff_approve:x`) would be
 * left unacknowledged until Slack's 3 s timeout. An id that carries a key needs a RegExp here.
 */
export function knownId(known: readonly (string | RegExp)[], id: string): boolean {
  return known.some((k) => (typeof k === 'string' ? id === k : k.test(id)));
}

const id = z.string().min(1).max(255);
export const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id }),
  trigger_id: z.string().optional(),
  actions: z.array(z.looseObject({ action_id: id })).min(1),
  channel: z.looseObject({ id }).optional(),
  container: z.looseObject({}).optional(),
});
const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user: z.looseObject({ id }),
  view: z.looseObject({
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.unknown()) }),
  }),
});
const slashCommand = z.looseObject({
  command: z.string(),
  user_id: id,
  channel_id: z.string(),
  text: z.string(),
  trigger_id: z.string(),
});

export function notValidModal(text = NOT_VALID) {
  return {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'commit-gate' },
    close: { type: 'plain_text' as const, text: 'Close' },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
  };
}

/** Answers the clicker privately where they clicked (the channel and thread, else their DM). */
export async function tellClicker(
  client: WebClient,
  body: z.infer<typeof blockActions>,
  text = NOT_VALID,
): Promise<void> {
  const container = body.container as { channel_id?: unknown; thread_ts?: unknown } | undefined;
  const channel =
    body.channel?.id ?? (typeof container?.channel_id === 'string' ? container.channel_id : null);
  const thread = typeof container?.thread_ts === 'string' ? container.thread_ts : undefined;
  if (channel) {
    await client.chat.postEphemeral({
      channel,
      user: body.user.id,
      text,
      ...(thread ? { thread_ts: thread } : {}),
    });
    return;
  }
  const dm = await client.conversations.open({ users: body.user.id });
  if (dm.channel?.id) await client.chat.postMessage({ channel: dm.channel.id, text });
}

export function refuseInvalid(deps: { logger: AppLogger }): Middleware<AnyMiddlewareArgs> {
  const actionIds = ids(ACTIONS);
  const callbackIds = ids(CALLBACKS);
  return async (args) => {
    const { body, client } = args;
    const ack = 'ack' in args && typeof args.ack === 'function' ? args.ack : null;
    const kind = (body as { type?: unknown }).type;
    const log = deps.logger.child({ middleware: 'refuse_invalid' });

    if (kind === 'block_actions') {
      const parsed = blockActions.safeParse(body);
      if (!parsed.success) {
        log.warn('malformed block_actions refused');
        await ack?.();
        return;
      }
      const unknown = parsed.data.actions.find((a) => !knownId(actionIds, a.action_id));
      if (unknown) {
        await ack?.();
        log.warn('unknown action refused', { user: parsed.data.user.id, action: unknown.action_id });
        await tellClicker(client, parsed.data).catch((e: unknown) => log.warn('could not answer', e));
        return;
      }
    } else if (kind === 'view_submission' && 'view' in args) {
      const parsed = viewSubmission.safeParse(body);
      if (!parsed.success || !knownId(callbackIds, parsed.data.view.callback_id)) {
        log.warn('malformed or unknown view submission refused', {
          user: parsed.success ? parsed.data.user.id : null,
          callback: parsed.success ? parsed.data.view.callback_id : null,
        });
        await args.ack({ response_action: 'update', view: notValidModal() });
        return;
      }
    } else if (
      kind === 'shortcut' ||
      kind === 'message_action' ||
      kind === 'view_closed' ||
      kind === 'block_suggestion'
    ) {
      // Nothing the bot rendered: ack so Slack shows no error, and stop here.
      const b = body as { callback_id?: unknown; action_id?: unknown; view?: { callback_id?: unknown } };
      const id =
        kind === 'block_suggestion'
          ? b.action_id
          : kind === 'view_closed'
            ? b.view?.callback_id
            : b.callback_id;
      const known =
        typeof id === 'string' && knownId(kind === 'block_suggestion' ? actionIds : callbackIds, id);
      if (!known) {
        log.warn('unknown interaction refused', { kind });
        await ack?.();
        return;
      }
    } else if ('command' in args) {
      const parsed = slashCommand.safeParse(body);
      if (!parsed.success || parsed.data.command !== COMMAND) {
        log.warn('malformed or unknown command refused', {
          user: parsed.success ? parsed.data.user_id : null,
        });
        await args.ack({ response_type: 'ephemeral', text: NOT_VALID });
        return;
      }
    }
    await args.next();
  };
}
