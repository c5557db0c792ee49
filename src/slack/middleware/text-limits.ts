// Refuses, before any listener runs, a view submission whose text is longer than the bot accepts
// for that input (TEXT_LIMITS). The modal's max_length is only the client's word: a forged
// submission of 10,000 characters is answered on the field itself and nothing is stored.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../../logger.js';
import {
  CHANGES_BLOCKS,
  CONDITIONS_BLOCKS,
  OVERRIDE_BLOCKS,
  PROPOSE_BLOCKS,
  REJECT_BLOCKS,
  REQUEST_BLOCKS,
  WITHDRAW_BLOCKS,
} from '../ids.js';
import { TEXT_LIMITS } from '../limits.js';

/** Each text input's limit, by block id; inputs not listed get TEXT_LIMITS.other. */
const LIMIT_BY_BLOCK: Readonly<Record<string, number>> = {
  [REQUEST_BLOCKS.customer]: TEXT_LIMITS.customer,
  [REQUEST_BLOCKS.value]: TEXT_LIMITS.value,
  [REQUEST_BLOCKS.specialRequirements]: TEXT_LIMITS.specialRequirements,
  [REQUEST_BLOCKS.dealReference]: TEXT_LIMITS.dealReference,
  [REJECT_BLOCKS.reason]: TEXT_LIMITS.reason,
  [CONDITIONS_BLOCKS.conditions]: TEXT_LIMITS.reason,
  [PROPOSE_BLOCKS.note]: TEXT_LIMITS.reason,
  [WITHDRAW_BLOCKS.reason]: TEXT_LIMITS.reason,
  [OVERRIDE_BLOCKS.reason]: TEXT_LIMITS.reason,
  [CHANGES_BLOCKS.reason]: TEXT_LIMITS.reason,
};

export const limitFor = (blockId: string): number => LIMIT_BY_BLOCK[blockId] ?? TEXT_LIMITS.other;

const textValues = z.looseObject({
  view: z.looseObject({
    state: z.looseObject({
      values: z.record(
        z.string(),
        z.record(z.string(), z.looseObject({ value: z.string().nullable().optional() })),
      ),
    }),
  }),
});

/** `response_action: errors` for every input over its limit, or null when all fit. */
export function overLimit(body: unknown): Record<string, string> | null {
  const parsed = textValues.safeParse(body);
  if (!parsed.success) return null; // not text inputs: the listeners' own codecs judge the rest
  const errors: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(parsed.data.view.state.values)) {
    for (const element of Object.values(actions)) {
      const length = element.value?.length ?? 0;
      const limit = limitFor(blockId);
      if (length > limit)
        errors[blockId] =
          `Keep this under ${limit.toLocaleString('en-US')} characters (it has ${length.toLocaleString('en-US')}). Nothing was saved.`;
    }
  }
  return Object.keys(errors).length ? errors : null;
}

export function textLimits(deps: { logger: AppLogger }): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    if ((args.body as { type?: unknown }).type === 'view_submission' && 'view' in args) {
      const errors = overLimit(args.body);
      if (errors) {
        deps.logger.warn('view submission over a text limit refused', { blocks: Object.keys(errors) });
        await args.ack({ response_action: 'errors', errors });
        return;
      }
    }
    await args.next();
  };
}
