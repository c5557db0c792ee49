// `/commit capacity`: load against capacity per week, as a compact table in a code block (it
// lines up in every Slack client), one section per product line.
import type { KnownBlock } from '@slack/types';
import { formatDay } from '../../domain/calendar.js';
import type { WeekOutlook } from '../../domain/capacity.js';
import type { LineOutlook, SetCapacityResult } from '../../services/capacity.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, formatDate } from '../mrkdwn.js';
import type { SlackMessage } from './request-messages.js';

const FLAG: Record<NonNullable<WeekOutlook['flag']> | 'none', string> = {
  over_100: '!! over 100%',
  over_90: '!  over 90%',
  none: '',
};

/** Rows of about 75 characters: 30 of them stay well inside a section's 3000 characters. */
const MAX_TABLE_ROWS = 30;
const pad = (text: string, width: number) => text.padStart(width);
const num = (x: number) => x.toLocaleString('en-US');

/** One line per week: week | capacity (* = set by operations) | firm | tentative | free | load %. */
export function capacityTable(weeks: readonly WeekOutlook[]): string {
  const header = `${'Week of'.padEnd(15)}${pad('Capacity', 10)}${pad('Firm', 8)}${pad('Tent.', 8)}${pad('Free', 8)}${pad('Load', 7)}`;
  const rows = weeks.map((w) => {
    const free = Math.max(0, w.capacity - w.load);
    const percent = w.percent === null ? '∞' : `${w.percent}%`;
    const flag = FLAG[w.flag ?? 'none'];
    return `${formatDay(w.weekStart).padEnd(15)}${pad(`${num(w.capacity)}${w.overridden ? '*' : ' '}`, 10)}${pad(
      num(w.firm),
      8,
    )}${pad(num(w.tentative), 8)}${pad(num(free), 8)}${pad(percent, 7)}${flag ? `  ${flag}` : ''}`.trimEnd();
  });
  return [header, ...rows].join('\n');
}

function lineSection(line: LineOutlook): KnownBlock {
  const title = `*${escapeText(line.name)}* (${escapeText(line.unit)})`;
  if (!line.weeks) {
    const body = `${title}: no capacity per week configured, so requests are not checked.`;
    return { type: 'section', text: { type: 'mrkdwn', text: clamp(body, LIMITS.sectionText) } };
  }
  // A code block cut by clamp() would lose its closing fence: cut whole rows instead.
  const rows = line.weeks.slice(0, MAX_TABLE_ROWS);
  const more = line.weeks.length - rows.length;
  const body = `${title}\n\`\`\`\n${capacityTable(rows)}\n\`\`\`${more > 0 ? `\n…and ${more} more weeks.` : ''}`;
  return { type: 'section', text: { type: 'mrkdwn', text: clamp(body, LIMITS.sectionText) } };
}

const LEGEND =
  'Firm: approved requests. Tent.: pending requests. Load: firm + tentative against capacity. * set by operations for that week. Each request counts in full in the week of its delivery date.';

export function buildCapacityOverview(lines: readonly LineOutlook[], weeks: number): SlackMessage {
  const shown = lines.slice(0, LIMITS.messageBlocks - 2);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Capacity, next ${weeks} weeks*` },
    },
    ...shown.map(lineSection),
    { type: 'context', elements: [{ type: 'mrkdwn', text: LEGEND }] },
  ];
  const flagged = lines.flatMap((l) =>
    (l.weeks ?? [])
      .filter((w) => w.flag)
      .map(
        (w) =>
          `${l.name} week of ${formatDay(w.weekStart)} ${w.flag === 'over_100' ? 'over 100%' : 'over 90%'}`,
      ),
  );
  const text = `Capacity, next ${weeks} weeks${flagged.length ? `: ${flagged.join('; ')}` : ': no week over 90%'}`;
  return { text: clamp(escapeText(text), LIMITS.messageText), blocks };
}

export function buildCapacitySet(
  line: { readonly name: string; readonly unit: string },
  capacity: number,
  result: Extract<SetCapacityResult, { ok: true }>,
): SlackMessage {
  const first = result.weeks[0]?.weekStart;
  const last = result.weeks[result.weeks.length - 1]?.weekStart;
  const span =
    first === last || !last
      ? `the week of ${formatDate(first ?? '')}`
      : `${result.weeks.length} weeks, from the week of ${formatDate(first ?? '')} to the week of ${formatDate(last)}`;
  const head = `:white_check_mark: ${escapeText(line.name)} capacity set to *${num(capacity)} ${escapeText(line.unit)}* for ${span}. Requests submitted from now on are checked against it; messages already posted keep the facts they were decided on.`;
  return {
    text: clamp(
      `${line.name} capacity set to ${capacity} ${line.unit} for ${span.replace(/\*/g, '')}`,
      LIMITS.messageText,
    ),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clamp(head, LIMITS.sectionText) } },
      lineSection({ productLineId: '', name: line.name, unit: line.unit, weeks: result.weeks }),
    ],
  };
}

const DIGEST_FLAG: Record<NonNullable<WeekOutlook['flag']>, string> = {
  over_100: ':red_circle:',
  over_90: ':large_yellow_circle:',
};

/**
 * The capacity lines of the weekly digest: per product line with a capacity, each of the next weeks
 * as "week: load/capacity (percent)", weeks over 90% and over 100% marked; lines without a
 * capacity named once; then the legend.
 */
export function capacityDigestLines(lines: readonly Pick<LineOutlook, 'name' | 'weeks'>[]): string[] {
  const checked = lines.filter((l) => l.weeks?.length);
  const unchecked = lines.filter((l) => !l.weeks);
  const rows = checked.map((l) => {
    const weeks = (l.weeks ?? []).map((w) => {
      const percent = w.percent === null ? 'over' : `${w.percent}%`;
      const mark = w.flag ? `${DIGEST_FLAG[w.flag]} ` : '';
      return `${mark}${formatDay(w.weekStart).slice(4, -5)}: ${num(w.load)}/${num(w.capacity)} (${percent})`;
    });
    return `*${escapeText(l.name)}* · ${weeks.join(' · ')}`;
  });
  return [
    ...rows,
    ...(unchecked.length
      ? [`_Not checked (no capacity per week): ${unchecked.map((l) => escapeText(l.name)).join(', ')}_`]
      : []),
    `${DIGEST_FLAG.over_90} over 90%  ${DIGEST_FLAG.over_100} over 100%`,
  ];
}

/** The digest's capacity section as one block (for a surface of its own). */
export function buildCapacityDigestBlocks(lines: readonly LineOutlook[]): KnownBlock[] {
  const body = [CAPACITY_DIGEST_TITLE, ...capacityDigestLines(lines)].join('\n');
  return [{ type: 'section', text: { type: 'mrkdwn', text: clamp(body, LIMITS.sectionText) } }];
}

export const CAPACITY_DIGEST_TITLE = '*Capacity, next weeks* (load = approved + pending, against capacity)';
