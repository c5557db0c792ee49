import { formatMoney } from '../../domain/money.js';
import type { CommitRequest, SignOff } from '../../domain/request.js';
import { escapeText, formatDate } from '../mrkdwn.js';

/** What views need to know of the configuration; nothing else reaches them. */
export interface RenderContext {
  readonly currency: string;
  /** BCP 47 locale for dates and money (config `locale`); en-US when absent. */
  readonly locale?: string;
  readonly productLines: readonly { readonly id: string; readonly name: string; readonly unit: string }[];
}

export function productLineName(ctx: RenderContext, id: string): string {
  return ctx.productLines.find((p) => p.id === id)?.name ?? id;
}

export function unitOf(ctx: RenderContext, id: string): string {
  return ctx.productLines.find((p) => p.id === id)?.unit ?? 'units';
}

/** "Acme Corp: 120 units of Widgets by Tue 15 Dec 2026", escaped for mrkdwn. */
export function summaryLine(request: CommitRequest, ctx: RenderContext): string {
  const f = request.facts;
  return `${escapeText(f.customer)}: ${f.quantity.toLocaleString('en-US')} ${escapeText(unitOf(ctx, f.productLineId))} of ${escapeText(
    productLineName(ctx, f.productLineId),
  )} by ${formatDate(f.deliveryDate, ctx.locale)}, ${formatMoney(f.valueMinor, ctx.currency, ctx.locale)}`;
}

/** The same, shorter, for `text` fallbacks (still escaped: notifications render `<!channel>` too). */
export function plainSummary(request: CommitRequest, ctx: RenderContext): string {
  const f = request.facts;
  return `${escapeText(f.customer)}: ${f.quantity} ${escapeText(unitOf(ctx, f.productLineId))} of ${escapeText(
    productLineName(ctx, f.productLineId),
  )} by ${formatDate(f.deliveryDate, ctx.locale)}, ${formatMoney(f.valueMinor, ctx.currency, ctx.locale)}`;
}

export const STATUS_ICON: Record<SignOff['status'], string> = {
  pending: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  rejected: ':no_entry:',
};

/** A link to a message, in the form Slack's "Copy link" produces (the workspace redirects it). */
export function messageLink(channelId: string, ts: string): string {
  return `https://slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
}
