// Every `/commit <word>` subcommand, in the order `/commit help` lists them. A feature adds its
// file beside this one and one line here; the /commit listener needs no change.
import { away, back } from './away.js';
import { capacitySubcommand } from './capacity.js';
import { digestSubcommand } from './digest.js';
import { PROMISE_SUBCOMMANDS } from './promises.js';
import { show } from './show.js';
import type { Subcommand } from './types.js';

export const SUBCOMMANDS: readonly Subcommand[] = [
  show,
  ...PROMISE_SUBCOMMANDS,
  capacitySubcommand,
  away,
  back,
  digestSubcommand,
];
