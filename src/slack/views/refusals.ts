// What a person is told, privately, when they cannot do what they tried. Specific and polite.
import type { NegotiationRefusal } from '../../domain/negotiation.js';
import { requestRef } from '../../domain/request.js';
import type { RevisionRefusal } from '../../domain/revision.js';
import { escapeText, formatDate, mention, mentionOwner } from '../mrkdwn.js';
import type { RenderContext } from './render-context.js';

/** `ctx` carries the locale of the dates a refusal names (en-US without it). */
export function refusalText(
  refusal: NegotiationRefusal | { readonly reason: 'over_capacity' },
  requestId: number | null,
  ctx?: Pick<RenderContext, 'locale'>,
): string {
  const ref = requestId === null ? 'this request' : requestRef(requestId);
  switch (refusal.reason) {
    case 'over_capacity':
      return `${ref} is over capacity now: an approval needs a reason. Nothing was changed.`;
    case 'unknown_signoff':
      return 'That sign-off no longer exists. Nothing was changed.';
    case 'request_closed':
      return `${ref} is already ${refusal.status}: it takes no more decisions. Nothing was changed.`;
    case 'out_of_date':
      return `Those buttons are out of date: ${ref} has changed (now version ${refusal.current}). Use the latest message in the thread. Nothing was changed.`;
    case 'not_owner':
      return `Only an owner of ${escapeText(refusal.label)} can decide this sign-off (${refusal.owners
        .map(mentionOwner)
        .join(', ')}). Nothing was changed.`;
    case 'own_request':
      return `You asked for ${ref}, so you cannot sign it off for ${escapeText(refusal.label)}: another owner of ${escapeText(
        refusal.label,
      )} must decide it. Nothing was changed.`;
    case 'already_decided': {
      const s = refusal.signOff;
      const who = s.rejection
        ? mention(s.rejection.userId)
        : s.approvals.map((a) => mention(a.userId)).join(', ');
      return `The ${escapeText(s.label)} sign-off for ${ref} was already ${s.status}${who ? ` by ${who}` : ''}. Nothing was changed.`;
    }
    case 'already_approved_by_you':
      return `You already approved ${escapeText(refusal.signOff.label)} for ${ref}; it needs ${
        refusal.signOff.approvalsNeeded - refusal.signOff.approvals.length
      } more approval(s) from other owners.`;
    case 'reason_required':
      return 'Give a reason: the seller needs to know what would make this deliverable.';
    case 'awaiting_seller':
      return `${escapeText(refusal.signOff.label)} proposed another date for ${ref}; it waits for the seller's answer. Nothing was changed.`;
    case 'date_not_later':
      return `Propose a date later than the requested ${formatDate(refusal.current, ctx?.locale)}.`;
    case 'not_seller':
      return `Only the seller of ${ref} (${mention(refusal.sellerId)}) can do that. Nothing was changed.`;
    case 'no_proposal':
      return `There is no proposed date waiting for an answer on ${ref} any more. Nothing was changed.`;
    case 'not_leadership':
      return `Only a member of leadership can override a rejection of ${ref}. Nothing was changed.`;
    case 'no_split':
      return `${ref} needs no split now (or cannot be split into at most four weekly deliveries): propose a date instead. Nothing was changed.`;
    case 'own_override':
      return `You asked for ${ref}, so you cannot override its rejection: ${
        refusal.others.length > 0
          ? `another member of leadership (${refusal.others.map(mentionOwner).join(', ')}) may`
          : 'no other member of leadership is configured to'
      }. Nothing was changed.`;
    case 'not_rejected':
      return `${ref} is ${refusal.status}: only a rejected request can be overridden. Nothing was changed.`;
  }
}

export function revisionRefusalText(refusal: RevisionRefusal, requestId: number): string {
  if (refusal.reason === 'no_changes')
    return `Nothing changed: change at least one field to revise ${requestRef(requestId)}.`;
  if (refusal.reason === 'no_change_request')
    return `No owner has asked for changes to ${requestRef(requestId)}: there is nothing to revise. Nothing was changed.`;
  return refusalText(refusal, requestId);
}
