// One route of the HTTP API: its schemas (the single source of what it accepts and answers, and of
// its part of the OpenAPI document) and its handler. `defineRoute` keeps the handler typed by the
// schemas and hides the types behind one `run` so the table can hold routes of every shape.
import type { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import type { ErrorAnswer } from './schemas.js';

export type Method = 'GET' | 'POST' | 'PUT';

/** An answer: its status and JSON body (an error body for 4xx). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** Set on an answer replayed for an `external_id` seen before. */
  readonly replayed?: true;
}

/**
 * Makes a write idempotent: with an `external_id` seen before, the first answer is returned and
 * `write` is not run; otherwise `write` runs and its answer is stored in the same transaction.
 * `write` must be synchronous (a better-sqlite3 transaction cannot span an await).
 */
export type Once = (externalId: string | undefined, write: () => Answer) => Answer;

export interface RouteContext {
  readonly actor: Actor;
  readonly once: Once;
}

export interface RawInput {
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  readonly body: unknown;
}

export interface ResponseSpec {
  readonly description: string;
  readonly schema: z.ZodType;
}

export interface Route {
  readonly method: Method;
  /** OpenAPI form: `/api/v1/requests/{reference}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** No Bearer token needed (the OpenAPI document only). */
  readonly public?: boolean;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodObject;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Parses the raw input with the schemas and runs the handler; 400 when the input is wrong. */
  run(input: RawInput, ctx: RouteContext): Answer | Promise<Answer>;
}

type Shape<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodObject | undefined,
> extends Omit<Route, 'run' | 'params' | 'query' | 'body'> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  handle(
    input: { readonly params: Shape<P>; readonly query: Shape<Q>; readonly body: Shape<B> },
    ctx: RouteContext,
  ): Answer | Promise<Answer>;
}

export function apiError(
  status: number,
  error: string,
  message: string,
  fields: Record<string, string> = {},
): Answer {
  const body: ErrorAnswer = { error, message, fields };
  return { status, body };
}

/** An answer typed by its schema: a handler cannot send what the document does not describe. */
export function answer<S extends z.ZodType>(status: number, _schema: S, body: z.input<S>): Answer {
  return { status, body };
}

/** zod's issues as `{field: problem}`; an unknown field is named as such. */
export function fieldsOf(error: z.ZodError, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        fields[prefix + [...issue.path.map(String), key].join('.')] = 'unknown field';
      continue;
    }
    const name = prefix + issue.path.map(String).join('.');
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    fields[name || 'body'] ??= missing ? 'required' : issue.message;
  }
  return fields;
}

function parsePart<S extends z.ZodObject | undefined>(
  schema: S | undefined,
  value: unknown,
  prefix: string,
): { ok: true; value: Shape<S> } | { ok: false; fields: Record<string, string> } {
  // The casts only restate what the branch proved: TypeScript cannot narrow a conditional type on
  // a generic, so `Shape<S>` is the schema's output when S is a schema and undefined when it is not.
  if (schema === undefined) return { ok: true, value: undefined as Shape<S> };
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, fields: fieldsOf(parsed.error, prefix) };
  return { ok: true, value: parsed.data as Shape<S> };
}

export function defineRoute<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodObject | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): Route {
  return {
    ...spec,
    run(input, ctx) {
      const params = parsePart(spec.params, input.params, '');
      if (!params.ok) {
        // A reference that cannot exist is an unknown reference (404), like one that does not.
        if ('reference' in params.fields)
          return apiError(404, 'not_found', `No request ${input.params.reference ?? ''}.`, params.fields);
        return apiError(400, 'invalid', `Invalid ${Object.keys(params.fields).join(', ')}.`, params.fields);
      }
      const query = parsePart(spec.query, input.query, '');
      const body = parsePart(spec.body, input.body ?? {}, '');
      const fields = { ...(query.ok ? {} : query.fields), ...(body.ok ? {} : body.fields) };
      if (!query.ok || !body.ok)
        return apiError(400, 'invalid', `Invalid ${Object.keys(fields).join(', ')}.`, fields);
      return spec.handle({ params: params.value, query: query.value, body: body.value }, ctx);
    },
  };
}
