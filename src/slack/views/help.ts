import type { KnownBlock } from '@slack/types';
import { LIMITS } from '../limits.js';
import type { Subcommand } from '../listeners/commands/subcommands/types.js';
import { clamp } from '../mrkdwn.js';
import type { SlackMessage } from './request-messages.js';

export function buildHelp(subcommands: readonly Pick<Subcommand, 'help'>[] = []): SlackMessage {
  const text = [
    '*commit-gate* checks with operations, quality, finance and people before you promise a customer.',
    '',
    '• `/commit` opens the request form.',
    '• `/commit Acme 120 widgets by 2026-12-15 $75k net 60` opens it prefilled with what it understood.',
    ...subcommands.map((s) => `• ${s.help}`),
    '• `/commit help` shows this message.',
    '',
    'Your request is posted to the requests channel; each function that must sign off is asked in its thread. You get a direct message when you may commit, or why not.',
  ].join('\n');
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) } },
  ];
  return { text: 'How to use /commit', blocks };
}
