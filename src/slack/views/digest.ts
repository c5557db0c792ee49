// The weekly imbalance digest as Slack messages. Every block has a plain-text twin, and blocks are
// packed into as many messages as needed so that no message exceeds Slack's block count or its
// `text` limit, whatever the week's volume: the first message goes to the channel, the rest into
// its thread. Each message's `text` is the complete fallback of that message's blocks.
import type { KnownBlock, ModalView } from '@slack/types';
import { formatDay } from '../../domain/calendar.js';
import type { Digest, FunctionLine } from '../../domain/digest.js';
import { formatMoney } from '../../domain/money.js';
import { requestRef } from '../../domain/request.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, mention } from '../mrkdwn.js';
import { CAPACITY_DIGEST_TITLE, capacityDigestLines } from './capacity.js';
import type { SlackMessage } from './request-messages.js';

export interface DigestViewContext {
  readonly currency: string;
  readonly timeZone: string;
  /** BCP 47 locale for dates and money (config `locale`); en-US when absent. */
  readonly locale?: string;
  /** Shown in the heading: "Weekly digest" or "This week so far". */
  readonly title?: string;
}

interface Unit {
  readonly block: KnownBlock;
  /** The same content as plain mrkdwn text, for the message's fallback. */
  readonly plain: string;
}

/** Headroom under Slack's limits: a message's blocks and fallback text stay well inside. */
const MAX_BLOCKS = LIMITS.messageBlocks - 2;
const MAX_TEXT = LIMITS.messageText - 100;
const SECTION_MAX = LIMITS.sectionText - 50;

const section = (text: string): Unit => ({
  block: { type: 'section', text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) } },
  plain: text.replace(/\*/g, ''),
});
const header = (text: string): Unit => ({
  block: { type: 'header', text: { type: 'plain_text', text: clamp(text, LIMITS.headerText), emoji: true } },
  plain: text,
});
const context = (text: string): Unit => ({
  block: { type: 'context', elements: [{ type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) }] },
  plain: text.replace(/[*_]/g, ''),
});
const divider: Unit = { block: { type: 'divider' }, plain: '' };

/** Lines grouped into sections of at most SECTION_MAX characters each. */
function sectionsOf(title: string, lines: readonly string[]): Unit[] {
  const out: Unit[] = [];
  let current = title;
  for (const line of lines) {
    const piece = clamp(line, SECTION_MAX - title.length - 1);
    if (current.length + 1 + piece.length > SECTION_MAX) {
      out.push(section(current));
      current = `${title} (cont.)\n${piece}`;
    } else current = `${current}\n${piece}`;
  }
  out.push(section(current));
  return out;
}

const money = (minor: number, currency: string, locale?: string) => formatMoney(minor, currency, locale);

function change(pct: number | null, previous: number): string {
  if (pct === null) return previous === 0 ? 'new this week' : 'n/a';
  if (pct === 0) return 'no change';
  return pct > 0 ? `up ${pct}%` : `down ${-pct}%`;
}

const hours = (h: number | null) => (h === null ? '–' : `${Math.round(h * 10) / 10} h`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function functionLine(f: FunctionLine): string {
  return (
    `*${escapeText(f.label)}*: asked ${f.asked} · decided ${f.decided} (${f.approved} approved, ${f.rejected} rejected)` +
    ` · ${plural(f.datesProposed, 'date')} proposed · time to decide: median ${hours(f.medianHours)}, p90 ${hours(f.p90Hours)}` +
    ` · pending now ${f.pendingNow}${f.oldestPendingHours === null ? '' : ` (oldest ${hours(f.oldestPendingHours)})`}` +
    ` · ${plural(f.reminders, 'reminder')}, ${plural(f.escalations, 'escalation')}`
  );
}

function units(d: Digest, ctx: DigestViewContext): Unit[] {
  const c = ctx.currency;
  const l = ctx.locale;
  const title = ctx.title ?? 'Weekly digest';
  const list: Unit[] = [
    header(`${title}: ${formatDay(d.weekStart, l)} – ${formatDay(d.weekEnd, l)}`),
    context(
      `Monday to Sunday in ${escapeText(ctx.timeZone)}. Decision times and pending ages are in business hours. Pending figures as of ${d.asOf.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    ),
  ];
  list.push(
    ...sectionsOf(
      ':mag: *Where to look*',
      d.whereToLook.length
        ? d.whereToLook.map((s) => `• ${escapeText(s)}`)
        : ['• Nothing crossed a threshold this week.'],
    ),
  );
  const i = d.inflow;
  list.push(
    divider,
    ...sectionsOf(':inbox_tray: *Sales inflow*', [
      `${plural(i.count, 'request')} worth ${money(i.valueMinor, c, l)}: ${
        i.previousCount === 0
          ? 'none the week before'
          : `count ${change(i.countChangePct, i.previousCount)}, value ${change(i.valueChangePct, i.previousValueMinor)} (last week ${i.previousCount}, ${money(i.previousValueMinor, c, l)})`
      }`,
      ...i.byProductLine.map(
        (p) =>
          `• ${escapeText(p.name)}: ${p.count} (${money(p.valueMinor, c, l)}), last week ${p.previousCount} (${money(p.previousValueMinor, c, l)})`,
      ),
    ]),
  );
  const o = d.outcomes;
  list.push(
    ...sectionsOf(':scales: *Outcomes* (requests closed this week)', [
      `Approved ${o.approved} (${o.approvedWithConditions} with conditions, ${o.approvedWithoutConditions} without) · rejected ${o.rejected} · withdrawn ${o.withdrawn} · expired ${o.expired} · overridden ${o.overridden}`,
      `Value cleared ${money(o.clearedValueMinor, c, l)} · value blocked ${money(o.blockedValueMinor, c, l)}`,
      `Still pending now: ${o.pendingNow} (${money(o.pendingValueMinor, c, l)})`,
    ]),
  );
  list.push(
    divider,
    ...sectionsOf(':link: *The chain, function by function*', d.functions.map(functionLine)),
  );
  const g = d.promiseGap;
  list.push(
    ...sectionsOf(':calendar: *The promise gap*', [
      g.requests
        ? `${g.shorterThanStandard} of ${g.requests} requests (${g.sharePct}%) asked for less than the standard lead time.`
        : 'No requests this week.',
      g.medianDaysLate === null
        ? 'No owner proposed another date this week.'
        : `Where an owner proposed a feasible date (${plural(g.proposals, 'request')}), it was a median ${g.medianDaysLate} days after the requested date.`,
    ]),
  );
  list.push(
    ...sectionsOf(
      ':rotating_light: *Overrides*',
      d.overrides.length
        ? d.overrides.map(
            (v) =>
              `• ${requestRef(v.requestId)} (${money(v.valueMinor, c, l)}) by ${v.actorId ? mention(v.actorId) : 'leadership'}: ${escapeText(v.reason || 'no reason given')}`,
          )
        : ['None this week.'],
    ),
  );
  if (d.capacity) {
    list.push(...sectionsOf(`:factory: ${CAPACITY_DIGEST_TITLE}`, capacityDigestLines(d.capacity.lines)));
  }
  return list;
}

/**
 * The digest as one or more messages: post the first to the channel and the others in its thread.
 * Every message stays under Slack's block count and `text` length.
 */
export function buildDigestMessages(d: Digest, ctx: DigestViewContext): SlackMessage[] {
  const messages: SlackMessage[] = [];
  let blocks: KnownBlock[] = [];
  let texts: string[] = [];
  const flush = () => {
    // A message never starts or ends with a lone divider.
    while (blocks.length && blocks[blocks.length - 1]?.type === 'divider') blocks.pop();
    if (!blocks.length) return;
    const text = texts.filter((t) => t !== '').join('\n');
    messages.push({ text: clamp(text, LIMITS.messageText), blocks });
    blocks = [];
    texts = [];
  };
  for (const u of units(d, ctx)) {
    if (u.block.type === 'divider' && !blocks.length) continue;
    const textLength = texts.reduce((s, t) => s + t.length + 1, 0) + u.plain.length;
    if (blocks.length + 1 > MAX_BLOCKS || textLength > MAX_TEXT) flush();
    if (u.block.type === 'divider' && !blocks.length) continue;
    blocks.push(u.block);
    texts.push(u.plain);
  }
  flush();
  const total = messages.length;
  if (total > 1) {
    return messages.map((m, i) =>
      i === 0 ? m : { ...m, text: clamp(`(${i + 1}/${total}) ${m.text}`, LIMITS.messageText) },
    );
  }
  return messages;
}

/** The short line that accompanies the trend chart. */
export function chartComment(d: Digest, locale?: string): string {
  return `8-week trend to ${formatDay(d.weekEnd, locale)}: requests in vs. cleared vs. blocked, and median decision time per function.`;
}

/** Said when the week needs more parts than a surface holds. */
export function moreParts(count: number, today: string): KnownBlock {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${count} more part(s) did not fit here: run \`npm run digest -- --week-of ${today} --dry-run\` for all of it.`,
      },
    ],
  };
}

/**
 * The digest's messages in one modal (a modal holds 100 blocks, a message 50): whole messages
 * while they fit, then a note saying how many parts did not.
 */
export function buildDigestModal(title: string, messages: readonly SlackMessage[], today: string): ModalView {
  const blocks: KnownBlock[] = [];
  let shown = 0;
  for (const m of messages) {
    if (blocks.length + m.blocks.length > LIMITS.viewBlocks - 1) break;
    blocks.push(...m.blocks);
    shown++;
  }
  if (shown < messages.length) blocks.push(moreParts(messages.length - shown, today));
  return {
    type: 'modal',
    title: { type: 'plain_text', text: clamp(title, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}
