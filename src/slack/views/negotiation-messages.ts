// The seller's DM about a proposed date, and the short notices posted in a request's thread.

import type { KnownBlock } from '@slack/types';
import { type CommitRequest, requestRef, type SignOff, versionedRef } from '../../domain/request.js';
import type { ThreadNotice } from '../../services/notifications.js';
import { encodeRequestButton } from '../codecs.js';
import { ACTIONS } from '../ids.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, formatDate, mention, mentionOwner } from '../mrkdwn.js';
import { splitText } from './capacity-check.js';
import { type RenderContext, summaryLine } from './render-context.js';
import type { SlackMessage } from './request-messages.js';
import { counterActions } from './signoff-actions.js';

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) },
});

export function buildCounterDm(
  request: CommitRequest,
  signOff: SignOff,
  ctx: RenderContext,
  threadLink: string | null,
): SlackMessage {
  const ref = requestRef(request.id);
  const p = signOff.proposal;
  const link = threadLink ? ` <${threadLink}|Open the thread>` : '';
  if (!p) {
    return {
      text: `${ref}: the proposed date was already answered.`,
      blocks: [section(`${ref}: the proposed date was already answered.${link}`)],
    };
  }
  const parts = p.split ?? null;
  const blocks: KnownBlock[] = [
    section(
      parts
        ? `:package: *${escapeText(signOff.label)} cannot deliver all of ${ref} by ${formatDate(request.facts.deliveryDate, ctx.locale)}*, but ${mention(
            p.userId,
          )} can in parts: *${splitText(parts)}*${p.note ? `: ${escapeText(p.note)}` : '.'}\nAccept to promise it as one delivery plan (${escapeText(
            signOff.label,
          )} then counts as approved), or decline (the request is then rejected).${link}`
        : `:calendar: *${escapeText(signOff.label)} cannot deliver ${ref} by ${formatDate(request.facts.deliveryDate, ctx.locale)}*, but ${mention(
            p.userId,
          )} can by *${formatDate(p.date, ctx.locale)}*${p.note ? `: ${escapeText(p.note)}` : '.'}\nAccept to move the delivery date (${escapeText(
            signOff.label,
          )} then counts as approved), or decline (the request is then rejected).${link}`,
    ),
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clamp(summaryLine(request, ctx), LIMITS.sectionText) }],
    },
  ];
  const actions = counterActions(request, signOff);
  if (actions) blocks.push(actions);
  return {
    text: clamp(
      `${ref}: ${escapeText(signOff.label)} proposes ${formatDate(p.date, ctx.locale)} instead of ${formatDate(request.facts.deliveryDate, ctx.locale)}. Accept or decline?`,
      LIMITS.messageText,
    ),
    blocks,
  };
}

export function buildThreadNotice(
  request: CommitRequest,
  notice: ThreadNotice,
  ctx: RenderContext,
): SlackMessage {
  const ref = requestRef(request.id);
  let text = '';
  switch (notice.type) {
    case 'date_moved': {
      const by = request.signOffs.find((s) => s.id === notice.signOffId);
      const waiting = request.signOffs.filter((s) => s.status === 'pending');
      text = `:calendar: *${ref}'s delivery date moved* from ${formatDate(notice.from, ctx.locale)} to *${formatDate(notice.to, ctx.locale)}*: the seller accepted the date ${escapeText(
        by?.label ?? 'a function',
      )} proposed.${
        notice.stillOver
          ? ` :warning: ${ref} is still over capacity on the new date, so that proposal is not an approval: an owner of ${escapeText(
              by?.label ?? 'that function',
            )} must Approve and give a reason (or propose another date).`
          : ''
      } Approvals already given stand.${
        waiting.length
          ? ` Still to decide, on the new date: ${waiting.map((s) => `${escapeText(s.label)} (${s.owners.map(mentionOwner).join(' ')})`).join(', ')}.`
          : ''
      }`;
      break;
    }
    case 'withdrawn':
      text = `:leftwards_arrow_with_hook: *${ref} was withdrawn* by ${mention(request.sellerId)}${
        request.withdrawReason ? `: ${escapeText(request.withdrawReason)}` : '.'
      } No decision is needed any more.`;
      break;
    case 'overridden':
      text = request.override
        ? `:white_check_mark: *${ref} approved by override* by ${mention(request.override.userId)} (leadership): ${escapeText(request.override.reason)}`
        : `${ref} is ${request.status}.`;
      break;
    case 'changes_requested': {
      const by = request.signOffs.find((s) => s.id === notice.signOffId);
      text = `:pencil2: ${mention(notice.userId)} (${escapeText(by?.label ?? 'an owner')}) asked ${mention(
        request.sellerId,
      )} to change ${ref}: ${escapeText(notice.reason)}`;
      break;
    }
    case 'revised': {
      const lines = notice.changes.map(
        (c) => `• ${FIELD_LABEL[c.field] ?? c.field}: ${show(c.from)} → *${show(c.to)}*`,
      );
      const asked = request.signOffs.filter((s) => s.status === 'pending');
      text = `:memo: *${requestRef(request.id)} v${notice.version}*: the seller revised the request.\n${lines.join('\n')}${
        asked.length
          ? `\nTo decide on this version: ${asked.map((s) => escapeText(s.label)).join(', ')}.`
          : ''
      }`;
      break;
    }
  }
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text)] };
}

const FIELD_LABEL: Record<string, string> = {
  customer: 'Customer',
  productLineId: 'Product line',
  quantity: 'Quantity',
  valueMinor: 'Value (minor units)',
  deliveryDate: 'Delivery date',
  paymentTermsDays: 'Payment terms (days)',
  discountPercent: 'Discount (%)',
  specialRequirements: 'Special requirements',
  dealReference: 'Deal reference',
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '_(none)_';
  return escapeText(clamp(String(value), 200));
}

/** The seller is asked to change the request; Revise opens the form prefilled. */
export function buildChangesDm(
  request: CommitRequest,
  signOff: SignOff | undefined,
  reason: string,
  threadLink: string | null,
): SlackMessage {
  const ref = versionedRef(request);
  const link = threadLink ? ` <${threadLink}|Open the thread>` : '';
  const blocks: KnownBlock[] = [
    section(
      `:pencil2: *${escapeText(signOff?.label ?? 'An owner')} asks you to change ${ref}*: ${escapeText(reason)}\nRevise it to ask again; sign-offs whose inputs you do not change stay as they are.${link}`,
    ),
  ];
  if (request.status === 'pending')
    blocks.push({
      type: 'actions',
      block_id: `revise_${request.id}`,
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.revise,
          text: { type: 'plain_text', text: 'Revise', emoji: false },
          style: 'primary',
          value: encodeRequestButton({ r: request.id, v: request.version, k: request.key ?? '' }),
        },
      ],
    });
  return { text: clamp(`${ref}: changes requested: ${escapeText(reason)}`, LIMITS.messageText), blocks };
}
