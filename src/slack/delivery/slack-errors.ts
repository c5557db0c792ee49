// What each error code a delivery can end with means: the one table behind classification (retry
// or give up) and behind the failure reports (who, if anyone, is told). A code not listed here is
// retried (5xx, timeouts, rate limits, anything Slack may yet answer differently).
import type { DeliveryFailure } from '../../services/notifications.js';

/**
 * - `permanent`: will not go away by trying again; a person must fix the cause, and is told.
 * - `token_dead`: the bot's token is unusable, so no DM can be sent either: only the log and
 *   /healthz tell.
 * - `consequence`: our own code for a failure caused by an earlier one of the same request (e.g.
 *   the parent was never posted), which was reported already.
 */
export type ErrorMeaning = 'permanent' | 'token_dead' | 'consequence';

export const ERROR_MEANINGS: Readonly<Record<string, ErrorMeaning>> = {
  channel_not_found: 'permanent',
  not_in_channel: 'permanent',
  is_archived: 'permanent',
  missing_scope: 'permanent',
  no_permission: 'permanent',
  restricted_action: 'permanent',
  invalid_blocks: 'permanent',
  invalid_blocks_format: 'permanent',
  msg_too_long: 'permanent',
  msg_blocks_too_long: 'permanent',
  no_text: 'permanent',
  message_not_found: 'permanent',
  cant_update_message: 'permanent',
  edit_window_closed: 'permanent',
  user_not_found: 'permanent',
  user_disabled: 'permanent',
  cannot_dm_bot: 'permanent',
  invalid_arguments: 'permanent',
  team_access_not_granted: 'permanent',
  invalid_auth: 'token_dead',
  not_authed: 'token_dead',
  account_inactive: 'token_dead',
  token_revoked: 'token_dead',
  token_expired: 'token_dead',
  parent_not_posted: 'consequence',
  signoff_not_posted: 'consequence',
  signoff_not_found: 'consequence',
  request_not_found: 'consequence',
};

/** What a code means; `retry` for every code not in the table. */
export function meaningOf(code: string): ErrorMeaning | 'retry' {
  return Object.hasOwn(ERROR_MEANINGS, code) ? (ERROR_MEANINGS[code] ?? 'retry') : 'retry';
}

/** A delivery that cannot succeed as things stand (thrown by presenters with our own codes). */
export class PermanentDeliveryError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

interface SlackErrorShape {
  code?: unknown;
  data?: { error?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
}

export function classifySlackError(error: unknown): DeliveryFailure {
  if (error instanceof PermanentDeliveryError) return { kind: 'permanent', code: error.code };
  const e = (error ?? {}) as SlackErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
      return { kind: 'retry', code: 'ratelimited', afterMs: seconds * 1000 };
    }
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      return meaningOf(code) === 'retry' ? { kind: 'retry', code } : { kind: 'permanent', code };
    }
    case 'slack_webapi_http_error':
      return { kind: 'retry', code: `http_${typeof e.statusCode === 'number' ? e.statusCode : 'error'}` };
    case 'slack_webapi_request_error':
      // A timeout or a dropped connection: the call may have reached Slack all the same.
      return { kind: 'retry', code: 'request_error', unanswered: true };
    default:
      return { kind: 'retry', code: error instanceof Error ? error.name : 'unknown_error' };
  }
}
