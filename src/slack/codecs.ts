// Everything that crosses Slack's boundary into the bot is parsed here with zod: button values,
// private_metadata and view state. A value that does not parse is refused, never guessed at.
import { z } from 'zod';
import type { RawRequestInput, RequestField } from '../domain/validation.js';
import {
  CONDITIONS_BLOCKS,
  INPUT_SUFFIX,
  PROMISE_LATE_BLOCKS,
  PROMISE_PART_BLOCKS,
  PROPOSE_BLOCKS,
  REJECT_BLOCKS,
  REQUEST_BLOCKS,
} from './ids.js';
import { LIMITS, slackSafe } from './limits.js';

/**
 * The request's button key (requests.button_key), carried by every button and modal of a request
 * and compared with the stored one on every click and submission (middleware/request-key.ts):
 * ids and references are reused when a backup is restored, keys never are.
 */
const buttonKey = z.string().regex(/^[0-9a-f]{32}$/);

/** What a decision button carries: the sign-off, the request version it was rendered for, the key. */
export const signOffButtonSchema = z.strictObject({
  s: z.number().int().positive(),
  v: z.number().int().positive(),
  k: buttonKey,
});
export type SignOffButton = z.infer<typeof signOffButtonSchema>;

export function encodeSignOffButton(value: SignOffButton): string {
  return JSON.stringify(value);
}

export function decodeSignOffButton(raw: unknown): SignOffButton | null {
  if (typeof raw !== 'string') return null;
  try {
    const parsed = signOffButtonSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** private_metadata of the request modal: where /commit was typed, so private replies land there. */
export const requestModalMetaSchema = z.strictObject({
  channel: z.string().max(64).nullable(),
  /** Present when the modal revises an existing request: which one, at which version. */
  revise: z
    .strictObject({ r: z.number().int().positive(), v: z.number().int().positive(), k: buttonKey })
    .optional(),
});
export type RequestModalMeta = z.infer<typeof requestModalMetaSchema>;

/** private_metadata of the reject modal: the sign-off, version, and where the click happened. */
export const rejectModalMetaSchema = z.strictObject({
  s: z.number().int().positive(),
  v: z.number().int().positive(),
  k: buttonKey,
  channel: z.string().max(64).nullable(),
  thread: z.string().max(64).nullable(),
});
export type RejectModalMeta = z.infer<typeof rejectModalMetaSchema>;

/** What a request-level button (Withdraw, Override) carries: the request and its version. */
export const requestButtonSchema = z.strictObject({
  r: z.number().int().positive(),
  v: z.number().int().positive(),
  k: buttonKey,
});
export type RequestButton = z.infer<typeof requestButtonSchema>;

export function encodeRequestButton(value: RequestButton): string {
  return JSON.stringify(value);
}

export function decodeRequestButton(raw: unknown): RequestButton | null {
  if (typeof raw !== 'string') return null;
  try {
    const parsed = requestButtonSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * What a promise button carries: the request, and the due date it was rendered for (a button
 * from before a slip still acts on the promise as it is now; the date only words the answer).
 */
export const promiseButtonSchema = z.strictObject({
  r: z.number().int().positive(),
  d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The request's button key, where requests have one (issue 20): checked like every button's. */
  k: z.string().max(64).optional(),
});
export type PromiseButton = z.infer<typeof promiseButtonSchema>;

export function encodePromiseButton(value: PromiseButton): string {
  return JSON.stringify(value);
}

export function decodePromiseButton(raw: unknown): PromiseButton | null {
  return decodeMeta(promiseButtonSchema, raw);
}

/** private_metadata of the "Delivered in part" and "Will be late" modals. */
export const promiseModalMetaSchema = z.strictObject({
  r: z.number().int().positive(),
  k: z.string().max(64).optional(),
  channel: z.string().max(64).nullable(),
  thread: z.string().max(64).nullable(),
});
export type PromiseModalMeta = z.infer<typeof promiseModalMetaSchema>;

/** private_metadata of the withdraw and override modals. */
export const requestModalActionMetaSchema = z.strictObject({
  r: z.number().int().positive(),
  v: z.number().int().positive(),
  k: buttonKey,
});
export type RequestActionMeta = z.infer<typeof requestModalActionMetaSchema>;

export function encodeMeta<T>(value: T): string {
  return JSON.stringify(value);
}

export function decodeMeta<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> | null {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// view.state.values[block_id][action_id], as Slack documents each element's value.
// Text is cleaned of what Slack cannot carry here, once, for every input; lengths per input are
// checked by the view-submission middleware (middleware/text-limits.ts) with the TEXT_LIMITS table.
const stateValueSchema = z.looseObject({
  type: z.string(),
  value: z.string().max(LIMITS.textInputMax).transform(slackSafe).nullable().optional(),
  selected_date: z.string().nullable().optional(),
  selected_option: z.looseObject({ value: z.string() }).nullable().optional(),
});
export const viewStateSchema = z.record(z.string(), z.record(z.string(), stateValueSchema));
export type ViewState = z.infer<typeof viewStateSchema>;

function inputValue(state: ViewState, blockId: string): string | null {
  const element = state[blockId]?.[`${blockId}${INPUT_SUFFIX}`];
  if (!element) return null;
  return element.value ?? element.selected_date ?? element.selected_option?.value ?? null;
}

export function parseRequestState(state: ViewState): RawRequestInput {
  const out: Partial<Record<RequestField, string | null>> = {};
  for (const [field, blockId] of Object.entries(REQUEST_BLOCKS) as [RequestField, string][]) {
    out[field] = inputValue(state, blockId);
  }
  return out;
}

export function parseRejectState(state: ViewState): { reason: string } {
  return { reason: (inputValue(state, REJECT_BLOCKS.reason) ?? '').trim() };
}

export function parseConditionsState(state: ViewState): { conditions: string } {
  return { conditions: (inputValue(state, CONDITIONS_BLOCKS.conditions) ?? '').trim() };
}

export function parseProposeState(state: ViewState): { date: string | null; note: string | null } {
  const date = inputValue(state, PROPOSE_BLOCKS.date);
  const note = (inputValue(state, PROPOSE_BLOCKS.note) ?? '').trim();
  return { date: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null, note: note || null };
}

export function parseReasonState(state: ViewState, blockId: string): string {
  return (inputValue(state, blockId) ?? '').trim();
}

export function parsePartDeliveryState(state: ViewState): {
  deliveredOn: string | null;
  quantity: string;
  restOn: string | null;
} {
  return {
    deliveredOn: inputValue(state, PROMISE_PART_BLOCKS.deliveredOn),
    quantity: (inputValue(state, PROMISE_PART_BLOCKS.quantity) ?? '').trim(),
    restOn: inputValue(state, PROMISE_PART_BLOCKS.restOn),
  };
}

export function parseLateState(state: ViewState): { expectedOn: string | null; reason: string } {
  return {
    expectedOn: inputValue(state, PROMISE_LATE_BLOCKS.expectedOn),
    reason: (inputValue(state, PROMISE_LATE_BLOCKS.reason) ?? '').trim(),
  };
}

/** Where a button value or private_metadata points, and the key it carries (absent: none). */
export type KeyedTarget =
  | { readonly signOffId: number; readonly key: string | null }
  | { readonly requestId: number; readonly key: string | null };

/**
 * The request (or sign-off) a button value or private_metadata refers to, read loosely so that a
 * value with a missing or wrong key is still recognised (and refused as out of date); null for
 * values that refer to no request (a form with no request yet, a digest preview).
 */
export function keyedTarget(raw: unknown): KeyedTarget | null {
  if (typeof raw !== 'string' || raw === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const loose = z.looseObject({
    s: z.number().int().positive().optional(),
    r: z.number().int().positive().optional(),
    k: z.unknown().optional(),
    revise: z.looseObject({ r: z.number().int().positive(), k: z.unknown().optional() }).optional(),
  });
  const parsed = loose.safeParse(value);
  if (!parsed.success) return null;
  const keyOf = (k: unknown) => (typeof k === 'string' ? k : null);
  const { s, r, k, revise } = parsed.data;
  if (s !== undefined) return { signOffId: s, key: keyOf(k) };
  if (r !== undefined) return { requestId: r, key: keyOf(k) };
  if (revise) return { requestId: revise.r, key: keyOf(revise.k) };
  return null;
}
