// The request modal and the reject modal.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { formatMoney, minorUnitsPerMajor } from '../../domain/money.js';
import type { Prefill } from '../../domain/prefill.js';
import { requestRef } from '../../domain/request.js';
import { encodeMeta, type RejectModalMeta, type RequestModalMeta } from '../codecs.js';
import { CALLBACKS, INPUT_SUFFIX, REJECT_BLOCKS, REQUEST_BLOCKS } from '../ids.js';
import { LIMITS, TEXT_LIMITS } from '../limits.js';
import { clamp } from '../mrkdwn.js';
import type { RenderContext } from './render-context.js';

const plain = (text: string, max: number = LIMITS.plainText) => ({
  type: 'plain_text' as const,
  text: clamp(text, max),
});

function textInput(
  blockId: string,
  label: string,
  options: {
    initial?: string | undefined;
    optional?: boolean;
    multiline?: boolean;
    maxLength?: number;
    hint?: string;
    placeholder?: string;
  },
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: plain(label, LIMITS.inputLabel),
    ...(options.hint ? { hint: plain(options.hint, LIMITS.inputHint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: `${blockId}${INPUT_SUFFIX}`,
      multiline: options.multiline ?? false,
      ...(options.maxLength ? { max_length: options.maxLength } : {}),
      ...(options.initial ? { initial_value: options.initial } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder, LIMITS.placeholder) } : {}),
    },
  };
}

function numberInput(
  blockId: string,
  label: string,
  options: {
    initial?: string | undefined;
    decimal: boolean;
    min: number;
    max?: number;
    optional?: boolean;
    hint?: string;
  },
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: plain(label, LIMITS.inputLabel),
    ...(options.hint ? { hint: plain(options.hint, LIMITS.inputHint) } : {}),
    element: {
      type: 'number_input',
      action_id: `${blockId}${INPUT_SUFFIX}`,
      is_decimal_allowed: options.decimal,
      min_value: String(options.min),
      ...(options.max !== undefined ? { max_value: String(options.max) } : {}),
      ...(options.initial !== undefined ? { initial_value: options.initial } : {}),
    },
  };
}

export interface RequestModalInput {
  readonly ctx: RenderContext;
  readonly prefill: Prefill;
  readonly meta: RequestModalMeta;
  /** The earliest date the datepicker should suggest: today in the configured zone. */
  readonly today: string;
}

export function buildRequestModal({ ctx, prefill, meta }: RequestModalInput): ModalView {
  const options: PlainTextOption[] = ctx.productLines.slice(0, LIMITS.selectOptions).map((p) => ({
    text: plain(`${p.name} (${p.unit})`, LIMITS.optionText),
    value: p.id,
  }));
  const selected = options.find((o) => o.value === prefill.productLineId);
  const valueInitial =
    prefill.valueMinor !== undefined
      ? String(prefill.valueMinor / minorUnitsPerMajor(ctx.currency))
      : undefined;
  const blocks: KnownBlock[] = [
    textInput(REQUEST_BLOCKS.customer, 'Customer', {
      initial: prefill.customer,
      maxLength: TEXT_LIMITS.customer,
    }),
    {
      type: 'input',
      block_id: REQUEST_BLOCKS.productLineId,
      label: plain('Product line'),
      element: {
        type: 'static_select',
        action_id: `${REQUEST_BLOCKS.productLineId}${INPUT_SUFFIX}`,
        placeholder: plain('Choose a product line'),
        options,
        ...(selected ? { initial_option: selected } : {}),
      },
    },
    numberInput(REQUEST_BLOCKS.quantity, 'Quantity', {
      initial: prefill.quantity !== undefined ? String(prefill.quantity) : undefined,
      decimal: false,
      min: 1,
    }),
    textInput(REQUEST_BLOCKS.value, 'Value', {
      initial: valueInitial,
      maxLength: TEXT_LIMITS.value,
      hint: `Total order value in ${ctx.currency}, e.g. 75000 or 75k (${formatMoney(7_500_000, ctx.currency, ctx.locale)}).`,
    }),
    {
      type: 'input',
      block_id: REQUEST_BLOCKS.deliveryDate,
      label: plain('Delivery date'),
      element: {
        type: 'datepicker',
        action_id: `${REQUEST_BLOCKS.deliveryDate}${INPUT_SUFFIX}`,
        ...(prefill.deliveryDate ? { initial_date: prefill.deliveryDate } : {}),
        placeholder: plain('The date the customer asks for'),
      },
    },
    numberInput(REQUEST_BLOCKS.paymentTermsDays, 'Payment terms (days)', {
      initial: String(prefill.paymentTermsDays ?? 30),
      decimal: false,
      min: 0,
      max: 365,
    }),
    numberInput(REQUEST_BLOCKS.discountPercent, 'Discount (%)', {
      initial: String(prefill.discountPercent ?? 0),
      decimal: true,
      min: 0,
      max: 100,
    }),
    textInput(REQUEST_BLOCKS.specialRequirements, 'Special requirements', {
      initial: prefill.specialRequirements,
      optional: true,
      multiline: true,
      maxLength: TEXT_LIMITS.specialRequirements,
      placeholder: 'Custom finish, certification, split deliveries…',
    }),
    textInput(REQUEST_BLOCKS.dealReference, 'Deal reference', {
      initial: prefill.dealReference,
      optional: true,
      maxLength: TEXT_LIMITS.dealReference,
      placeholder: 'CRM opportunity id',
    }),
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.requestModal,
    title: plain(
      meta.revise ? `Revise ${requestRef(meta.revise.r)}` : 'Commitment request',
      LIMITS.modalTitle,
    ),
    submit: plain(meta.revise ? 'Submit revision' : 'Ask for sign-off', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: encodeMeta(meta),
    blocks,
  };
}

export function buildRejectModal(meta: RejectModalMeta, label: string, requestId: number): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.rejectModal,
    title: plain('Reject sign-off', LIMITS.modalTitle),
    submit: plain('Reject', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: encodeMeta(meta),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clamp(
            `You are rejecting the *${label}* sign-off for *${requestRef(requestId)}*. The seller will see your reason.`,
            LIMITS.sectionText,
          ),
        },
      },
      textInput(REJECT_BLOCKS.reason, 'Reason', {
        multiline: true,
        maxLength: TEXT_LIMITS.reason,
        placeholder: 'What would make this deliverable? e.g. "Line 2 is full until the 20th"',
      }),
    ],
  };
}
