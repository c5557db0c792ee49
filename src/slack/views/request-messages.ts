// The parent message in the requests channel and the per-function sign-off messages in its
// thread. Posting and updating use the same builders, so the two can never drift apart.
import type { KnownBlock, SectionBlock } from '@slack/types';
import { OPERATIONS_FUNCTION } from '../../domain/capacity.js';
import { formatMoney } from '../../domain/money.js';
import type { CommitPromise } from '../../domain/promise.js';
import {
  type Approval,
  type CommitRequest,
  conditionsOf,
  requestRef,
  type SignOff,
  versionedRef,
} from '../../domain/request.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, formatDate, mention, mentionOwner } from '../mrkdwn.js';
import { buildCapacityCheckBlock } from './capacity-check.js';
import { promiseLine, STATE_ICON } from './promises.js';
import {
  plainSummary,
  productLineName,
  type RenderContext,
  STATUS_ICON,
  summaryLine,
  unitOf,
} from './render-context.js';
import { requestActions, signOffActions } from './signoff-actions.js';

export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) },
});

function statusLine(request: CommitRequest, ctx: RenderContext): string {
  const ref = requestRef(request.id);
  switch (request.status) {
    case 'pending': {
      const open = request.signOffs.filter((s) => s.status === 'pending').length;
      return `:hourglass_flowing_sand: *${ref} is waiting for ${open} of ${request.signOffs.length} sign-offs.* Do not commit yet.`;
    }
    case 'approved':
      if (request.override)
        return `:white_check_mark: *${ref} approved by override* by ${mention(request.override.userId)} (leadership): ${escapeText(request.override.reason)}. The seller may commit to ${formatDate(request.facts.deliveryDate, ctx.locale)}.`;
      return request.signOffs.length
        ? `:white_check_mark: *${ref} is cleared.* Every function signed off: the seller may commit to ${formatDate(request.facts.deliveryDate, ctx.locale)}.`
        : `:white_check_mark: *${ref} is cleared.* No rule required a sign-off: the seller may commit to ${formatDate(request.facts.deliveryDate, ctx.locale)}.`;
    case 'rejected': {
      const by = request.signOffs.find((s) => s.status === 'rejected');
      return `:no_entry: *${ref} is blocked*${by ? ` by ${escapeText(by.label)}` : ''}. Do not commit.`;
    }
    case 'withdrawn':
      return `:leftwards_arrow_with_hook: *${ref} was withdrawn* by the seller${
        request.withdrawReason ? `: ${escapeText(request.withdrawReason)}` : '.'
      }`;
    case 'expired':
      return `:wastebasket: *${ref} expired* before every function signed off. Do not commit.`;
  }
}

/** "<@U1>", or "<@U9> for <@U1>" when a delegate approved for an away owner. */
function approver(a: Approval): string {
  return a.onBehalfOf ? `${mention(a.userId)} for ${mention(a.onBehalfOf)}` : mention(a.userId);
}

/** "CG-3 is rejected", "CG-3 is approved by override": why an undecided sign-off needs no decision. */
function closedAround(request: CommitRequest): string {
  const status = request.status === 'approved' && request.override ? 'approved by override' : request.status;
  return `${requestRef(request.id)} is ${status}`;
}

function signOffLine(request: CommitRequest, s: SignOff, ctx: RenderContext): string {
  const head = `${STATUS_ICON[s.status]} *${escapeText(s.label)}*`;
  // The request closed around it (another function rejected, an override, expiry, withdrawal).
  if (s.status === 'pending' && request.status !== 'pending')
    return `:heavy_minus_sign: *${escapeText(s.label)}*: no decision needed, ${closedAround(request)}`;
  if (s.status === 'rejected' && s.rejection) {
    return `${head}: rejected by ${mention(s.rejection.userId)}: ${escapeText(s.rejection.reason)}`;
  }
  const approvedBy = s.approvals.map((a) =>
    a.conditions ? `${approver(a)} (with conditions: ${escapeText(a.conditions)})` : approver(a),
  );
  if (s.status === 'approved') return `${head}: approved by ${approvedBy.join(', ')}`;
  if (s.proposal) {
    return `${head}: ${mention(s.proposal.userId)} proposed ${formatDate(s.proposal.date, ctx.locale)} instead; waiting for the seller`;
  }
  const quorum = s.approvalsNeeded > 1 ? ` (${s.approvals.length} of ${s.approvalsNeeded} approvals)` : '';
  const waiting = `waiting for ${s.owners.map(mentionOwner).join(' or ')}${quorum}`;
  return `${head}: ${waiting}${approvedBy.length ? `; approved so far by ${approvedBy.join(', ')}` : ''}\n_Required: ${escapeText(
    s.requiredBy.join('; '),
  )}_`;
}

/**
 * The parent message. Once cleared, `promise` adds its line under the status ("Promised for Mon
 * 21 Dec · delivered Fri 18 Dec, on time in full"); `today` lets it say overdue before the
 * schedule has marked it.
 */
export function buildParentMessage(
  request: CommitRequest,
  ctx: RenderContext,
  promise: CommitPromise | null = null,
  today?: string,
): SlackMessage {
  const f = request.facts;
  const ref = versionedRef(request);
  const fields = [
    `*Customer*\n${escapeText(f.customer)}`,
    `*Product line*\n${escapeText(productLineName(ctx, f.productLineId))}`,
    `*Quantity*\n${f.quantity.toLocaleString('en-US')} ${escapeText(unitOf(ctx, f.productLineId))}`,
    `*Value*\n${formatMoney(f.valueMinor, ctx.currency, ctx.locale)}`,
    `*Delivery date*\n${formatDate(f.deliveryDate, ctx.locale)}`,
    `*Payment terms*\n${f.paymentTermsDays} days`,
    `*Discount*\n${f.discountPercent}%`,
    `*Seller*\n${mention(request.sellerId)}`,
    ...(f.dealReference ? [`*Deal reference*\n${escapeText(f.dealReference)}`] : []),
  ].map((text) => ({ type: 'mrkdwn' as const, text: clamp(text, LIMITS.sectionFieldText) }));

  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clamp(`${ref} · ${f.customer}`, LIMITS.headerText), emoji: false },
    },
    section(statusLine(request, ctx)),
    { type: 'section', fields: fields.slice(0, LIMITS.sectionFields) },
  ];
  if (promise && request.status === 'approved')
    blocks.push(section(`${STATE_ICON[promise.state]} ${promiseLine(promise, ctx, today)}`));
  blocks.push({ type: 'section', fields: fields.slice(0, LIMITS.sectionFields) });
  if (request.capacityCheck) blocks.push(buildCapacityCheckBlock(request.capacityCheck, ctx));
  if (f.specialRequirements)
    blocks.push(section(`*Special requirements*\n${escapeText(f.specialRequirements)}`));
  const conditions = conditionsOf(request);
  if (conditions.length) {
    blocks.push(
      section(
        `*Conditions*\n${conditions.map((c) => `• ${escapeText(c.label)} (${mention(c.userId)}): ${escapeText(c.conditions)}`).join('\n')}`,
      ),
    );
  }
  const actions = requestActions(request);
  if (actions) blocks.push(actions);
  blocks.push({ type: 'divider' });
  if (request.signOffs.length) {
    // One section per function keeps each within the 3000-character limit; configs with more
    // functions than fit are summarised in the last block rather than breaking the 50-block cap.
    const room = LIMITS.messageBlocks - blocks.length - 1;
    const shown = request.signOffs.slice(0, room);
    for (const s of shown) blocks.push(section(signOffLine(request, s, ctx)));
    const hidden = request.signOffs.length - shown.length;
    if (hidden > 0) blocks.push(section(`…and ${hidden} more sign-offs; see the thread.`));
  }
  return {
    text: clamp(
      `${ref}: commitment request from ${mention(request.sellerId)} for ${plainSummary(request, ctx)} (${request.status})${
        promise && request.status === 'approved' ? `. ${promise.state.replace('_', ' ')}` : ''
      }`,
      LIMITS.messageText,
    ),
    blocks,
  };
}

export function buildSignOffMessage(
  request: CommitRequest,
  signOff: SignOff,
  ctx: RenderContext,
  delegates: readonly { readonly ownerId: string; readonly delegateId: string }[] = [],
): SlackMessage {
  const ref = versionedRef(request);
  const owners = [
    ...signOff.owners.map(mentionOwner),
    ...delegates.map((d) => `${mention(d.delegateId)} (for ${mention(d.ownerId)}, away)`),
  ].join(' ');
  const blocks: KnownBlock[] = [
    section(
      `*${escapeText(signOff.label)} sign-off for ${ref}*\n${owners}: can we deliver ${escapeText(request.facts.customer)} ${request.facts.quantity.toLocaleString('en-US')} ${escapeText(unitOf(ctx, request.facts.productLineId))} of ${escapeText(productLineName(ctx, request.facts.productLineId))} by ${formatDate(request.facts.deliveryDate, ctx.locale)}?\n_Required: ${escapeText(signOff.requiredBy.join('; '))}_`,
    ),
  ];
  // Operations decides whether the chain can make it: show them the capacity facts beside the ask.
  if (signOff.functionId === OPERATIONS_FUNCTION && request.capacityCheck)
    blocks.push(buildCapacityCheckBlock(request.capacityCheck, ctx));
  if (signOff.approvalsNeeded > 1) {
    const missing = Math.max(0, signOff.approvalsNeeded - signOff.approvals.length);
    const stillOpen = signOff.status === 'pending' && request.status === 'pending';
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${signOff.approvals.length} of ${signOff.approvalsNeeded} approvals${
            signOff.approvals.length ? `: ${signOff.approvals.map((a) => approver(a)).join(', ')}` : ''
          }${stillOpen && missing ? `; ${missing} more needed` : ''}`,
        },
      ],
    });
  }
  const actions = signOffActions(request, signOff);
  if (actions) blocks.push(actions);
  else blocks.push(section(outcomeOf(request, signOff, ctx)));
  const fallback =
    signOff.status === 'pending' && request.status === 'pending'
      ? `${owners}: ${escapeText(signOff.label)} sign-off needed for ${ref} (${plainSummary(request, ctx)})`
      : `${escapeText(signOff.label)} sign-off for ${ref}: ${signOff.status}`;
  return { text: clamp(fallback, LIMITS.messageText), blocks };
}

/**
 * The decision buttons of a pending sign-off. The thread message and App Home both use this one
 * builder, so a click behaves identically wherever it happens (same action ids, same value codec).
 */
function outcomeOf(request: CommitRequest, s: SignOff, ctx: RenderContext): string {
  if (request.retiredSignOffs?.some((r) => r.id === s.id)) {
    return `:heavy_minus_sign: No longer required: ${versionedRef(request)} was revised and its rules no longer ask ${escapeText(s.label)}.`;
  }
  if (s.status === 'rejected' && s.rejection) {
    return `:no_entry: *Rejected* by ${mention(s.rejection.userId)}: ${escapeText(s.rejection.reason)}`;
  }
  if (s.status === 'approved') {
    return `:white_check_mark: *Approved* by ${s.approvals
      .map((a) =>
        a.conditions ? `${approver(a)} with conditions: ${escapeText(a.conditions)}` : approver(a),
      )
      .join(', ')}`;
  }
  if (s.proposal && request.status === 'pending') {
    return `:calendar: ${mention(s.proposal.userId)} proposed *${formatDate(s.proposal.date, ctx.locale)}* instead${
      s.proposal.note ? `: ${escapeText(s.proposal.note)}` : ''
    }. Waiting for the seller to accept or decline.`;
  }
  // Still pending, but the request closed around it (another function rejected, an override, expiry).
  return `:heavy_minus_sign: No decision needed: ${closedAround(request)}.`;
}

export function buildOutcomeDm(
  request: CommitRequest,
  ctx: RenderContext,
  threadLink: string | null,
): SlackMessage {
  const ref = requestRef(request.id);
  const link = threadLink ? ` <${threadLink}|Open the thread>` : '';
  let body: string;
  let text: string;
  if (request.status === 'approved' && request.override) {
    const o = request.override;
    body = `:white_check_mark: *You may commit ${ref}* to ${escapeText(request.facts.customer)}: deliver by *${formatDate(request.facts.deliveryDate, ctx.locale)}*. It was *approved by override* by ${mention(o.userId)} (leadership): ${escapeText(o.reason)}${link}`;
    text = `You may commit ${ref}: approved by override by ${mention(o.userId)}.`;
  } else if (request.status === 'approved') {
    const conditions = conditionsOf(request);
    body = `:white_check_mark: *You may commit ${ref}* to ${escapeText(request.facts.customer)}: deliver by *${formatDate(request.facts.deliveryDate, ctx.locale)}*.${
      conditions.length
        ? `\n*On these conditions:*\n${conditions.map((c) => `• ${escapeText(c.label)}: ${escapeText(c.conditions)}`).join('\n')}`
        : ''
    }${link}`;
    text = `You may commit ${ref} to ${escapeText(request.facts.customer)}: deliver by ${formatDate(request.facts.deliveryDate, ctx.locale)}.`;
  } else if (request.status === 'rejected') {
    const by = request.signOffs.find((s) => s.status === 'rejected');
    const who = by?.rejection ? `${escapeText(by.label)} (${mention(by.rejection.userId)})` : 'A function';
    body = `:no_entry: *Do not commit ${ref}* to ${escapeText(request.facts.customer)}. ${who} rejected it: ${escapeText(
      by?.rejection?.reason ?? 'no reason given',
    )}${link}`;
    text = `Do not commit ${ref}: ${escapeText(by?.label ?? 'a function')} rejected it: ${escapeText(by?.rejection?.reason ?? '')}`;
  } else if (request.status === 'expired') {
    const waiting = request.signOffs.filter((s) => s.status === 'pending').map((s) => escapeText(s.label));
    body = `:wastebasket: *${ref} expired* before every function signed off${
      waiting.length ? ` (still waiting for ${waiting.join(', ')})` : ''
    }. Do not commit it; submit a new request if the customer still wants it.${link}`;
    text = `${ref} expired before every function signed off. Do not commit it.`;
  } else {
    body = `${ref} is ${request.status}.${link}`;
    text = body;
  }
  return {
    text: clamp(text, LIMITS.messageText),
    blocks: [
      section(body),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: clamp(summaryLine(request, ctx), LIMITS.sectionText) }],
      },
    ],
  };
}
