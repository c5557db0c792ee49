// `/commit capacity [line [date[..date] capacity]]`: see load against capacity, or (operations
// owners) set a week's or a range of weeks' capacity.
import { userActor } from '../../../../domain/actor.js';
import { isIsoDate } from '../../../../domain/calendar.js';
import {
  capacityOutlook,
  OPERATIONS_FUNCTION,
  type SetCapacityResult,
  setCapacity,
} from '../../../../services/capacity.js';
import { escapeText, mentionOwner } from '../../../mrkdwn.js';
import { buildCapacityOverview, buildCapacitySet } from '../../../views/capacity.js';
import type { Subcommand, SubcommandReply } from './types.js';

export const OUTLOOK_WEEKS = 8;

export type CapacityArgs =
  | { readonly kind: 'overview' }
  | { readonly kind: 'line'; readonly line: string }
  | {
      readonly kind: 'set';
      readonly line: string;
      readonly from: string;
      readonly to: string;
      readonly capacity: number;
    }
  | { readonly kind: 'invalid'; readonly message: string };

const USAGE =
  'Use `/commit capacity`, `/commit capacity widgets`, or (operations owners) `/commit capacity widgets 2026-12-07 300` for one week or `/commit capacity widgets 2026-12-07..2027-01-03 300` for every week of a range.';

/** Parses the words after `/commit capacity`. Product lines are resolved by the caller. */
export function parseCapacityArgs(args: string): CapacityArgs {
  const words = args.split(/\s+/).filter(Boolean);
  const [line, dates, amount, ...extra] = words;
  if (line === undefined) return { kind: 'overview' };
  if (dates === undefined) return { kind: 'line', line };
  if (amount === undefined || extra.length) return { kind: 'invalid', message: USAGE };
  const [from = '', to = from, ...rest] = dates.split('..');
  if (rest.length || !isIsoDate(from) || !isIsoDate(to))
    return {
      kind: 'invalid',
      message: `"${escapeText(dates)}" is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD). ${USAGE}`,
    };
  if (!/^\d{1,9}$/.test(amount))
    return {
      kind: 'invalid',
      message: `"${escapeText(amount)}" is not a capacity: give a whole number of units, 0 or more. ${USAGE}`,
    };
  return { kind: 'set', line, from, to, capacity: Number(amount) };
}

function refusal(
  reason: Extract<SetCapacityResult, { ok: false }>['reason'],
  owners: readonly string[],
  lineName: string,
): string {
  switch (reason) {
    case 'not_operations_owner':
      return owners.length
        ? `Only operations owners (${owners.map(mentionOwner).join(', ')}) can set capacity. Nothing was changed.`
        : 'Only operations owners can set capacity, and no operations function is configured. Nothing was changed.';
    case 'unknown_product_line':
      return 'That product line does not exist. Nothing was changed.';
    case 'no_capacity_configured':
      return `${escapeText(lineName)} has no capacity per week in the config, so its requests are not checked. Add \`capacity_per_week\` to enable the check. Nothing was changed.`;
    case 'invalid_capacity':
      return 'Give a whole number of units, 0 or more. Nothing was changed.';
    case 'in_the_past':
      return 'That week is in the past: its load is history. Nothing was changed.';
    case 'backwards':
      return 'The range ends before it starts. Nothing was changed.';
    case 'too_many_weeks':
      return 'That range is too long: set at most two years at once. Nothing was changed.';
  }
}

export const capacitySubcommand: Subcommand = {
  name: 'capacity',
  help: '`/commit capacity [widgets]` shows load against capacity for the next 8 weeks; operations owners set a week with `/commit capacity widgets 2026-12-07 300`.',
  async run({ command, args, deps }): Promise<SubcommandReply> {
    const parsed = parseCapacityArgs(args);
    if (parsed.kind === 'invalid') return { text: parsed.message };
    const services = deps.services;
    if (parsed.kind === 'overview')
      return buildCapacityOverview(capacityOutlook(services, { weeks: OUTLOOK_WEEKS }), OUTLOOK_WEEKS);
    const wanted = parsed.line.toLowerCase();
    const line = deps.config.product_lines.find((p) => p.id === wanted || p.name.toLowerCase() === wanted);
    if (!line) {
      return {
        text: `No product line "${escapeText(parsed.line)}". Known: ${deps.config.product_lines
          .map((p) => `\`${p.id}\``)
          .join(', ')}.`,
      };
    }
    if (parsed.kind === 'line') {
      return buildCapacityOverview(
        capacityOutlook(services, { weeks: OUTLOOK_WEEKS, productLineId: line.id }),
        OUTLOOK_WEEKS,
      );
    }
    const result = setCapacity(services, {
      actor: userActor(command.user_id),
      productLineId: line.id,
      from: parsed.from,
      to: parsed.to,
      capacity: parsed.capacity,
    });
    if (!result.ok)
      return {
        text: refusal(result.reason, deps.config.functions[OPERATIONS_FUNCTION]?.owners ?? [], line.name),
      };
    deps.logger.info('capacity set', {
      user: command.user_id,
      productLine: line.id,
      weeks: result.weeks.length,
    });
    return buildCapacitySet(line, parsed.capacity, result);
  },
};
