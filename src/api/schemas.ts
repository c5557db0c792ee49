// Every body, query, path parameter and answer of the HTTP API, as zod schemas: the server parses
// with them, the handlers' answers are typed by them, and the OpenAPI document is generated from
// them (src/api/openapi.ts). Names are INTERFACE.md's ("HTTP API"): snake_case, dates YYYY-MM-DD,
// money in whole minor units.
import { z } from 'zod';
import { isIsoDate } from '../domain/calendar.js';
import { parseRequestRef } from '../domain/request.js';

export const isoDate = z
  .string()
  .refine(isIsoDate, 'expected a date YYYY-MM-DD')
  .meta({ format: 'date', example: '2027-02-01' });
const instant = z.iso.datetime().meta({ example: '2026-11-23T15:00:00.000Z' });
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id (U… or W…)');
const wholeNumber = z.number().int('expected a whole number');
const externalId = z
  .string()
  .trim()
  .min(1, 'expected a non-empty id')
  .max(200, 'expected at most 200 characters')
  .optional()
  .meta({
    description:
      'Your id for this write. Sending the same external_id again returns the first answer and changes nothing.',
  });

// --- path parameters -------------------------------------------------------------------------

export const referenceParams = z.strictObject({
  reference: z
    .string()
    .refine(
      (v) => /^CG-\d{1,12}$/i.test(v) && parseRequestRef(v) !== null,
      'expected a reference such as CG-12',
    )
    .meta({ example: 'CG-12' }),
});

export const capacityParams = z.strictObject({
  product_line: z.string().min(1).meta({ example: 'widgets' }),
  date: isoDate.meta({ description: 'Any day of the week to set (weeks start on Monday).' }),
});

// --- bodies ----------------------------------------------------------------------------------

export const createRequestBody = z.strictObject({
  seller: slackUserId.optional().meta({ description: 'The seller: a Slack user id. Or give seller_email.' }),
  seller_email: z
    .email('expected an email address')
    .optional()
    .meta({ description: "The seller's Slack email (resolved with users.lookupByEmail)." }),
  customer: z.string().meta({ example: 'Acme Corp' }),
  product_line: z.string().meta({ example: 'widgets' }),
  quantity: wholeNumber.positive('expected more than zero'),
  value_minor: wholeNumber.positive('expected more than zero').meta({
    description: 'Commitment value in minor units of the configured currency (cents for USD).',
  }),
  delivery_date: isoDate,
  payment_terms_days: wholeNumber.min(0).optional().meta({ description: 'Default 30.' }),
  discount_percent: z.number().min(0).max(100).optional().meta({ description: 'Default 0.' }),
  special_requirements: z.string().nullable().optional(),
  deal_reference: z.string().nullable().optional(),
  external_id: externalId,
});

export const deliveryBody = z.strictObject({
  delivered_on: isoDate.optional().meta({ description: 'Default: today in the configured time zone.' }),
  quantity: wholeNumber.positive('expected more than zero').optional().meta({
    description: 'Default: the whole open quantity.',
  }),
  external_id: externalId,
});

export const slipBody = z.strictObject({
  expected_on: isoDate,
  reason: z.string().trim().min(1, 'required'),
  external_id: externalId,
});

export const QUALITY_KINDS = ['rework', 'return', 'complaint', 'other'] as const;

export const issueBody = z.strictObject({
  reported_on: isoDate.optional().meta({ description: 'Default: today in the configured time zone.' }),
  kind: z.enum(QUALITY_KINDS, { error: `expected one of ${QUALITY_KINDS.join(', ')}` }),
  note: z.string().trim().min(1, 'required'),
  quantity: wholeNumber.positive('expected more than zero').optional(),
  external_id: externalId,
});

export const paymentBody = z.strictObject({
  paid_on: isoDate.optional().meta({ description: 'Default: today in the configured time zone.' }),
  amount_minor: wholeNumber.positive('expected more than zero').optional().meta({
    description: 'Default: the whole open value.',
  }),
  external_id: externalId,
});

export const capacityBody = z.strictObject({
  capacity: wholeNumber.min(0, 'expected 0 or more'),
  external_id: externalId,
});

// --- queries ---------------------------------------------------------------------------------

export const PROMISE_STATE_NAMES = [
  'open',
  'at_risk',
  'overdue',
  'delivered',
  'partly_delivered',
  'cancelled',
] as const;

export const promisesQuery = z.strictObject({
  state: z
    .string()
    .optional()
    .meta({ description: `One state or several, comma-separated: ${PROMISE_STATE_NAMES.join(', ')}.` })
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const states = v.split(',').map((s) => s.trim());
      const wrong = states.filter((s) => !(PROMISE_STATE_NAMES as readonly string[]).includes(s));
      if (wrong.length) {
        ctx.addIssue({ code: 'custom', message: `expected one of ${PROMISE_STATE_NAMES.join(', ')}` });
        return z.NEVER;
      }
      return states as (typeof PROMISE_STATE_NAMES)[number][];
    }),
  due_before: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

// --- answers ---------------------------------------------------------------------------------

export const errorAnswer = z
  .strictObject({
    error: z.string().meta({ description: 'invalid, unauthorized, not_found, a state refusal, too_large …' }),
    message: z.string(),
    fields: z.record(z.string(), z.string()).meta({ description: 'field → what is wrong with it' }),
  })
  .meta({ id: 'Error' });

const capacityView = z
  .strictObject({
    verdict: z.enum(['no_capacity_configured', 'fits', 'fits_if_pending_fall_through', 'over']),
    week_start: isoDate,
    capacity: z.number().nullable(),
    load_firm: z.number().nullable(),
    load_tentative: z.number().nullable(),
    earliest_feasible_date: isoDate.nullable(),
  })
  .meta({ id: 'CapacityCheck' });

export const requestView = z
  .strictObject({
    reference: z.string().meta({ example: 'CG-12' }),
    status: z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'expired']),
    version: z.number().int(),
    seller: z.string(),
    customer: z.string(),
    product_line: z.string(),
    quantity: z.number().int(),
    value_minor: z.number().int(),
    currency: z.string(),
    delivery_date: isoDate,
    payment_terms_days: z.number().int(),
    discount_percent: z.number(),
    special_requirements: z.string().nullable(),
    deal_reference: z.string().nullable(),
    created_at: instant,
    closed_at: instant.nullable(),
    capacity: capacityView.nullable(),
    override: z.strictObject({ by: z.string(), reason: z.string(), at: instant }).nullable(),
  })
  .meta({ id: 'Request' });

export const signOffView = z
  .strictObject({
    function: z.string(),
    label: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    approvals_needed: z.number().int(),
    owners: z.array(z.string()),
    approvals: z.array(
      z.strictObject({
        user: z.string(),
        at: instant,
        conditions: z.string().nullable(),
        on_behalf_of: z.string().nullable(),
      }),
    ),
    rejection: z.strictObject({ user: z.string(), reason: z.string(), at: instant }).nullable(),
    proposal: z
      .strictObject({ user: z.string(), date: isoDate, note: z.string().nullable(), at: instant })
      .nullable(),
    asked_at: instant,
    decided_at: instant.nullable(),
  })
  .meta({ id: 'SignOff' });

export const historyEntry = z
  .strictObject({
    type: z.string().meta({ example: 'request.submitted' }),
    actor: z
      .string()
      .nullable()
      .meta({ description: "A Slack user id, 'api' for this API, or null (commit-gate)" }),
    at: instant,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'HistoryEntry' });

const dated = (day: string) => ({ [day]: isoDate, recorded_by: z.string(), at: instant });

export const promiseView = z
  .strictObject({
    reference: z.string(),
    state: z.enum(PROMISE_STATE_NAMES),
    seller: z.string(),
    customer: z.string(),
    product_line: z.string(),
    quantity: z.number().int(),
    delivered_quantity: z.number().int(),
    open_quantity: z.number().int(),
    value_minor: z.number().int(),
    paid_minor: z.number().int(),
    payment_terms_days: z.number().int(),
    promised_on: isoDate,
    expected_on: isoDate.nullable(),
    cleared_at: instant,
    cleared_via: z.enum(['signoffs', 'no_signoff_needed', 'override', 'fast_lane']),
    on_time_in_full: z.boolean(),
    payment_due_on: isoDate.nullable(),
    deliveries: z.array(z.strictObject({ ...dated('delivered_on'), quantity: z.number().int() })),
    slips: z.array(z.strictObject({ ...dated('expected_on'), reason: z.string() })),
    issues: z.array(
      z.strictObject({
        ...dated('reported_on'),
        kind: z.enum(QUALITY_KINDS),
        note: z.string(),
        quantity: z.number().int().nullable(),
      }),
    ),
    payments: z.array(z.strictObject({ ...dated('paid_on'), amount_minor: z.number().int() })),
    cancellation: z.strictObject({ reason: z.string(), by: z.string(), at: instant }).nullable(),
  })
  .meta({ id: 'Promise' });

export const requestCreatedAnswer = z
  .strictObject({ reference: z.string().meta({ example: 'CG-12' }), request: requestView })
  .meta({ id: 'RequestCreated' });

export const requestDetailAnswer = z
  .strictObject({
    request: requestView,
    sign_offs: z.array(signOffView),
    promise: promiseView.nullable(),
    history: z.array(historyEntry),
  })
  .meta({ id: 'RequestDetail' });

export const promisesAnswer = z.strictObject({ promises: z.array(promiseView) }).meta({ id: 'PromiseList' });

export const promiseAnswer = z
  .strictObject({ reference: z.string(), promise: promiseView })
  .meta({ id: 'PromiseAnswer' });

export const capacityAnswer = z
  .strictObject({
    product_line: z.string(),
    week_start: isoDate,
    capacity: z.number().int(),
    load: z.number().int(),
    percent: z.number().int().nullable(),
  })
  .meta({ id: 'CapacityWeek' });

export type ErrorAnswer = z.infer<typeof errorAnswer>;
export type RequestView = z.input<typeof requestView>;
export type SignOffView = z.input<typeof signOffView>;
export type HistoryEntry = z.input<typeof historyEntry>;
export type PromiseView = z.input<typeof promiseView>;
