// `/commit digest`: leadership's private look at the week so far (Monday 00:00 to now). The App
// Home "Preview digest" button shows the same (weekSoFar), in a modal.
import { type IsoDate, localDate } from '../../../../domain/calendar.js';
import { buildWeeklyDigest } from '../../../../services/weekly-digest.js';
import { buildDigestMessages, moreParts } from '../../../views/digest.js';
import type { SlackMessage } from '../../../views/request-messages.js';
import type { ListenerDeps } from '../../deps.js';
import type { Subcommand } from './types.js';

export const DIGEST_REFUSAL =
  'Only leadership can see the digest on demand. It is posted to the digest channel every week.';

export type WeekSoFar =
  | { readonly ok: true; readonly messages: readonly SlackMessage[]; readonly today: IsoDate }
  | { readonly ok: false; readonly text: string };

/** The digest of this week so far as its messages, for leadership; a refusal for anyone else. */
export function weekSoFar(deps: ListenerDeps, userId: string): WeekSoFar {
  if (!deps.config.leadership.includes(userId)) return { ok: false, text: DIGEST_REFUSAL };
  if (!deps.digest) return { ok: false, text: 'The digest is not available here.' };
  const today = localDate(deps.clock.now(), deps.config.timezone);
  const digest = buildWeeklyDigest(deps.digest, today);
  return {
    ok: true,
    today,
    messages: buildDigestMessages(digest, {
      currency: deps.config.currency,
      timeZone: deps.config.timezone,
      locale: deps.config.locale,
      title: 'This week so far',
    }),
  };
}

export const digestSubcommand: Subcommand = {
  name: 'digest',
  help: '`/commit digest`: the weekly digest for this week so far (leadership only), privately',
  async run({ command, deps }) {
    const week = weekSoFar(deps, command.user_id);
    if (!week.ok) return { text: week.text };
    // A private answer is one message: the first part, and a pointer when the week needs more.
    const [first] = week.messages;
    if (!first) return { text: 'Nothing to show yet.' };
    if (week.messages.length === 1) return first;
    return {
      text: first.text,
      blocks: [...first.blocks, moreParts(week.messages.length - 1, week.today)],
    };
  },
};
