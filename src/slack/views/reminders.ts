// The reminder in a sign-off's thread and the escalation leadership receives.
import { type CommitRequest, requestRef, type SignOff } from '../../domain/request.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, mentionOwner } from '../mrkdwn.js';
import { plainSummary, type RenderContext } from './render-context.js';
import type { SlackMessage } from './request-messages.js';

const section = (text: string) =>
  ({ type: 'section', text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) } }) as const;

export function buildReminderMessage(request: CommitRequest, signOff: SignOff, hours: number): SlackMessage {
  const owners = signOff.owners.map(mentionOwner).join(' ');
  const text = `:bell: ${owners}: the ${escapeText(signOff.label)} sign-off for ${requestRef(request.id)} has waited more than ${hours} business hours. Please approve or reject it above.`;
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text)] };
}

export function buildEscalationMessage(
  request: CommitRequest,
  signOff: SignOff,
  hours: number,
  ctx: RenderContext,
  threadLink: string | null,
  reason?: 'quorum_unreachable',
): SlackMessage {
  const owners = signOff.owners.map(mentionOwner).join(', ');
  if (reason === 'quorum_unreachable') {
    const text = `:rotating_light: ${requestRef(request.id)} can never be cleared by ${escapeText(signOff.label)}: it needs ${signOff.approvalsNeeded} distinct approvals, but only ${owners} own it and the seller cannot approve their own request. Add an owner to the function (or lower its \`approvals\`) in the config; otherwise it expires unanswered. ${plainSummary(request, ctx)}.${threadLink ? ` <${threadLink}|Open the thread>` : ''}`;
    return { text: clamp(text, LIMITS.messageText), blocks: [section(text)] };
  }
  const text = `:rotating_light: ${requestRef(request.id)} has waited more than ${hours} business hours for ${escapeText(signOff.label)} (${owners}): ${plainSummary(request, ctx)}.${threadLink ? ` <${threadLink}|Open the thread>` : ''}`;
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text)] };
}
