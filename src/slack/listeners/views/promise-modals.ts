// "Delivered in part" and "Will be late" submissions. Decided before ack (SQLite is fast), so a
// refusal shows on the form itself, on the field it concerns; nothing changes on a refusal.
import type { App } from '@slack/bolt';
import { userActor } from '../../../domain/actor.js';
import { isIsoDate } from '../../../domain/calendar.js';
import { type PromiseResult, recordDelivery, recordSlip } from '../../../services/promises.js';
import {
  decodeMeta,
  parseLateState,
  parsePartDeliveryState,
  promiseModalMetaSchema,
  viewStateSchema,
} from '../../codecs.js';
import { CALLBACKS, PROMISE_LATE_BLOCKS, PROMISE_PART_BLOCKS } from '../../ids.js';
import { promiseRefusalText } from '../../views/promises.js';
import { APOLOGY, type ListenerDeps } from '../deps.js';

type Errors = Record<string, string>;

/** Which field of the form a refusal concerns (the first one when it concerns the whole step). */
function fieldOf(
  r: Extract<PromiseResult, { ok: false }>,
  blocks: Record<string, string>,
  fallback: string,
): string {
  const field = 'field' in r ? r.field : null;
  if (r.reason === 'over_open_quantity') return blocks.quantity ?? fallback;
  if (field === 'deliveredOn') return blocks.deliveredOn ?? fallback;
  if (field === 'expectedOn') return blocks.expectedOn ?? blocks.restOn ?? fallback;
  if (field === 'quantity') return blocks.quantity ?? fallback;
  if (field === 'reason') return blocks.reason ?? fallback;
  return fallback;
}

export function register(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.promisePartModal, async ({ ack, body, view }) => {
    const log = deps.logger.child({ listener: 'promise_part_modal', user: body.user.id });
    const meta = decodeMeta(promiseModalMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) {
      log.warn('malformed part delivery submission');
      await ack({
        response_action: 'errors',
        errors: { [PROMISE_PART_BLOCKS.quantity]: 'This form is not valid. Nothing was changed.' },
      });
      return;
    }
    const input = parsePartDeliveryState(state.data);
    const errors: Errors = {};
    if (!input.deliveredOn || !isIsoDate(input.deliveredOn))
      errors[PROMISE_PART_BLOCKS.deliveredOn] = 'Pick the day it was delivered.';
    const quantity = /^\d+$/.test(input.quantity) ? Number(input.quantity) : Number.NaN;
    if (!Number.isInteger(quantity) || quantity < 1)
      errors[PROMISE_PART_BLOCKS.quantity] = 'Enter the quantity delivered, a whole number above 0.';
    if (!input.restOn || !isIsoDate(input.restOn))
      errors[PROMISE_PART_BLOCKS.restOn] = 'Pick the day the rest will be delivered.';
    if (Object.keys(errors).length || !input.deliveredOn || !input.restOn) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    try {
      const r = recordDelivery(deps.services, {
        requestId: meta.r,
        actor: userActor(body.user.id),
        deliveredOn: input.deliveredOn,
        quantity,
        restExpectedOn: input.restOn,
      });
      if (!r.ok) {
        await ack({
          response_action: 'errors',
          errors: {
            [fieldOf(r, PROMISE_PART_BLOCKS, PROMISE_PART_BLOCKS.quantity)]: promiseRefusalText(
              r,
              meta.r,
              deps.ctx,
            ),
          },
        });
        return;
      }
      log.info('part delivery recorded', { request: meta.r });
      await ack();
    } catch (error) {
      log.error('part delivery failed', error);
      await ack({ response_action: 'errors', errors: { [PROMISE_PART_BLOCKS.quantity]: APOLOGY } });
    }
  });

  app.view(CALLBACKS.promiseLateModal, async ({ ack, body, view }) => {
    const log = deps.logger.child({ listener: 'promise_late_modal', user: body.user.id });
    const meta = decodeMeta(promiseModalMetaSchema, view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) {
      log.warn('malformed will-be-late submission');
      await ack({
        response_action: 'errors',
        errors: { [PROMISE_LATE_BLOCKS.reason]: 'This form is not valid. Nothing was changed.' },
      });
      return;
    }
    const input = parseLateState(state.data);
    const errors: Errors = {};
    if (!input.expectedOn || !isIsoDate(input.expectedOn))
      errors[PROMISE_LATE_BLOCKS.expectedOn] = 'Pick the new delivery date.';
    if (!input.reason) errors[PROMISE_LATE_BLOCKS.reason] = 'Give a reason: the seller tells the customer.';
    if (Object.keys(errors).length || !input.expectedOn) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    try {
      const r = recordSlip(deps.services, {
        requestId: meta.r,
        actor: userActor(body.user.id),
        expectedOn: input.expectedOn,
        reason: input.reason,
      });
      if (!r.ok) {
        await ack({
          response_action: 'errors',
          errors: {
            [fieldOf(r, PROMISE_LATE_BLOCKS, PROMISE_LATE_BLOCKS.expectedOn)]: promiseRefusalText(
              r,
              meta.r,
              deps.ctx,
            ),
          },
        });
        return;
      }
      log.info('slip recorded', { request: meta.r, duplicate: r.duplicate });
      await ack();
    } catch (error) {
      log.error('slip failed', error);
      await ack({ response_action: 'errors', errors: { [PROMISE_LATE_BLOCKS.reason]: APOLOGY } });
    }
  });
}
