// The DM that tells a person a Slack delivery was given up, and exactly how to fix its cause.
// Sent at most once per request, person and cause (the outbox dedupes the reports).
import { type CommitRequest, requestRef } from '../../domain/request.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, mention } from '../mrkdwn.js';
import type { SlackMessage } from './request-messages.js';

export interface DeliveryFailureFacts {
  readonly request: CommitRequest;
  readonly failedKind: string;
  readonly code: string;
  /** The requests channel from the config. */
  readonly requestsChannel: string;
  /** Whether the person told is the request's seller (else leadership, standing in for them). */
  readonly toSeller: boolean;
}

function whatFailed(kind: string, request: CommitRequest): string {
  const ref = requestRef(request.id);
  switch (kind) {
    case 'parent.post':
      return `post ${ref} in the requests channel`;
    case 'parent.update':
      return `update the message of ${ref}`;
    case 'signoff.post':
      return `ask for a sign-off on ${ref} in its thread`;
    case 'signoff.update':
      return `update a sign-off message of ${ref}`;
    case 'seller.outcome':
      return `tell ${mention(request.sellerId)} the outcome of ${ref} (${request.status})`;
    case 'delivery.failed':
      return `tell ${mention(request.sellerId)} about a delivery problem with ${ref}`;
    case 'webhook.deliver':
      return `send an event of ${ref} to a webhook receiver (\`webhooks\` in commit-gate.yml)`;
    default:
      return `deliver a ${escapeText(kind)} message for ${ref}`;
  }
}

/** The one line that says what a person can do about the cause. */
export function howToFix(code: string, requestsChannel: string): string {
  const channel = `<#${requestsChannel}>`;
  switch (code) {
    case 'not_in_channel':
      return `I am not a member of ${channel}: invite me with \`/invite @commit-gate\` in ${channel}, then ask whoever runs commit-gate to run \`npm run outbox:retry\` so I post what is missing.`;
    case 'channel_not_found':
      return `I cannot see ${channel}: if it is private, invite me with \`/invite @commit-gate\` there; otherwise check \`channels.requests\` in commit-gate.yml.`;
    case 'is_archived':
      return `${channel} is archived: unarchive it, or point \`channels.requests\` in commit-gate.yml at a live channel.`;
    case 'missing_scope':
    case 'no_permission':
    case 'restricted_action':
    case 'team_access_not_granted':
      return 'Slack refused the app permission: reinstall commit-gate from its manifest.yml so every scope it needs is granted.';
    case 'user_not_found':
    case 'user_disabled':
    case 'cannot_dm_bot':
    case 'no_dm_channel':
      return 'The seller cannot receive direct messages from me: please tell them yourself.';
    case 'message_not_found':
    case 'cant_update_message':
    case 'edit_window_closed':
      return 'The message was deleted or can no longer be edited: the request and its decisions are unchanged; `/commit` shows the current state.';
    default:
      if (code.startsWith('webhook_') || code.startsWith('gave_up_retrying:webhook_'))
        return 'The receiver refused or could not be reached: check its URL and secret and that it answers 2xx, then run `npm run outbox:retry` so it gets every event it missed. I report this receiver once until then.';
      if (code.startsWith('gave_up_retrying:'))
        return 'Slack kept failing for a day (see status.slack.com); nothing more will be sent for this message.';
      return 'Slack rejected the message itself: this is a bug in commit-gate. Tell whoever runs commit-gate (the log line "delivery given up" has the details).';
  }
}

export function buildDeliveryFailureDm(facts: DeliveryFailureFacts): SlackMessage {
  const { request, failedKind, code } = facts;
  const ref = requestRef(request.id);
  const said = failedKind === 'webhook.deliver' ? 'the receiver answered' : 'Slack said';
  const head = `:warning: I could not ${whatFailed(failedKind, request)} (${said} \`${escapeText(code)}\`). ${ref} and its decisions are safe: it is *${request.status}*.`;
  const standIn = facts.toSeller
    ? ''
    : `\nI could not reach the seller ${mention(request.sellerId)} about this, so I am telling you as leadership.`;
  const fix = `\n*How to fix it:* ${howToFix(code, facts.requestsChannel)}`;
  return {
    text: clamp(`I could not ${whatFailed(failedKind, request)} (${code}).`, LIMITS.messageText),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clamp(head + standIn + fix, LIMITS.sectionText) } },
    ],
  };
}
