// What every button listener shares: where a private answer goes, and one wrapper for
// ack → decode → (refuse) → call the service → reply, with the apology when anything throws.
import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { refusalText } from '../views/refusals.js';
import { APOLOGY, type ListenerDeps } from './deps.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & { client: WebClient };
type Log = ListenerDeps['logger'];

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

export const INVALID_BUTTON = 'That button is not valid. Nothing was changed.';

/** A service's refusal, told privately to the clicker; nothing was changed. */
export function refuse(
  { client, body }: ButtonArgs,
  refusal: Parameters<typeof refusalText>[0] & { readonly request?: { readonly id: number } | null },
): Promise<void> {
  return tellPrivately(client, body, refusalText(refusal, refusal.request?.id ?? null));
}

/**
 * Registers a button: acks at once, decodes its value (a value that does not decode is refused as
 * invalid), then runs `handle`, which calls one service and answers; a throw is logged and the
 * clicker gets the apology, so nobody is left without an answer.
 */
export function onButton<V>(
  app: App,
  deps: ListenerDeps,
  actionId: string,
  decode: (value: string | undefined) => V | null,
  handle: (args: ButtonArgs, value: V, log: Log) => Promise<void>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async (raw) => {
    const args = raw as ButtonArgs;
    await args.ack();
    const log = deps.logger.child({ listener: actionId, user: args.body.user.id });
    try {
      const value = decode(args.action.value);
      if (value === null) {
        log.warn('tampered or malformed button value');
        await tellPrivately(args.client, args.body, INVALID_BUTTON);
        return;
      }
      await handle(args, value, log);
    } catch (error) {
      log.error(`${actionId} failed`, error);
      await tellPrivately(args.client, args.body, APOLOGY).catch(() => undefined);
    }
  });
}
