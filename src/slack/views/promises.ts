// Every Slack surface of a promise: its line on the parent message, the asks in the thread
// ("on track?", the due-date message and its reminder), the seller's DM on a slip or a part
// delivery, the thread notices, the two modals, `/commit promises` and the private refusals.
import type { ActionsBlock, Button, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import { formatDayShort } from '../../domain/calendar.js';
import { formatMoney } from '../../domain/money.js';
import {
  type CommitPromise,
  deliveredQuantity,
  dueOn,
  isOpen,
  isOverdueOn,
  openQuantity,
  outcomeOf,
  type PromiseEventType,
  paidMinor,
} from '../../domain/promise.js';
import { requestRef } from '../../domain/request.js';
import type { StoredEvent } from '../../services/ports.js';
import type { PromiseResult } from '../../services/promises.js';
import { encodeMeta, encodePromiseButton, type PromiseModalMeta } from '../codecs.js';
import { ACTIONS, CALLBACKS, INPUT_SUFFIX, PROMISE_LATE_BLOCKS, PROMISE_PART_BLOCKS } from '../ids.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, formatDate, mention, mentionOwner } from '../mrkdwn.js';
import { productLineName, type RenderContext, unitOf } from './render-context.js';
import type { SlackMessage } from './request-messages.js';

const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) },
});

const plain = (text: string, max: number = LIMITS.plainText) => ({
  type: 'plain_text' as const,
  text: clamp(text, max),
});

const units = (p: CommitPromise, ctx: RenderContext, n: number) =>
  `${n.toLocaleString('en-US')} ${escapeText(unitOf(ctx, p.productLineId))}`;

/** "Acme: 100 units of Widgets": what was promised, escaped. */
export function promiseSummary(p: CommitPromise, ctx: RenderContext): string {
  return `${escapeText(p.customer)}: ${units(p, ctx, p.quantity)} of ${escapeText(productLineName(ctx, p.productLineId))}`;
}

/**
 * The promise in one line, for the parent message, Home and lists:
 * "Promised for Mon 21 Dec · delivered Fri 18 Dec, on time in full".
 */
export function promiseLine(p: CommitPromise, ctx: RenderContext, today?: string): string {
  const head = `Promised for ${formatDayShort(p.promisedOn)}`;
  const o = outcomeOf(p);
  let rest: string;
  switch (o.kind) {
    case 'cancelled':
      rest = `cancelled: ${escapeText(o.reason)}`;
      break;
    case 'delivered':
      rest = o.onTime
        ? `delivered ${formatDayShort(o.on)}, on time in full`
        : `delivered ${formatDayShort(o.on)}, ${o.slipDays} ${o.slipDays === 1 ? 'day' : 'days'} late`;
      break;
    case 'partly':
      rest = `${units(p, ctx, o.delivered)} of ${o.of.toLocaleString('en-US')} delivered, the rest ${
        p.expectedOn ? `expected ${formatDayShort(o.dueOn)}` : `due ${formatDayShort(o.dueOn)}`
      }`;
      break;
    case 'open':
      if (p.state === 'overdue' || (today !== undefined && isOverdueOn(p, today)))
        rest = `overdue${p.expectedOn ? ` (expected ${formatDayShort(p.expectedOn)})` : ''}`;
      else if (p.expectedOn) rest = `at risk, expected ${formatDayShort(p.expectedOn)}`;
      else rest = 'open';
      break;
  }
  const paid = paidMinor(p);
  const pay =
    paid === 0 || o.kind === 'cancelled'
      ? ''
      : paid >= p.valueMinor
        ? ' · paid in full'
        : ` · ${formatMoney(paid, ctx.currency)} of ${formatMoney(p.valueMinor, ctx.currency)} paid`;
  const issues = p.issues.length
    ? ` · ${p.issues.length} quality ${p.issues.length === 1 ? 'issue' : 'issues'}`
    : '';
  return `${head} · ${rest}${pay}${issues}`;
}

export const STATE_ICON: Record<CommitPromise['state'], string> = {
  open: ':package:',
  at_risk: ':warning:',
  overdue: ':red_circle:',
  delivered: ':white_check_mark:',
  partly_delivered: ':large_orange_diamond:',
  cancelled: ':heavy_multiplication_x:',
};

function button(
  text: string,
  actionId: string,
  p: CommitPromise,
  style?: 'primary' | 'danger',
  key?: string,
): Button {
  return {
    type: 'button',
    text: plain(text, LIMITS.buttonText),
    // Unique within its block; the block id carries the request id, so Home can list many.
    action_id: actionId,
    value: encodePromiseButton({ r: p.requestId, d: dueOn(p), ...(key ? { k: key } : {}) }),
    ...(style ? { style } : {}),
  };
}

/** On the due date: Delivered in full / Delivered in part / Will be late. */
export function dueButtons(p: CommitPromise, key?: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: `promise_due:${p.requestId}`,
    elements: [
      button('Delivered in full', ACTIONS.promiseDeliveredFull, p, 'primary', key),
      button('Delivered in part', ACTIONS.promiseDeliveredPart, p, undefined, key),
      button('Will be late', ACTIONS.promiseWillBeLate, p, 'danger', key),
    ],
  };
}

/** Before the due date: On track / Will be late. */
export function onTrackButtons(p: CommitPromise, key?: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: `promise_on_track:${p.requestId}`,
    elements: [
      button('On track', ACTIONS.promiseOnTrack, p, 'primary', key),
      button('Will be late', ACTIONS.promiseWillBeLate, p, 'danger', key),
    ],
  };
}

const mentions = (owners: readonly string[]) => owners.map(mentionOwner).join(' ');

export function buildOnTrackAsk(
  p: CommitPromise,
  owners: readonly string[],
  businessDays: number,
  ctx: RenderContext,
  key?: string,
): SlackMessage {
  const text = `:calendar: ${mentions(owners)}: *${requestRef(p.requestId)}* is due ${formatDate(dueOn(p))}, in ${businessDays} business ${
    businessDays === 1 ? 'day' : 'days'
  }: ${promiseSummary(p, ctx)}${openQuantity(p) < p.quantity ? ` (${units(p, ctx, openQuantity(p))} still open)` : ''}. On track?`;
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text), onTrackButtons(p, key)] };
}

/**
 * The due-date message: the buttons while something is open, the outcome once recorded. Posted
 * once and re-rendered from the promise's state on every step.
 */
export function buildDueAsk(
  p: CommitPromise,
  owners: readonly string[],
  ctx: RenderContext,
  today?: string,
  key?: string,
): SlackMessage {
  const ref = requestRef(p.requestId);
  if (!isOpen(p)) {
    const text = `${STATE_ICON[p.state]} *${ref}* was due ${formatDate(dueOn(p))}: ${promiseLine(p, ctx)}.`;
    return { text: clamp(text, LIMITS.messageText), blocks: [section(text)] };
  }
  const open = openQuantity(p);
  // Re-rendered after a part delivery or a slip, the message says the rest's date as it is now.
  const due = dueOn(p);
  const when =
    today === due
      ? `is due today, ${formatDate(due)}`
      : today && today > due
        ? `was due ${formatDate(due)}`
        : `is due ${formatDate(due)}`;
  const text = `:truck: ${mentions(owners)}: *${ref}* ${when}: ${promiseSummary(p, ctx)}${
    open < p.quantity ? ` (${units(p, ctx, open)} still open)` : ''
  }. Was it delivered?`;
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text), dueButtons(p, key)] };
}

export function buildPromiseReminder(
  p: CommitPromise,
  owners: readonly string[],
  ctx: RenderContext,
  key?: string,
): SlackMessage {
  const text = `:bell: ${mentions(owners)}: *${requestRef(p.requestId)}* was due ${formatDate(dueOn(p))} and nobody has said whether it was delivered: ${promiseSummary(
    p,
    ctx,
  )}. Please answer above, or with \`/commit delivered ${requestRef(p.requestId)}\` / \`/commit late ${requestRef(p.requestId)} YYYY-MM-DD reason\`.`;
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text), dueButtons(p, key)] };
}

/** The seller, first: a slip or a part delivery, with the new date and the reason. */
export function buildSellerToldDm(
  p: CommitPromise,
  ctx: RenderContext,
  threadLink: string | null,
): SlackMessage {
  const ref = requestRef(p.requestId);
  const lastSlip = p.slips.at(-1);
  const delivered = deliveredQuantity(p);
  const lines: string[] = [];
  if (delivered > 0 && delivered < p.quantity) {
    const last = p.deliveries.at(-1);
    lines.push(
      `:large_orange_diamond: *${ref}* for ${escapeText(p.customer)} was delivered in part: ${units(p, ctx, delivered)} of ${p.quantity.toLocaleString(
        'en-US',
      )}${last ? ` (latest on ${formatDate(last.deliveredOn)})` : ''}.`,
    );
    lines.push(
      `The rest (${units(p, ctx, openQuantity(p))}) is ${p.expectedOn ? 'now expected' : 'still due'} *${formatDate(dueOn(p))}*; you promised ${formatDate(
        p.promisedOn,
      )}.`,
    );
  } else {
    lines.push(
      `:warning: *${ref}* for ${escapeText(p.customer)} will be late: now expected *${formatDate(dueOn(p))}*; you promised ${formatDate(p.promisedOn)}.`,
    );
  }
  if (lastSlip) lines.push(`Reason: ${escapeText(lastSlip.reason)} (${mention(lastSlip.recordedBy)})`);
  lines.push('Tell the customer now, so they hear it from you first.');
  if (threadLink) lines.push(`<${threadLink}|Open the thread>`);
  const text = lines.join('\n');
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text)] };
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** One line per promise event, for the thread notice and `/commit show`. */
export function describePromiseEvent(
  e: Pick<StoredEvent, 'type' | 'actorId' | 'data'>,
  ctx: RenderContext,
): string {
  const who = e.actorId
    ? e.actorId.startsWith('api')
      ? `\`${escapeText(e.actorId)}\``
      : mention(e.actorId)
    : 'commit-gate';
  const d = e.data;
  const money = (v: unknown) => formatMoney(num(v), ctx.currency);
  switch (e.type) {
    case 'promise.on_track':
      return `${who} said it is on track for ${formatDate(str(d.dueOn))}`;
    case 'promise.slipped':
      return `${who} said it will be late: expected ${formatDate(str(d.expectedOn))} (promised ${formatDate(str(d.promisedOn))}): ${escapeText(str(d.reason))}`;
    case 'promise.delivered':
      return d.inFull
        ? `${who} recorded the delivery of ${num(d.quantity).toLocaleString('en-US')} on ${formatDate(str(d.deliveredOn))}: delivered in full, ${
            d.onTime ? 'on time' : 'late'
          }`
        : `${who} recorded a part delivery of ${num(d.quantity).toLocaleString('en-US')} on ${formatDate(str(d.deliveredOn))}; ${num(
            d.openQuantity,
          ).toLocaleString('en-US')} still open`;
    case 'promise.issue_reported':
      return `${who} reported a quality issue (${escapeText(str(d.kind))}${d.quantity ? `, ${num(d.quantity)}` : ''}): ${escapeText(str(d.note))}`;
    case 'promise.paid':
      return `${who} recorded a payment of ${money(d.amountMinor)} on ${formatDate(str(d.paidOn))}${d.inFull ? ': paid in full' : ''}`;
    case 'promise.cancelled':
      return `${who} cancelled the promise: ${escapeText(str(d.reason))}`;
    case 'promise.overdue':
      return `overdue: due ${formatDate(str(d.dueOn))}, no delivery recorded`;
    default:
      return escapeText(e.type);
  }
}

/** A line in the request's thread for a promise step just recorded. */
export function buildPromiseNotice(
  p: CommitPromise,
  event: Pick<StoredEvent, 'type' | 'actorId' | 'data'>,
  ctx: RenderContext,
): SlackMessage {
  const text = `${STATE_ICON[p.state]} *${requestRef(p.requestId)}*: ${describePromiseEvent(event, ctx)}.\n${promiseLine(p, ctx)}`;
  return { text: clamp(text, LIMITS.messageText), blocks: [section(text)] };
}

export const NOTICE_EVENTS: readonly PromiseEventType[] = [
  'promise.on_track',
  'promise.slipped',
  'promise.delivered',
  'promise.issue_reported',
  'promise.paid',
  'promise.cancelled',
  'promise.overdue',
];

// ---------------------------------------------------------------------------------------------
// Modals.

function modal(
  callbackId: string,
  title: string,
  submit: string,
  meta: PromiseModalMeta,
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

function datePicker(blockId: string, label: string, initial: string | null): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, LIMITS.inputLabel),
    element: {
      type: 'datepicker',
      action_id: `${blockId}${INPUT_SUFFIX}`,
      ...(initial ? { initial_date: initial } : {}),
      placeholder: plain('Pick a date', LIMITS.placeholder),
    },
  };
}

export function buildPartDeliveryModal(
  meta: PromiseModalMeta,
  p: CommitPromise,
  today: string,
  ctx: RenderContext,
): ModalView {
  const open = openQuantity(p);
  return modal(CALLBACKS.promisePartModal, 'Delivered in part', 'Record', meta, [
    section(
      `*${requestRef(p.requestId)}*: ${promiseSummary(p, ctx)}, promised for ${formatDate(p.promisedOn)}. ${units(p, ctx, open)} open. The seller is told at once.`,
    ),
    datePicker(PROMISE_PART_BLOCKS.deliveredOn, 'Delivered on', today),
    {
      type: 'input',
      block_id: PROMISE_PART_BLOCKS.quantity,
      label: plain('Quantity delivered', LIMITS.inputLabel),
      hint: plain(
        `A whole number below ${open.toLocaleString('en-US')} (all of it? use Delivered in full).`,
        LIMITS.inputHint,
      ),
      element: {
        type: 'number_input',
        is_decimal_allowed: false,
        action_id: `${PROMISE_PART_BLOCKS.quantity}${INPUT_SUFFIX}`,
        min_value: '1',
        ...(open > 1 ? { max_value: String(open - 1) } : {}),
      },
    },
    datePicker(PROMISE_PART_BLOCKS.restOn, 'New delivery date', null),
  ]);
}

export function buildLateModal(meta: PromiseModalMeta, p: CommitPromise, ctx: RenderContext): ModalView {
  return modal(CALLBACKS.promiseLateModal, 'Will be late', 'Record', meta, [
    section(
      `*${requestRef(p.requestId)}*: ${promiseSummary(p, ctx)}, promised for ${formatDate(p.promisedOn)}. The promised date stays on record; the seller is told the new one at once.`,
    ),
    datePicker(PROMISE_LATE_BLOCKS.expectedOn, 'New delivery date', null),
    {
      type: 'input',
      block_id: PROMISE_LATE_BLOCKS.reason,
      label: plain('Reason', LIMITS.inputLabel),
      element: {
        type: 'plain_text_input',
        action_id: `${PROMISE_LATE_BLOCKS.reason}${INPUT_SUFFIX}`,
        multiline: true,
        max_length: 2000,
        placeholder: plain('e.g. "Supplier shipped the housings a week late"', LIMITS.placeholder),
      },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Answers.

/** The private answer to a refused step: specific, and says that nothing changed. */
export function promiseRefusalText(
  r: Extract<PromiseResult, { ok: false }>,
  requestId: number,
  ctx: RenderContext,
): string {
  const ref = requestRef(requestId);
  const p = r.promise;
  const nothing = ' Nothing was changed.';
  switch (r.reason) {
    case 'unknown_request':
      return `There is no request ${ref}.${nothing}`;
    case 'not_cleared':
      return `${ref} is ${r.status}, not cleared: it is not a promise yet.${nothing}`;
    case 'not_allowed':
      return r.ownRequest
        ? `${ref} is your own request: someone else must confirm this.${nothing}`
        : `Only ${r.allowed.join(' or ')} may do this for ${ref}.${nothing}`;
    case 'cancelled':
      return `${ref} was cancelled${p?.cancellation ? `: ${escapeText(p.cancellation.reason)}` : ''}.${nothing}`;
    case 'already_delivered':
      return `${ref} is already delivered in full${p ? ` (${promiseLine(p, ctx)})` : ''}.${nothing}`;
    case 'not_delivered':
      return `Nothing of ${ref} has been delivered yet: a quality issue is reported on a delivery.${nothing}`;
    case 'already_paid':
      return `${ref} is already paid in full.${nothing}`;
    case 'over_open_quantity':
      return `Only ${r.open.toLocaleString('en-US')} of ${ref} ${r.open === 1 ? 'is' : 'are'} still open.${nothing}`;
    case 'over_delivered_quantity':
      return `Only ${r.delivered.toLocaleString('en-US')} of ${ref} ${r.delivered === 1 ? 'was' : 'were'} delivered.${nothing}`;
    case 'over_open_value':
      return `Only ${formatMoney(r.openMinor, ctx.currency)} of ${ref} is still unpaid.${nothing}`;
    case 'before_clearance':
      return `That date is before ${ref} was cleared (${formatDate(r.clearedOn)}).${nothing}`;
    case 'in_future':
      return `That date is after today (${formatDate(r.today)}): record it once it happened.${nothing}`;
    case 'in_past':
      return `The new delivery date must be today (${formatDate(r.today)}) or later.${nothing}`;
    case 'not_later':
      return `The new delivery date must be after the promised ${formatDate(r.promisedOn)}; on or before it is on time.${nothing}`;
    case 'not_due':
      return `${ref} is not due yet (${formatDate(r.dueOn)}).${nothing}`;
    case 'invalid':
      return `${fieldName(r.field)}: ${r.message}.${nothing}`;
  }
}

function fieldName(field: string): string {
  const names: Record<string, string> = {
    deliveredOn: 'Delivered on',
    expectedOn: 'New delivery date',
    reportedOn: 'Reported on',
    paidOn: 'Paid on',
    quantity: 'Quantity',
    amountMinor: 'Amount',
    reason: 'Reason',
    note: 'Issue',
    kind: 'Kind',
  };
  return names[field] ?? field;
}

/** The private answer after a step was recorded. */
export function promiseDoneText(
  p: CommitPromise,
  what: string,
  ctx: RenderContext,
  duplicate = false,
): string {
  const ref = requestRef(p.requestId);
  return duplicate
    ? `${ref}: that was already recorded; nothing more was changed. ${promiseLine(p, ctx)}.`
    : `${ref}: ${what}. ${promiseLine(p, ctx)}.`;
}

export type PromiseListFilter = 'open' | 'late' | 'due';

const FILTER_TITLE: Record<PromiseListFilter, string> = {
  open: 'Open promises',
  late: 'Late promises (at risk or past due)',
  due: 'Promises due in the next 7 days (and past due)',
};

/** `/commit promises [open|late|due]`: soonest due first, one line each, within Block Kit limits. */
export function buildPromiseList(
  list: readonly CommitPromise[],
  filter: PromiseListFilter,
  today: string,
  ctx: RenderContext,
  total: number = list.length,
): SlackMessage {
  const title = FILTER_TITLE[filter];
  if (!list.length) {
    const text = `*${title}*: none.`;
    return { text: `${title}: none`, blocks: [section(text)] };
  }
  const lines = list.map(
    (p) =>
      `${STATE_ICON[p.state]} *${requestRef(p.requestId)}* ${promiseSummary(p, ctx)}: ${promiseLine(p, ctx, today)}`,
  );
  const blocks: KnownBlock[] = [section(`*${title}* (${total})`)];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push(section(chunk.join('\n')));
    chunk = [];
  };
  let shown = 0;
  for (const line of lines) {
    const clamped = clamp(line, 1000);
    if ([...chunk, clamped].join('\n').length > LIMITS.sectionText) flush();
    if (blocks.length >= LIMITS.messageBlocks - 2) break;
    chunk.push(clamped);
    shown += 1;
  }
  flush();
  if (shown < total) blocks.push(section(`… and ${total - shown} more.`));
  return { text: clamp(`${title}: ${total}`, LIMITS.messageText), blocks };
}
