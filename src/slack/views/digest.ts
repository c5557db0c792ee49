// The weekly imbalance digest as Slack messages. Every block has a plain-text twin, and blocks are
// packed into as many messages as needed so that no message exceeds Slack's block count or its
// `text` limit, whatever the week's volume: the first message goes to the channel, the rest into
// its thread. Each message's `text` is the complete fallback of that message's blocks.
import type { KnownBlock, ModalView } from '@slack/types';
import { formatDay } from '../../domain/calendar.js';
import type { Digest, FunctionLine } from '../../domain/digest.js';
import { formatMoney } from '../../domain/money.js';
import { requestRef } from '../../domain/request.js';
import type { Figure, Finding, LinkId, Scoreboard } from '../../domain/scoreboard.js';
import { LINK_LABELS, MAX_FINDINGS } from '../../domain/scoreboard.js';
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
  list.push(...sectionsOf(':mag: *Where to look*', whereToLookLines(d, c)));
  // The capacity outlook is Execution's load, so it follows that link when the links are shown.
  const capacityUnits = d.capacity
    ? sectionsOf(`:factory: ${CAPACITY_DIGEST_TITLE}`, capacityDigestLines(d.capacity.lines))
    : [];
  if (d.scoreboard) list.push(divider, ...scoreboardUnits(d.scoreboard, c, capacityUnits));
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
  if (!d.scoreboard) list.push(...capacityUnits);
  return list;
}

// ---------------------------------------------------------------------------------------------
// The six links and Promises kept (domain/scoreboard.ts), and "Where to look" ranked.

const ARROW = { up: '↑', down: '↓' } as const;

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** A figure's value in its unit: "12", "45%", "$1,200.00", "3 days", "4.5 h", "0.25". */
export function formatFigure(f: Pick<Figure, 'unit'>, v: number | null, currency: string): string {
  if (v === null) return '–';
  switch (f.unit) {
    case 'count':
      return String(round(v, 1));
    case 'percent':
      return `${round(v, 1)}%`;
    case 'money':
      return money(Math.round(v), currency);
    case 'days':
      return `${round(v, 1)} ${v === 1 ? 'day' : 'days'}`;
    case 'hours':
      return `${round(v, 1)} h`;
    case 'ratio':
      return v.toFixed(2);
  }
}

/** "Requests in: *16* ↑ (last week 10 · 8-week median 10)"; a figure known only now has no comparison. */
export function figureLine(f: Figure, currency: string): string {
  const arrow = f.arrow ? ` ${ARROW[f.arrow]}` : '';
  const head = `${escapeText(f.label)}: *${formatFigure(f, f.thisWeek, currency)}*${arrow}`;
  const detail = f.detail ? ` (${mention(f.detail)})` : '';
  if (!f.history.length) return `${head}${detail}`;
  return `${head}${detail} (last week ${formatFigure(f, f.lastWeek, currency)} · 8-week median ${formatFigure(f, f.median8w, currency)})`;
}

const LINK_EMOJI: Readonly<Record<LinkId, string>> = {
  sales: ':moneybag:',
  execution: ':factory:',
  quality: ':white_check_mark:',
  finance: ':bank:',
  people: ':busts_in_silhouette:',
  leadership: ':compass:',
};

/** A per-product-line figure (".widgets") is listed only when its line had anything to measure. */
const quiet = (f: Figure) =>
  (f.thisWeek === null || f.thisWeek === 0) && (f.median8w === null || f.median8w === 0) && !f.lastWeek;
const perLine = (f: Figure) => f.id.split('.').length > 2;

function linkLines(sb: Scoreboard, link: LinkId, c: string): string[] {
  const figures = sb.links.find((l) => l.id === link)?.figures ?? [];
  const lines = figures.filter((f) => !(perLine(f) && quiet(f))).map((f) => `• ${figureLine(f, c)}`);
  if (link === 'execution') {
    const o = sb.overCapacity;
    if (o.count) {
      lines.push(
        `• Approved over capacity by: ${o.byActor.map((a) => `${mention(a.actorId)} ${a.count} (${money(a.valueMinor, c)})`).join(', ')}`,
      );
    }
    // Every overbooked week of the whole horizon, one line per product line (so none is cut).
    const byLine = new Map<string, string[]>();
    for (const w of sb.overbooked) {
      const weeks = byLine.get(w.name) ?? [];
      weeks.push(
        `${formatDay(w.weekStart).slice(4, -5)} ${w.load}/${w.capacity}${w.percent === null ? '' : ` (${w.percent}%)`}`,
      );
      byLine.set(w.name, weeks);
    }
    if (!byLine.size) lines.push('• No week over 100% on the capacity horizon.');
    for (const [name, weeks] of byLine) lines.push(`• Overbooked, ${escapeText(name)}: ${weeks.join(' · ')}`);
  }
  if (link === 'people' && sb.noStandIn.length) {
    lines.push(
      `• Nobody to stand in for: ${sb.noStandIn.map((f) => escapeText(f.label)).join(', ')} (every owner is needed for the quorum)`,
    );
  }
  return lines;
}

function promisesKeptLines(sb: Scoreboard, c: string): string[] {
  const k = sb.promisesKept;
  const pctOf = (v: number | null) => (v === null ? '–' : `${v}%`);
  const lines = [
    k.due
      ? `Due this week: *${k.due}* · on time in full ${k.onTimeInFull} · late ${k.late}${
          k.late ? ` (slip median ${k.slipDaysMedian} days, worst ${k.slipDaysWorst})` : ''
        } · part-delivered ${k.partlyDelivered} · still open past due ${k.openPastDue}${
          k.notYetJudged ? ` · not yet due ${k.notYetJudged}` : ''
        }`
      : 'No promise was due this week.',
    `OTIF: *${pctOf(k.otifPct)}* (8-week median ${pctOf(k.otifMedian8w)})`,
    ...k.byProductLine
      .filter((l) => l.judged > 0)
      .map(
        (l) =>
          `• ${escapeText(l.name)}: ${pctOf(l.otifPct)} of ${l.judged} (8-week median ${pctOf(l.median8w)})`,
      ),
    `At risk, due in the next 2 weeks: ${k.atRiskNext2Weeks.length}${
      k.atRiskNext2Weeks.length
        ? ` (${k.atRiskNext2Weeks
            .slice(0, 20)
            .map(
              (a) =>
                `${requestRef(a.requestId)} ${formatDay(a.promisedOn).slice(4, -5)} → ${formatDay(a.expectedOn).slice(4, -5)}`,
            )
            .join(', ')}${k.atRiskNext2Weeks.length > 20 ? ', …' : ''})`
        : ''
    }`,
  ];
  const b = k.byClearance;
  if (b.overridden.judged) {
    lines.push(
      `Overridden vs signed off: ${b.overridden.judged} overridden, OTIF ${pctOf(b.overridden.otifPct)} · ${b.signedOff.judged} signed off, OTIF ${pctOf(b.signedOff.otifPct)}`,
    );
  }
  if (b.fastLane.judged) {
    lines.push(
      `Fast lane vs signed off: ${b.fastLane.judged} on the fast lane, OTIF ${pctOf(b.fastLane.otifPct)} · ${b.signedOff.judged} signed off, OTIF ${pctOf(b.signedOff.otifPct)}`,
    );
  }
  lines.push(
    `Quality issues per delivered promise: ${k.issuesPerDelivered === null ? '–' : k.issuesPerDelivered.toFixed(2)} (${plural(k.qualityIssues, 'issue')}, ${k.deliveredInFull} delivered in full)`,
    `Payments: due ${money(k.paymentsDueMinor, c)} · received ${money(k.paymentsReceivedMinor, c)} · overdue past terms ${money(k.paymentsOverdueMinor, c)}`,
  );
  return lines;
}

function scoreboardUnits(sb: Scoreboard, c: string, capacity: readonly Unit[]): Unit[] {
  const out: Unit[] = [
    context(
      'Each figure: this week, the week before and the median of the 8 weeks before; ↑/↓ when it moved more than twice its usual spread.',
    ),
  ];
  for (const id of Object.keys(LINK_LABELS) as LinkId[]) {
    out.push(...sectionsOf(`${LINK_EMOJI[id]} *${LINK_LABELS[id]}*`, linkLines(sb, id, c)));
    if (id === 'execution') out.push(...capacity);
  }
  out.push(divider, ...sectionsOf(':handshake: *Promises kept*', promisesKeptLines(sb, c)));
  return out;
}

const num = (n: number | string | null | undefined) =>
  typeof n === 'number' ? String(Math.round(n * 10) / 10) : String(n);

/** The sentence of a finding: what is out of line, measured, and the link to act on. */
export function findingSentence(f: Finding, ctx: { readonly currency: string }): string {
  const x = f.facts;
  const act = `act on ${LINK_LABELS[f.link]}`;
  switch (f.rule) {
    case 'inflow_vs_execution': {
      const r = Number(x.decidedRisePct);
      const how = r === 0 ? 'flat on' : r > 0 ? `up only ${r}% on` : `down ${-r}% on`;
      return `Order inflow rose ${x.inflowRisePct}% on its 8-week median (${num(x.inflow)} requests against ${num(x.inflowMedian)}) while ${x.function} decided ${num(x.decided)} sign-offs, ${how} its median of ${num(x.decidedMedian)}: ${act}.`;
    }
    case 'one_owner':
      return `One owner, ${mention(String(x.owner))}, made ${x.sharePct}% of the week's ${x.decisions} sign-off decisions: ${act} (share the load or name a delegate).`;
    case 'terms_drift':
      return `Payment terms drifted longer: ${num(x.days)} days value-weighted this week against an 8-week median of ${num(x.median)} (default ${x.defaultDays}), ${money(Number(x.valueLongTermsMinor), ctx.currency)} on terms over ${x.defaultDays} days: ${act}.`;
    case 'overbooked': {
      const weeks = Number(x.weeks);
      const pctText = x.percent === null ? 'over capacity' : `${x.percent}%`;
      return `${x.line} is booked ${pctText} in the week of ${formatDay(String(x.weekStart))} (${x.load} of ${x.capacity})${
        weeks > 1 ? `; ${weeks} weeks are overbooked on the horizon` : ''
      }: ${act}.`;
    }
    case 'otif_drop':
      return `On time in full for ${x.line} fell to ${x.otif}% against its 8-week median of ${num(x.median)}% (${x.judged} promises judged): ${act}.`;
  }
}

const FLOW_LINK: Readonly<Record<string, LinkId>> = {
  quality: 'quality',
  finance: 'finance',
  people: 'people',
};

/**
 * "Where to look", ranked: the scoreboard's findings biggest first, then the flow rules that
 * measure an imbalance (escalations and overrides are counted under Leadership instead), at most
 * MAX_FINDINGS; a week in balance says so in one line.
 */
export function whereToLookLines(d: Digest, currency: string): string[] {
  if (!d.scoreboard) {
    return d.whereToLook.length
      ? d.whereToLook.map((s) => `• ${escapeText(s)}`)
      : ['• Nothing crossed a threshold this week.'];
  }
  const ranked = [
    ...d.scoreboard.findings.map((f) => findingSentence(f, { currency })),
    ...d.flowFindings
      .filter((f) => f.rule !== 'escalations' && f.rule !== 'overrides')
      .map((f) => {
        const link =
          f.rule === 'promise_gap' || f.rule === 'blocked'
            ? 'sales'
            : (FLOW_LINK[f.functionId ?? ''] ?? 'execution');
        return `${escapeText(f.text.replace(/\.$/, ''))}: act on ${LINK_LABELS[link]}.`;
      }),
  ].slice(0, MAX_FINDINGS);
  return ranked.length
    ? ranked.map((s, i) => `${i + 1}. ${s}`)
    : ['This week is in balance: no link is out of line with its own 8-week median or with the others.'];
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
  return `8-week trend to ${formatDay(d.weekEnd, locale)}, one panel per link: requests in, on time in full %, quality issues per delivery, payment terms, the busiest owner's share, escalations.`;
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
