// The HTTP API's front door, in front of Bolt on the same port: one prefix test sends `/api/`
// here and everything else to Slack's receiver untouched, so /slack/events pays one string compare.
// Order matters: disabled → 404; wrong or missing token → 401 before a byte of the body is read
// (so a stranger can change nothing and cost little); then the route, the 64 KB body limit, JSON,
// the schemas; then the handler, whose writes and stored answer share one transaction.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { match } from 'path-to-regexp';
import type { ApiIdempotencyRepo } from '../db/api-idempotency-repo.js';
import type { Actor } from '../domain/actor.js';
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/ports.js';
import { type Answer, apiError, type Method, type Once, type Route } from './route.js';

export const API_PREFIX = '/api/';
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface ApiServerDeps {
  /** COMMIT_GATE_API_TOKEN; undefined: the API is off and every /api/ path is 404. */
  readonly token: string | undefined;
  readonly routes: readonly Route[];
  readonly idempotency: ApiIdempotencyRepo;
  /** The store's write transaction (BEGIN IMMEDIATE): an answer is stored with the write it answers. */
  readonly transaction: <T>(fn: () => T) => T;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant-time: both sides are hashed to the same length first, so neither length nor content leaks. */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), expected);
}

function send(res: ServerResponse, answer: Answer, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

type BodyRead = { ok: true; body: unknown } | { ok: false; answer: Answer };

async function readJson(req: IncomingMessage): Promise<BodyRead> {
  const tooLarge = apiError(413, 'too_large', `The body is over ${BODY_LIMIT_BYTES / 1024} KB.`);
  if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES) return { ok: false, answer: tooLarge };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) return { ok: false, answer: tooLarge };
    chunks.push(buffer);
  }
  if (size === 0) return { ok: true, body: undefined };
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type))
    return {
      ok: false,
      answer: apiError(400, 'invalid', 'Send the body as JSON (Content-Type: application/json).', {
        body: 'expected application/json',
      }),
    };
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return {
      ok: false,
      answer: apiError(400, 'invalid', 'The body is not valid JSON.', { body: 'not JSON' }),
    };
  }
}

interface Compiled {
  readonly route: Route;
  readonly match: (path: string) => false | { params: Partial<Record<string, string | string[]>> };
}

/**
 * `once(operation)`: the idempotency of one call ("POST /api/v1/promises/CG-12/deliveries"). The
 * CSV import uses the same, so an id sent by API and again in a file is recorded once.
 */
export function idempotentWrites(
  deps: Pick<ApiServerDeps, 'idempotency' | 'transaction' | 'clock'>,
): (operation: string) => Once {
  return (operation) => (externalId, write) => {
    if (externalId === undefined) return write();
    return deps.transaction(() => {
      const stored = deps.idempotency.find(externalId);
      if (stored) {
        if (stored.operation !== operation)
          return apiError(
            409,
            'external_id_reused',
            `external_id "${externalId}" was used for ${stored.operation}.`,
            { external_id: 'already used for another call' },
          );
        return { status: stored.status, body: JSON.parse(stored.body) as unknown, replayed: true };
      }
      const answer = write();
      // A throw rolls the write back with it, so only answers are stored; refusals are answers too.
      deps.idempotency.save(
        externalId,
        { operation, status: answer.status, body: JSON.stringify(answer.body) },
        deps.clock.now(),
      );
      return answer;
    });
  };
}

export function createApiServer(deps: ApiServerDeps): RequestListener {
  const { logger } = deps;
  const expected = deps.token === undefined ? null : digest(deps.token);
  const compiled: Compiled[] = deps.routes.map((route) => ({
    route,
    match: match(route.path.replace(/\{(\w+)\}/g, ':$1'), { decode: decodeURIComponent }),
  }));

  const once = idempotentWrites(deps);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<Answer> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    if (expected === null)
      return apiError(404, 'not_found', 'The HTTP API is off (COMMIT_GATE_API_TOKEN is not set).');
    const found = compiled.flatMap((c) => {
      const m = c.match(url.pathname);
      return m ? [{ route: c.route, params: m.params }] : [];
    });
    const isPublic = found.some((f) => f.route.public && f.route.method === method);
    if (!isPublic && !tokenMatches(req.headers.authorization, expected)) {
      return apiError(401, 'unauthorized', 'Send Authorization: Bearer <COMMIT_GATE_API_TOKEN>.');
    }
    if (!found.length) return apiError(404, 'not_found', `No such path: ${url.pathname}.`);
    const hit = found.find((f) => f.route.method === method);
    if (!hit) {
      res.setHeader('allow', [...new Set(found.map((f) => f.route.method))].join(', '));
      return apiError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}.`);
    }
    const read = method === 'GET' ? ({ ok: true, body: undefined } as const) : await readJson(req);
    if (!read.ok) return read.answer;
    const params = Object.fromEntries(
      Object.entries(hit.params).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
    );
    const actor: Actor = { kind: 'api', name: 'api' };
    return hit.route.run(
      { params, query: Object.fromEntries(url.searchParams), body: read.body },
      { actor, once: once(`${method as Method} ${url.pathname}`) },
    );
  }

  return (req, res) => {
    const started = performance.now();
    handle(req, res)
      .catch((error: unknown) => {
        logger.error('api call failed', error);
        return apiError(500, 'internal', 'Something went wrong; nothing was changed. Try again.');
      })
      .then((answer) => {
        // Answered before the body was read (401, 413): the connection cannot be reused.
        const unread = !req.readableEnded && req.method !== 'GET';
        send(res, answer, {
          ...(answer.replayed ? { 'idempotent-replayed': 'true' } : {}),
          ...(unread ? { connection: 'close' } : {}),
        });
        logger.info('api call', {
          method: req.method,
          path: req.url?.split('?')[0],
          status: answer.status,
          ms: Math.round(performance.now() - started),
        });
      })
      .catch((error: unknown) => logger.error('api answer failed', error));
  };
}
