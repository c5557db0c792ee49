// The HTTP API's routes (INTERFACE.md "HTTP API"). Each handler parses nothing itself (the
// schemas did), calls the one service the Slack listener for the same thing calls, and maps the
// service's answer to a status: refusals are values there, so no rule is copied here.
import { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import { minorToInput } from '../domain/money.js';
import { parseRequestRef, requestRef } from '../domain/request.js';
import type { RequestField } from '../domain/validation.js';
import { setCapacity } from '../services/capacity.js';
import type { ServiceDeps } from '../services/deps.js';
import {
  listPromises,
  loadPromise,
  type PromiseResult,
  recordDelivery,
  recordPayment,
  recordSlip,
  reportQualityIssue,
  type ServiceRefusal,
} from '../services/promises.js';
import { historyOf } from '../services/request-history.js';
import { submitRequest } from '../services/submit-request.js';
import { buildOpenApiDocument } from './openapi.js';
import { type Answer, answer, apiError, defineRoute, type Route, type RouteContext } from './route.js';
import {
  capacityAnswer,
  capacityBody,
  capacityParams,
  createRequestBody,
  deliveryBody,
  errorAnswer,
  issueBody,
  paymentBody,
  promiseAnswer,
  promisesAnswer,
  promisesQuery,
  referenceParams,
  requestCreatedAnswer,
  requestDetailAnswer,
  slipBody,
} from './schemas.js';
import { historyEntryOf, promiseViewOf, requestViewOf, signOffViewOf } from './views.js';

/** Finds a Slack user by email (users.lookupByEmail). */
export interface SellerDirectory {
  idForEmail(
    email: string,
  ): Promise<{ ok: true; userId: string } | { ok: false; reason: 'not_found' | 'unavailable' }>;
}

export interface ApiRouteDeps {
  readonly services: ServiceDeps;
  readonly sellers: SellerDirectory;
}

/** The form's field names → the API's, for validation errors. */
const REQUEST_FIELD_NAMES: Readonly<Record<RequestField, string>> = {
  customer: 'customer',
  productLineId: 'product_line',
  quantity: 'quantity',
  value: 'value_minor',
  deliveryDate: 'delivery_date',
  paymentTermsDays: 'payment_terms_days',
  discountPercent: 'discount_percent',
  specialRequirements: 'special_requirements',
  dealReference: 'deal_reference',
};

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description:
          {
            400: 'Invalid input: `fields` names each wrong or unknown field',
            401: 'Missing or wrong Bearer token; nothing changed',
            404: 'Unknown reference (or product line)',
            409: 'Not allowed in the current state, or external_id used for another call',
            413: 'Body over 64 KB',
          }[s] ?? 'Error',
        schema: errorAnswer,
      },
    ]),
  );

const notFound = (reference: string) =>
  apiError(404, 'not_found', `No request ${reference}.`, { reference: 'unknown' });

/** A promise service's refusal as an answer: 404 unknown, 409 the state refuses, 400 bad input. */
export function promiseRefusalAnswer(reference: string, refusal: ServiceRefusal): Answer {
  switch (refusal.reason) {
    case 'unknown_request':
      return notFound(reference);
    case 'not_cleared':
      return apiError(409, 'not_cleared', `${reference} is ${refusal.status}: it is no promise yet.`);
    case 'not_allowed':
      // An API actor is trusted by the service; kept for completeness of the mapping.
      return apiError(409, 'not_allowed', `Only ${refusal.allowed.join(' or ')} may do that.`);
    case 'cancelled':
      return apiError(409, 'cancelled', `${reference} was cancelled.`);
    case 'already_delivered':
      return apiError(409, 'already_delivered', `${reference} is already delivered in full.`);
    case 'not_delivered':
      return apiError(409, 'not_delivered', `${reference} has no delivery yet.`);
    case 'already_paid':
      return apiError(409, 'already_paid', `${reference} is already paid in full.`);
    case 'not_due':
      return apiError(409, 'not_due', `${reference} is not due (due on ${refusal.dueOn}).`);
    case 'over_open_quantity':
      return apiError(409, 'over_open_quantity', `Only ${refusal.open} are still open on ${reference}.`, {
        quantity: `more than the open quantity (${refusal.open})`,
      });
    case 'over_delivered_quantity':
      return apiError(
        409,
        'over_delivered_quantity',
        `Only ${refusal.delivered} were delivered on ${reference}.`,
        {
          quantity: `more than the delivered quantity (${refusal.delivered})`,
        },
      );
    case 'over_open_value':
      return apiError(
        409,
        'over_open_value',
        `Only ${refusal.openMinor} (minor units) is still unpaid on ${reference}.`,
        {
          amount_minor: `more than the open value (${refusal.openMinor})`,
        },
      );
    case 'before_clearance':
      return invalidField(refusal.field, `before the promise was cleared (${refusal.clearedOn})`);
    case 'in_future':
      return invalidField(refusal.field, `in the future (today is ${refusal.today})`);
    case 'in_past':
      return invalidField(refusal.field, `in the past (today is ${refusal.today})`);
    case 'not_later':
      return invalidField(refusal.field, `not after the promised date (${refusal.promisedOn})`);
    case 'invalid':
      return invalidField(refusal.field, refusal.message);
  }
}

/** The domain's field names (deliveredOn) are the API's in snake_case (delivered_on). */
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function invalidField(field: string, problem: string): Answer {
  const name = snake(field);
  return apiError(400, 'invalid', `Invalid ${name}: ${problem}.`, { [name]: problem });
}

export function createRoutes(deps: ApiRouteDeps): Route[] {
  const { services, sellers } = deps;
  const { config } = services;
  // Services kick the outbox after their transaction; the API may wrap that transaction in its
  // own (the stored idempotent answer), so the kick waits for the outer commit.
  const api: ServiceDeps = { ...services, onNotify: () => setImmediate(services.onNotify) };

  const promiseOrNull = (requestId: number) => {
    const p = loadPromise(services, requestId);
    return p ? promiseViewOf(p) : null;
  };

  /** The shared part of POST /api/v1/promises/{reference}/<step>. */
  const stepRoute = (step: string, operationId: string, summary: string) =>
    ({
      method: 'POST',
      path: `/api/v1/promises/{reference}/${step}`,
      operationId,
      summary,
      params: referenceParams,
      responses: {
        201: { description: 'Recorded; the promise as it now stands', schema: promiseAnswer },
        ...errors(400, 401, 404, 409, 413),
      },
    }) as const;

  /** Runs one promise service idempotently and maps its answer: its refusals are mapped once. */
  const step = (
    reference: string,
    externalId: string | undefined,
    ctx: RouteContext,
    run: (requestId: number, actor: Actor) => PromiseResult,
  ): Answer => {
    const requestId = parseRequestRef(reference);
    if (requestId === null) return notFound(reference);
    const ref = requestRef(requestId);
    return ctx.once(externalId, () => {
      const result = run(requestId, ctx.actor);
      if (!result.ok) return promiseRefusalAnswer(ref, result);
      return answer(201, promiseAnswer, { reference: ref, promise: promiseViewOf(result.promise) });
    });
  };

  const routes: Route[] = [
    defineRoute({
      method: 'GET',
      path: '/api/v1/openapi.json',
      operationId: 'getOpenApi',
      summary: 'The OpenAPI 3.1 document of this API (no token needed)',
      public: true,
      responses: {
        200: { description: 'The OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) },
      },
      handle: () => ({ status: 200, body: document() }),
    }),

    defineRoute({
      method: 'POST',
      path: '/api/v1/requests',
      operationId: 'createRequest',
      summary: 'Create a request as if the seller had submitted the form',
      body: createRequestBody,
      responses: {
        201: {
          description: 'Created: posted to the requests channel and routed',
          schema: requestCreatedAnswer,
        },
        ...errors(400, 401, 409, 413),
      },
      async handle({ body }, ctx): Promise<Answer> {
        if ((body.seller === undefined) === (body.seller_email === undefined))
          return apiError(
            400,
            'invalid',
            'Give the seller as seller (a Slack user id) or seller_email, one of them.',
            {
              seller: 'give seller or seller_email (one of them)',
            },
          );
        let sellerId = body.seller;
        if (sellerId === undefined && body.seller_email !== undefined) {
          const found = await sellers.idForEmail(body.seller_email);
          if (!found.ok && found.reason === 'unavailable')
            return apiError(
              503,
              'slack_unavailable',
              'Slack could not be asked who has that email; try again.',
            );
          if (!found.ok)
            return apiError(400, 'invalid', 'No Slack user has that email.', {
              seller_email: 'no Slack user has this email',
            });
          sellerId = found.userId;
        }
        const seller = sellerId ?? '';
        return ctx.once(body.external_id, () => {
          const result = submitRequest(api, {
            sellerId: seller,
            actor: ctx.actor,
            sourceChannelId: null,
            raw: {
              customer: body.customer,
              productLineId: body.product_line,
              quantity: String(body.quantity),
              value: minorToInput(body.value_minor, config.currency),
              deliveryDate: body.delivery_date,
              paymentTermsDays:
                body.payment_terms_days === undefined ? null : String(body.payment_terms_days),
              discountPercent: body.discount_percent === undefined ? null : String(body.discount_percent),
              specialRequirements: body.special_requirements ?? null,
              dealReference: body.deal_reference ?? null,
            },
          });
          if (!result.ok) {
            const fields = Object.fromEntries(
              Object.entries(result.errors).map(([k, v]) => [REQUEST_FIELD_NAMES[k as RequestField] ?? k, v]),
            );
            return apiError(400, 'invalid', `Invalid ${Object.keys(fields).join(', ')}.`, fields);
          }
          return answer(201, requestCreatedAnswer, {
            reference: requestRef(result.request.id),
            request: requestViewOf(result.request, config.currency),
          });
        });
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/api/v1/requests/{reference}',
      operationId: 'getRequest',
      summary: 'The request, its sign-offs, its promise and its history',
      params: referenceParams,
      responses: { 200: { description: 'The request', schema: requestDetailAnswer }, ...errors(401, 404) },
      handle({ params }) {
        const id = parseRequestRef(params.reference);
        const found = id === null ? null : historyOf(services, id);
        if (!found || id === null) return notFound(params.reference);
        return answer(200, requestDetailAnswer, {
          request: requestViewOf(found.request, config.currency),
          sign_offs: found.request.signOffs.map(signOffViewOf),
          promise: promiseOrNull(id),
          history: found.events.map(historyEntryOf),
        });
      },
    }),

    defineRoute({
      method: 'PUT',
      path: '/api/v1/capacity/{product_line}/{date}',
      operationId: 'setCapacity',
      summary: 'Set the capacity of the week containing that date (as /commit capacity does)',
      params: capacityParams,
      body: capacityBody,
      responses: {
        200: { description: 'The week as it now stands', schema: capacityAnswer },
        ...errors(400, 401, 404, 409, 413),
      },
      handle({ params, body }, ctx) {
        return ctx.once(body.external_id, () => {
          const result = setCapacity(api, {
            actor: ctx.actor,
            productLineId: params.product_line,
            from: params.date,
            capacity: body.capacity,
          });
          if (!result.ok) {
            switch (result.reason) {
              case 'unknown_product_line':
                return apiError(404, 'not_found', `No product line "${params.product_line}".`, {
                  product_line: 'unknown',
                });
              case 'no_capacity_configured':
                return apiError(
                  409,
                  'no_capacity_configured',
                  `${params.product_line} has no capacity_per_week in the config.`,
                  {
                    product_line: 'has no capacity per week configured',
                  },
                );
              case 'in_the_past':
                return apiError(400, 'invalid', 'That week is in the past.', {
                  date: 'the week is in the past',
                });
              case 'invalid_capacity':
                return apiError(400, 'invalid', 'Invalid capacity.', {
                  capacity: 'expected a whole number, 0 or more',
                });
              default:
                return apiError(409, result.reason, `Refused: ${result.reason}.`);
            }
          }
          const week = result.weeks[0];
          if (!week) throw new Error('setCapacity answered no week');
          return answer(200, capacityAnswer, {
            product_line: params.product_line,
            week_start: week.weekStart,
            capacity: week.capacity,
            load: week.load,
            percent: week.percent,
          });
        });
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/api/v1/promises',
      operationId: 'listPromises',
      summary: 'Promises, soonest due first',
      query: promisesQuery,
      responses: { 200: { description: 'The promises', schema: promisesAnswer }, ...errors(400, 401) },
      handle({ query }) {
        const list = listPromises(services, {
          ...(query.state ? { states: query.state } : {}),
          ...(query.due_before ? { dueBefore: query.due_before } : {}),
          ...(query.limit ? { limit: query.limit } : {}),
        });
        return answer(200, promisesAnswer, { promises: list.map(promiseViewOf) });
      },
    }),

    defineRoute({
      ...stepRoute(
        'deliveries',
        'recordDelivery',
        'Record a delivery (default: today, the whole open quantity)',
      ),
      body: deliveryBody,
      handle: ({ params, body }, ctx) =>
        step(params.reference, body.external_id, ctx, (requestId, actor) =>
          recordDelivery(api, {
            requestId,
            actor,
            ...(body.delivered_on === undefined ? {} : { deliveredOn: body.delivered_on }),
            ...(body.quantity === undefined ? {} : { quantity: body.quantity }),
          }),
        ),
    }),
    defineRoute({
      ...stepRoute(
        'slips',
        'recordSlip',
        'Record a slip: the new expected date and why (the promised date never moves)',
      ),
      body: slipBody,
      handle: ({ params, body }, ctx) =>
        step(params.reference, body.external_id, ctx, (requestId, actor) =>
          recordSlip(api, { requestId, actor, expectedOn: body.expected_on, reason: body.reason }),
        ),
    }),
    defineRoute({
      ...stepRoute('issues', 'reportQualityIssue', 'Report a quality issue on a delivered promise'),
      body: issueBody,
      handle: ({ params, body }, ctx) =>
        step(params.reference, body.external_id, ctx, (requestId, actor) =>
          reportQualityIssue(api, {
            requestId,
            actor,
            kind: body.kind,
            note: body.note,
            ...(body.reported_on === undefined ? {} : { reportedOn: body.reported_on }),
            ...(body.quantity === undefined ? {} : { quantity: body.quantity }),
          }),
        ),
    }),
    defineRoute({
      ...stepRoute('payments', 'recordPayment', 'Record a payment (default: today, the whole open value)'),
      body: paymentBody,
      handle: ({ params, body }, ctx) =>
        step(params.reference, body.external_id, ctx, (requestId, actor) =>
          recordPayment(api, {
            requestId,
            actor,
            ...(body.paid_on === undefined ? {} : { paidOn: body.paid_on }),
            ...(body.amount_minor === undefined ? {} : { amountMinor: body.amount_minor }),
          }),
        ),
    }),
  ];

  let built: unknown;
  const document = () => {
    built ??= buildOpenApiDocument(routes);
    return built;
  };
  return routes;
}
