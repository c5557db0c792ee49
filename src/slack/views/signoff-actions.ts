// The decision buttons, in one builder: the thread message renders them, and so can App Home.
import type { ActionsBlock, Button } from '@slack/types';
import type { CommitRequest, SignOff } from '../../domain/request.js';
import { encodeRequestButton, encodeSignOffButton } from '../codecs.js';
import { ACTIONS } from '../ids.js';

const button = (actionId: string, label: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text: label, emoji: false },
  value,
  ...(style ? { style } : {}),
});

/** The buttons an owner decides a sign-off with, or null when it takes no decision now. */
export function signOffActions(request: CommitRequest, signOff: SignOff): ActionsBlock | null {
  if (request.status !== 'pending' || signOff.status !== 'pending' || signOff.proposal) return null;
  if (!request.signOffs.some((s) => s.id === signOff.id)) return null; // retired by a revision
  const value = encodeSignOffButton({ s: signOff.id, v: request.version, k: request.key ?? '' });
  return {
    type: 'actions',
    block_id: `signoff_${signOff.id}`,
    elements: [
      button(ACTIONS.approve, 'Approve', value, 'primary'),
      button(ACTIONS.approveWithConditions, 'Approve with conditions', value),
      button(ACTIONS.proposeDate, 'Propose a date', value),
      button(ACTIONS.requestChanges, 'Ask for changes', value),
      button(ACTIONS.reject, 'Reject', value, 'danger'),
    ],
  };
}

/** Request-level buttons on the parent message: Withdraw while pending, Override once rejected. */
export function requestActions(request: CommitRequest): ActionsBlock | null {
  const value = encodeRequestButton({ r: request.id, v: request.version, k: request.key ?? '' });
  if (request.status === 'pending')
    return {
      type: 'actions',
      block_id: `request_${request.id}`,
      elements: [button(ACTIONS.withdraw, 'Withdraw', value)],
    };
  if (request.status === 'rejected')
    return {
      type: 'actions',
      block_id: `request_${request.id}`,
      elements: [button(ACTIONS.override, 'Override (leadership)', value)],
    };
  return null;
}

/** The seller's answer to a proposed date. */
export function counterActions(request: CommitRequest, signOff: SignOff): ActionsBlock | null {
  if (request.status !== 'pending' || !signOff.proposal) return null;
  const value = encodeSignOffButton({ s: signOff.id, v: request.version, k: request.key ?? '' });
  return {
    type: 'actions',
    block_id: `counter_${signOff.id}`,
    elements: [
      button(ACTIONS.counterAccept, 'Accept new date', value, 'primary'),
      button(ACTIONS.counterDecline, 'Decline', value, 'danger'),
    ],
  };
}
