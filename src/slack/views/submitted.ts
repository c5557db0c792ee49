import type { ModalView } from '@slack/types';
import { type CommitRequest, requestRef } from '../../domain/request.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText } from '../mrkdwn.js';
import { buildCapacityCheckBlock } from './capacity-check.js';
import { type RenderContext, summaryLine } from './render-context.js';

/** Replaces the request modal once stored: the seller sees at once what happens next. */
export function buildSubmittedModal(
  request: CommitRequest,
  ctx: RenderContext,
  requestsChannel: string,
): ModalView {
  const ref = requestRef(request.id);
  const who = request.signOffs.map((s) => escapeText(s.label));
  const next = request.fastLane
    ? `:zap: *Cleared on the fast lane*: ${escapeText(request.fastLane.join('; '))}. You may commit; it is posted in <#${requestsChannel}> for everyone to see, and a direct message confirms it.`
    : who.length
      ? `Asked to sign off: *${who.join(', ')}*. They decide in the thread in <#${requestsChannel}>; you get a direct message when you may commit, or why not.`
      : 'No rule required a sign-off: you may commit. A direct message confirms it.';
  const waitNote =
    request.status === 'approved' ? '' : '\n\nDo not promise the customer anything until then.';
  return {
    type: 'modal',
    title: { type: 'plain_text', text: clamp(`${ref} submitted`, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clamp(
            `:inbox_tray: *${ref}*: ${summaryLine(request, ctx)}\n\n${next}${waitNote}`,
            LIMITS.sectionText,
          ),
        },
      },
      ...(request.capacityCheck ? [buildCapacityCheckBlock(request.capacityCheck, ctx)] : []),
    ],
  };
}
