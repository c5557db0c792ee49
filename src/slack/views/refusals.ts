// What a person is told, privately, when they cannot do what they tried. Specific and polite.
import type { DecisionRefusal } from '../../domain/request.js';
import { requestRef } from '../../domain/request.js';
import { escapeText, mention, mentionOwner } from '../mrkdwn.js';

export function refusalText(refusal: DecisionRefusal, requestId: number | null): string {
  const ref = requestId === null ? 'this request' : requestRef(requestId);
  switch (refusal.reason) {
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
  }
}
