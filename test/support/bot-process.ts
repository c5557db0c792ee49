// How tests start the real bot as one process. `tsx src/main.ts` runs the bot in a child of the
// tsx CLI, so a SIGKILL to the spawned pid leaves the bot itself running as an orphan; node with
// tsx's loader is the bot's own process, which is what kill -9 and two-process tests need.
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

/** `spawn(...botCommand())`: the command and arguments that run src/main.ts in a single process. */
export function botCommand(): [string, string[]] {
  return [process.execPath, ['--import', join(root, 'node_modules/tsx/dist/loader.mjs'), 'src/main.ts']];
}
