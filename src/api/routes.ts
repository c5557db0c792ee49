// The HTTP API's routes (INTERFACE.md "HTTP API"). Each handler parses nothing itself (the
// schemas did), calls the one service the Slack listener for the same thing calls, and maps the
// service's answer to a status: refusals are values there, so no rule is copied here.
import { z } from 'zod';
import { minorToInput } from '../domain/money.js';
import { parseRequestRef, requestRef } from '../domain/request.js';
import type { RequestField } from '../domain/validation.js';
import { setCapacity } from '../services/capacity.js';
import type { ServiceDeps } from '../services/deps.js';
import { requestHistory } from '../services/request-history.js';
import { submitRequest } from '../services/submit-request.js';
import { buildOpenApiDocument } from './openapi.js';
import { type Answer, answer, apiError, defineRoute, type Route } from './route.js';
import {
  capacityAnswer,
  capacityBody,
  capacityParams,
  createRequestBody,
  errorAnswer,
  referenceParams,
  requestCreatedAnswer,
  requestDetailAnswer,
} from './schemas.js';
import { historyEntryOf, requestViewOf, signOffViewOf } from './views.js';

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

export function createRoutes(deps: ApiRouteDeps): Route[] {
  const { services, sellers } = deps;
  const { config } = services;
  // Services kick the outbox after their transaction; the API may wrap that transaction in its
  // own (the stored idempotent answer), so the kick waits for the outer commit.
  const api: ServiceDeps = { ...services, onNotify: () => setImmediate(services.onNotify) };

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
        const found = id === null ? null : requestHistory(services, id);
        if (!found) return notFound(params.reference);
        return answer(200, requestDetailAnswer, {
          request: requestViewOf(found.request, config.currency),
          sign_offs: found.request.signOffs.map(signOffViewOf),
          promise: null,
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
  ];

  let built: unknown;
  const document = () => {
    built ??= buildOpenApiDocument(routes);
    return built;
  };
  return routes;
}
