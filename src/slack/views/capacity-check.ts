// The latest capacity check (at submit, at a revision, when a counter date moves the delivery),
// shown on the parent message and on the operations sign-off message, so operations decides on
// facts. One builder for both surfaces.
import type { SectionBlock } from '@slack/types';
import type { CapacityCheck } from '../../domain/capacity.js';
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
  const capacity = `${n(check.capacity)} ${unit}${check.overridden ? ' (set by operations for this week)' : ''}`;
  const figures = `Week of ${formatDate(check.weekStart, ctx.locale)}: capacity ${capacity}; firm ${n(check.firm)}, tentative ${n(
    check.tentative,
  )}, this request ${n(check.thisRequest)}: ${n(total)} in all.`;
  const later =
    check.earliestFeasibleDate === null
      ? `No week in the next ${check.horizonWeeks} weeks has room for it.`
      : `Earliest date it fits: *${formatDate(check.earliestFeasibleDate, ctx.locale)}*.`;
  switch (check.verdict) {
    case 'fits':
      return `:large_green_circle: *Capacity: fits.*\n${figures}`;
    case 'fits_if_pending_fall_through':
      return `:large_yellow_circle: *Capacity: fits only if pending requests fall through* (over by ${n(
        check.overBy,
      )} ${unit} if they are all approved).\n${figures}\n${later}`;
    case 'over':
      return `:red_circle: *Capacity: over by ${n(check.overBy)} ${unit}.*\n${figures}\n${later}`;
  }
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
