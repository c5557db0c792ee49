// The latest capacity check (at submit, at a revision, when a counter date moves the delivery),
// shown on the parent message and on the operations sign-off message, so operations decides on
// facts. One builder for both surfaces.
import type { SectionBlock } from '@slack/types';
import type { CapacityCheck, SplitPart } from '../../domain/capacity.js';
import type { Competition } from '../../domain/capacity-plan.js';
import { requestRef } from '../../domain/request.js';
import type { CapacityNote } from '../../services/home.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, formatDate } from '../mrkdwn.js';
import { productLineName, type RenderContext, unitOf } from './render-context.js';

const n = (x: number) => x.toLocaleString('en-US');

/** The check in mrkdwn: verdict first, then the numbers, then when it would fit. */
export function capacityCheckText(check: CapacityCheck, ctx: RenderContext): string {
  const line = escapeText(productLineName(ctx, check.productLineId));
  if (check.verdict === 'no_capacity_configured') {
    return `:white_circle: *Capacity not checked*: ${line} has no capacity per week configured.`;
  }
  const unit = escapeText(unitOf(ctx, check.productLineId));
  const total = check.firm + check.tentative + check.thisRequest;
  const spread = check.load === 'spread' && check.fromWeek !== undefined;
  const capacity = `${n(check.capacity)} ${unit}${
    check.overridden
      ? spread
        ? ' (some weeks set by operations)'
        : ' (set by operations for this week)'
      : ''
  }`;
  const span = spread
    ? `Made over the weeks of ${formatDate(check.fromWeek ?? check.weekStart, ctx.locale)} to ${formatDate(check.weekStart, ctx.locale)}`
    : `Week of ${formatDate(check.weekStart, ctx.locale)}`;
  const figures = `${span}: capacity ${capacity}; firm ${n(check.firm)}, tentative ${n(
    check.tentative,
  )}, this request ${n(check.thisRequest)}: ${n(total)} in all.`;
  const later =
    check.earliestFeasibleDate !== null
      ? `Earliest date it fits: *${formatDate(check.earliestFeasibleDate, ctx.locale)}*.`
      : check.split
        ? `No week in the next ${check.horizonWeeks} weeks has room for all of it; it fits in parts: *${splitText(check.split)}* (Operations can propose this split).`
        : `No week in the next ${check.horizonWeeks} weeks has room for it.`;
  const inParts = check.parts
    ? `\nDelivered in parts: *${splitText(check.parts)}* (the tightest part is shown).`
    : '';
  switch (check.verdict) {
    case 'fits':
      return `:large_green_circle: *Capacity: fits.*\n${figures}${inParts}`;
    case 'fits_if_pending_fall_through':
      return `:large_yellow_circle: *Capacity: fits only if pending requests fall through* (over by ${n(
        check.overBy,
      )} ${unit} if they are all approved).\n${figures}${inParts}\n${later}`;
    case 'over':
      return `:red_circle: *Capacity: over by ${n(check.overBy)} ${unit}.*\n${figures}${inParts}\n${later}`;
  }
}

/** "400 by Mon 4 Jan, 500 by Mon 11 Jan". */
export function splitText(parts: readonly SplitPart[]): string {
  return parts.map((p) => `${n(p.quantity)} by ${formatDate(p.by)}`).join(', ');
}

/** "Competes with CG-7 for the week of Mon 14 Dec: together 740 of 500 units." */
export function competitionText(c: Competition, ctx: RenderContext, productLineId: string): string {
  const unit = escapeText(unitOf(ctx, productLineId));
  const others = c.competitors.map(requestRef).join(', ');
  return `:crossed_swords: *Competes with ${others}* for the week of ${formatDate(c.weekStart)}: together ${n(
    c.together,
  )} of ${n(c.capacity)} ${unit}. Each fits alone; the first approved takes the capacity.`;
}

export function buildCapacityCheckBlock(check: CapacityCheck, ctx: RenderContext): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clamp(capacityCheckText(check, ctx), LIMITS.sectionText) },
  };
}

/** The verdict in one plain line, for App Home's queue (escaped there). */
export function capacityNote(check: CapacityCheck, ctx: RenderContext): CapacityNote {
  if (check.verdict === 'no_capacity_configured')
    return { ok: true, text: 'not checked (no capacity configured)' };
  const unit = unitOf(ctx, check.productLineId);
  const later = check.earliestFeasibleDate
    ? `; earliest fit ${formatDate(check.earliestFeasibleDate, ctx.locale)}`
    : '';
  switch (check.verdict) {
    case 'fits':
      return { ok: true, text: `fits (week of ${formatDate(check.weekStart, ctx.locale)})` };
    case 'fits_if_pending_fall_through':
      return {
        ok: false,
        text: `fits only if pending requests fall through (over by ${n(check.overBy)} ${unit})${later}`,
      };
    case 'over':
      return { ok: false, text: `over by ${n(check.overBy)} ${unit}${later}` };
  }
}
