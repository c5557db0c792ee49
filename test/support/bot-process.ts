// How tests start the real bot as one process. `tsx src/main.ts` runs the bot in a child of the
// tsx CLI, so a SIGKILL to the spawned pid leaves the bot itself running as an orphan; node with
// tsx's loader is the bot's own process, which is what kill -9 and two-process tests need.
import { join } from 'node:path';
import { REQUEST_BLOCKS } from '../../src/slack/ids.js';
import { stateValue } from './fixtures.js';

export const root = new URL('../..', import.meta.url).pathname;

/** `spawn(...botCommand())`: the command and arguments that run src/main.ts in a single process. */
export function botCommand(): [string, string[]] {
  return [process.execPath, ['--import', join(root, 'node_modules/tsx/dist/loader.mjs'), 'src/main.ts']];
}

/** The request modal's state values for a widgets request (what a seller types), by block. */
export function requestFormValues(facts: { customer: string; quantity: string; value: string }) {
  const v = {
    [REQUEST_BLOCKS.customer]: stateValue.text(facts.customer),
    [REQUEST_BLOCKS.productLineId]: stateValue.select('widgets'),
    [REQUEST_BLOCKS.quantity]: stateValue.number(facts.quantity),
    [REQUEST_BLOCKS.value]: stateValue.text(facts.value),
    [REQUEST_BLOCKS.deliveryDate]: stateValue.date('2027-06-01'),
    [REQUEST_BLOCKS.paymentTermsDays]: stateValue.number('30'),
    [REQUEST_BLOCKS.discountPercent]: stateValue.number('0'),
    [REQUEST_BLOCKS.specialRequirements]: stateValue.text(null),
    [REQUEST_BLOCKS.dealReference]: stateValue.text(null),
  };
  return Object.fromEntries(
    Object.entries(v).map(([block, value]) => [block, { [`${block}_input`]: value }]),
  );
}
