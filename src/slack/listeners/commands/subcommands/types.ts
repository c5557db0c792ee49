import type { SlashCommand } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { ListenerDeps } from '../../deps.js';

/**
 * One `/commit <word> …` subcommand. `run` is called after the command has been acked, so it may
 * take its time; whatever it returns is answered privately to the person who typed it.
 * Returning `null` means it answered by itself (e.g. opened a modal).
 */
export interface Subcommand {
  /** The first word after /commit, lower-case (e.g. "show", "capacity"). */
  readonly name: string;
  /** One line for `/commit help`: usage and what it does, in mrkdwn. */
  readonly help: string;
  run(input: SubcommandInput): Promise<SubcommandReply | null>;
}

export interface SubcommandInput {
  readonly command: SlashCommand;
  /** The text after the subcommand word, trimmed. */
  readonly args: string;
  readonly client: WebClient;
  readonly deps: ListenerDeps;
}

/** A private answer: always a `text` fallback, blocks when they help. */
export interface SubcommandReply {
  readonly text: string;
  readonly blocks?: KnownBlock[];
}
