// `/commit digest`: leadership's private look at the week so far (Monday 00:00 to now).
import { localDate } from '../../../../domain/calendar.js';
import { buildWeeklyDigest } from '../../../../services/weekly-digest.js';
import { buildDigestMessages } from '../../../views/digest.js';
import type { Subcommand } from './types.js';

export const digestSubcommand: Subcommand = {
  name: 'digest',
  help: '`/commit digest`: the weekly digest for this week so far (leadership only), privately',
  async run({ command, deps }) {
    if (!deps.config.leadership.includes(command.user_id)) {
      return {
        text: 'Only leadership can see the digest on demand. It is posted to the digest channel every week.',
      };
    }
    if (!deps.digest) return { text: 'The digest is not available here.' };
    const today = localDate(deps.clock.now(), deps.config.timezone);
    const digest = buildWeeklyDigest(deps.digest, today);
    const messages = buildDigestMessages(digest, {
      currency: deps.config.currency,
      timeZone: deps.config.timezone,
      title: 'This week so far',
    });
    // A private answer is one message: the first part, and a pointer when the week needs more.
    const [first] = messages;
    if (!first) return { text: 'Nothing to show yet.' };
    if (messages.length === 1) return first;
    return {
      text: first.text,
      blocks: [
        ...first.blocks,
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `${messages.length - 1} more part(s) did not fit here: run \`npm run digest -- --week-of ${today} --dry-run\` for all of it.`,
            },
          ],
        },
      ],
    };
  },
};
