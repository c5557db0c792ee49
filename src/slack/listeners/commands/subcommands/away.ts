import type { AwayRefusal } from '../../../../domain/delegation.js';
import { comeBack, goAway } from '../../../../services/delegate.js';
import { formatDate, mention } from '../../../mrkdwn.js';
import type { Subcommand } from './types.js';

const USAGE =
  'Usage: `/commit away 2026-12-01 2026-12-05 @colleague` (first and last day away, both included).';

function refusal(r: AwayRefusal): string {
  switch (r.reason) {
    case 'bad_dates':
      return `Give the dates as YYYY-MM-DD. ${USAGE}`;
    case 'end_before_start':
      return 'The last day away must not be before the first.';
    case 'in_the_past':
      return 'That period is already over.';
    case 'self':
      return 'Choose a colleague: you cannot be your own delegate.';
    case 'not_owner':
      return 'Only owners of a function and leadership hand over sign-offs: you have none to hand over. Nothing was changed.';
    case 'too_far':
      return `An absence may end at most a year ahead (by ${formatDate(r.latest)}). Nothing was changed.`;
  }
}

export const away: Subcommand = {
  name: 'away',
  help: '`/commit away START END @delegate` hands your sign-offs to a colleague while you are away.',
  async run({ args, command, deps }) {
    // A mention arrives as <@U…|name> (the manifest sets should_escape: true); a bare U… id works too.
    const m = /^(\S+)\s+(\S+)\s+(?:<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|([UW][A-Z0-9]{2,}))\s*$/.exec(args);
    const delegateId = m?.[3] ?? m?.[4];
    if (!m?.[1] || !m[2] || !delegateId) return { text: USAGE };
    const result = goAway(deps.services, {
      ownerId: command.user_id,
      startDay: m[1],
      endDay: m[2],
      delegateId,
    });
    if (!result.ok) return { text: refusal(result) };
    const d = result.delegation;
    return {
      text: `From ${formatDate(d.startDay)} to ${formatDate(d.endDay)}, ${mention(d.delegateId)} decides your sign-offs for you; requests mention them and record that they acted on your behalf. \`/commit back\` ends it early.`,
    };
  },
};

export const back: Subcommand = {
  name: 'back',
  help: '`/commit back` ends your delegation: you decide your sign-offs again.',
  async run({ command, deps }) {
    const ended = comeBack(deps.services, command.user_id);
    return {
      text: ended
        ? 'Welcome back: your sign-offs are yours again.'
        : 'You had no delegation in force; nothing changed.',
    };
  },
};
