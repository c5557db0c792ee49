// The highest CG-n the bot has posted in the requests channel, read from Slack at start-up. A
// restored backup (or a database deleted and created again) knows fewer requests than Slack has
// seen; starting the sequence above what Slack shows means no reference is ever given twice.
import type { WebClient } from '@slack/web-api';
import { DELIVERY_EVENT_TYPE } from './delivery/post-once.js';

/** How far back to look: the newest posts carry the highest references, so one page suffices. */
const LOOKBACK = 200;

interface HistoryMessage {
  readonly text?: string;
  readonly bot_id?: string;
  readonly metadata?: { readonly event_type?: string };
}

/**
 * The highest request number in the bot's own tagged posts (people can type "CG-99999" in the
 * channel, but only the bot's posts carry its delivery metadata), or 0 when there are none.
 */
export async function highestReferencePosted(
  client: WebClient,
  channel: string,
  botId: string,
): Promise<number> {
  const res = await client.conversations.history({ channel, include_all_metadata: true, limit: LOOKBACK });
  let highest = 0;
  for (const m of (res.messages ?? []) as HistoryMessage[]) {
    if (m.bot_id !== botId || m.metadata?.event_type !== DELIVERY_EVENT_TYPE) continue;
    for (const match of (m.text ?? '').matchAll(/\bCG-(\d{1,12})\b/g))
      highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}
