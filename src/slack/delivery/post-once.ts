// Exactly-once posts: every post carries message metadata naming its delivery, so after an
// attempt whose answer was lost (a timeout, a 5xx, a crash mid-call) the retry looks for its own
// tagged message before posting again.
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../views/request-messages.js';
import { PermanentDeliveryError } from './slack-errors.js';

/** What the dispatcher knows about this attempt. */
export interface DeliveryAttempt {
  /**
   * An earlier attempt may have reached Slack without us hearing back (a timeout, a 5xx, a crash
   * mid-call): posts then look for their own tagged message before posting again.
   */
  readonly uncertain: boolean;
}

/** Message metadata every post carries, so a post whose answer was lost can be found again. */
export const DELIVERY_EVENT_TYPE = 'commit_gate_delivery';
const LOOKBACK = 200;

export interface Posted {
  readonly channel: string;
  readonly ts: string;
  readonly skipped: boolean;
}

export interface PostTarget {
  readonly channel: string;
  readonly thread_ts?: string;
}

interface HistoryMessage {
  readonly ts?: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: { readonly key?: unknown } };
}

const quiet = { unfurl_links: false, unfurl_media: false } as const;

export function createPostOnce(client: WebClient) {
  /** The ts of the message tagged `key` in a channel (or thread), if an earlier attempt posted it. */
  const alreadyPosted = async (target: PostTarget, key: string): Promise<string | null> => {
    const res = target.thread_ts
      ? await client.conversations.replies({
          channel: target.channel,
          ts: target.thread_ts,
          include_all_metadata: true,
          limit: LOOKBACK,
        })
      : await client.conversations.history({
          channel: target.channel,
          include_all_metadata: true,
          limit: LOOKBACK,
        });
    const found = (res.messages as HistoryMessage[] | undefined)?.find(
      (m) => m.metadata?.event_type === DELIVERY_EVENT_TYPE && m.metadata.event_payload?.key === key,
    );
    return found?.ts ?? null;
  };

  /** Posts once: after an uncertain attempt, finds the earlier post instead of repeating it. */
  return async function postOnce(
    attempt: DeliveryAttempt,
    key: string,
    target: PostTarget,
    message: SlackMessage,
  ): Promise<Posted> {
    if (attempt.uncertain) {
      const ts = await alreadyPosted(target, key).catch((error: unknown) => {
        // An install that predates the history scopes cannot look: post (a rare duplicate beats
        // a lost message); any other failure is retried like the post itself.
        if ((error as { data?: { error?: unknown } }).data?.error === 'missing_scope') return null;
        throw error;
      });
      if (ts) return { channel: target.channel, ts, skipped: true };
    }
    const res = await client.chat.postMessage({
      ...target,
      ...message,
      ...quiet,
      metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key } },
    });
    if (!res.ts) throw new PermanentDeliveryError('no_ts_in_response');
    return { channel: res.channel ?? target.channel, ts: res.ts, skipped: false };
  };
}

export type PostOnce = ReturnType<typeof createPostOnce>;
