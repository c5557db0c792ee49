// Modals of the negotiation: approve with conditions, propose a date, withdraw, override.
import type { KnownBlock, ModalView } from '@slack/types';
import { type CommitRequest, requestRef } from '../../domain/request.js';
import { encodeMeta, type RejectModalMeta, type RequestActionMeta } from '../codecs.js';
import {
  CALLBACKS,
  CHANGES_BLOCKS,
  CONDITIONS_BLOCKS,
  INPUT_SUFFIX,
  OVERRIDE_BLOCKS,
  PROPOSE_BLOCKS,
  WITHDRAW_BLOCKS,
} from '../ids.js';
import { LIMITS, TEXT_LIMITS } from '../limits.js';
import { clamp, escapeText, formatDate } from '../mrkdwn.js';
import type { RenderContext } from './render-context.js';

const plain = (text: string, max: number = LIMITS.plainText) => ({
  type: 'plain_text' as const,
  text: clamp(text, max),
});

const intro = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) },
});

function textArea(blockId: string, label: string, optional: boolean, placeholder: string): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional,
    label: plain(label, LIMITS.inputLabel),
    element: {
      type: 'plain_text_input',
      action_id: `${blockId}${INPUT_SUFFIX}`,
      multiline: true,
      max_length: TEXT_LIMITS.reason,
      placeholder: plain(placeholder, LIMITS.placeholder),
    },
  };
}

function modal(
  callbackId: string,
  title: string,
  submit: string,
  meta: unknown,
  blocks: KnownBlock[],
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(submit, LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: encodeMeta(meta),
    blocks,
  };
}

export function buildConditionsModal(meta: RejectModalMeta, label: string, requestId: number): ModalView {
  return modal(CALLBACKS.conditionsModal, 'Approve with conditions', 'Approve', meta, [
    intro(
      `You are approving the *${escapeText(label)}* sign-off for *${requestRef(requestId)}* on conditions. The seller and the thread will see them.`,
    ),
    textArea(CONDITIONS_BLOCKS.conditions, 'Conditions', false, 'e.g. "Only without the custom finish"'),
  ]);
}

/**
 * "Not by then, but by DATE". `suggestedDate` prefills the datepicker (the capacity feature
 * passes the earliest feasible date); without it the picker starts empty.
 */
export function buildProposeDateModal(
  meta: RejectModalMeta,
  label: string,
  request: CommitRequest,
  ctx: Pick<RenderContext, 'locale'>,
  suggestedDate?: string,
): ModalView {
  return modal(CALLBACKS.proposeDateModal, 'Propose a date', 'Propose', meta, [
    intro(
      `*${requestRef(request.id)}* asks for delivery by *${formatDate(request.facts.deliveryDate, ctx.locale)}*. Propose the date ${escapeText(label)} can commit to instead; the seller accepts or declines it.`,
    ),
    {
      type: 'input',
      block_id: PROPOSE_BLOCKS.date,
      label: plain('Feasible delivery date', LIMITS.inputLabel),
      element: {
        type: 'datepicker',
        action_id: `${PROPOSE_BLOCKS.date}${INPUT_SUFFIX}`,
        ...(suggestedDate ? { initial_date: suggestedDate } : {}),
        placeholder: plain('Later than the requested date', LIMITS.placeholder),
      },
    },
    textArea(PROPOSE_BLOCKS.note, 'Note', true, 'e.g. "Line 2 frees up on the 20th"'),
  ]);
}

export function buildWithdrawModal(meta: RequestActionMeta): ModalView {
  return modal(CALLBACKS.withdrawModal, 'Withdraw request', 'Withdraw', meta, [
    intro(
      `You are withdrawing *${requestRef(meta.r)}*. The owners are told in the thread; no sign-off is taken after this.`,
    ),
    textArea(WITHDRAW_BLOCKS.reason, 'Reason', true, 'e.g. "Customer went with another supplier"'),
  ]);
}

export function buildOverrideModal(meta: RequestActionMeta, request: CommitRequest): ModalView {
  const by = request.signOffs.find((s) => s.status === 'rejected');
  return modal(CALLBACKS.overrideModal, 'Override rejection', 'Approve anyway', meta, [
    intro(
      `*${requestRef(request.id)}* was rejected${by ? ` by ${escapeText(by.label)}` : ''}. Approving it anyway is recorded as a leadership override, shown on the request and counted separately.`,
    ),
    textArea(OVERRIDE_BLOCKS.reason, 'Reason', false, 'Why the business takes this on anyway'),
  ]);
}

export function buildChangesModal(meta: RejectModalMeta, label: string, requestId: number): ModalView {
  return modal(CALLBACKS.changesModal, 'Ask for changes', 'Send', meta, [
    intro(
      `You are asking the seller to change *${requestRef(requestId)}* for *${escapeText(label)}*. They get a Revise button; your sign-off stays open.`,
    ),
    textArea(CHANGES_BLOCKS.reason, 'What must change', false, 'e.g. "Net 90 is too long: net 60 works"'),
  ]);
}
