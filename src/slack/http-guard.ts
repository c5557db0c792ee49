// Bolt's HTTP receiver reads `body.ssl_check` before anything else, so a *signed* body of `null`
// (JSON `null`, or `payload=null` in a form) throws outside every handler: an unhandled rejection
// that would take the whole process down. Found by test/e2e/fuzz.test.ts. This guard buffers the
// body the way Bolt does (Bolt reuses `rawBody` when present), answers such bodies itself (401
// when the signature is bad, 400 when it is good), and hands everything else to Bolt unchanged.
// Bodies that are no Slack payload at all get the same answer at once rather than after 3 s.
// It also closes two holes Bolt leaves: Bolt refuses only timestamps too far in the *past*, so a
// request signed for a moment in the future would stay replayable until then; and a path the bot
// does not serve got 400 (a body that is not Slack's) instead of 404/405.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';

/** Bolt's own default body limit. */
const BODY_LIMIT = 4 * 1024 * 1024;

/** Slack's documented replay window, applied in both directions (Bolt checks only the past). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

type Buffered = IncomingMessage & { rawBody?: Buffer };

/**
 * The payload types Slack sends to a Request URL. Bolt leaves a body it cannot classify
 * unanswered for 3 s (then 404); the guard answers those at once instead.
 */
const SLACK_TYPES = new Set([
  'event_callback',
  'url_verification',
  'app_rate_limited',
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'dialog_suggestion',
  'dialog_cancellation',
]);

/**
 * An interaction without the `user` Slack always sends: Bolt would fail on it (400). Slack's
 * contract for a signed interaction is a 200, so the guard acks it itself and nothing happens.
 */
function interactionWithoutUser(body: object): boolean {
  const b = body as { type?: unknown; user?: { id?: unknown } | null };
  const interactive = b.type === 'block_actions' || b.type === 'view_submission' || b.type === 'view_closed';
  return interactive && typeof b.user?.id !== 'string';
}

/** Whether Bolt can classify the body (an event, a command, an interaction, an SSL check). */
function looksLikeSlack(body: object): boolean {
  const b = body as { type?: unknown; event?: unknown; command?: unknown; ssl_check?: unknown };
  if (typeof b.command === 'string' || b.ssl_check !== undefined) return true;
  if (typeof b.type !== 'string' || !SLACK_TYPES.has(b.type)) return false;
  return b.type !== 'event_callback' || (typeof b.event === 'object' && b.event !== null);
}

/** The body as Bolt would parse it, or `undefined` when Bolt's own parser should judge it. */
function parsedLikeBolt(req: IncomingMessage, raw: string): unknown {
  try {
    if (req.headers['content-type'] === 'application/x-www-form-urlencoded') {
      const query = parseQuery(raw);
      return typeof query.payload === 'string' ? (JSON.parse(query.payload) as unknown) : query;
    }
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function signedBySlack(req: IncomingMessage, raw: string, signingSecret: string): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: raw,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface GuardOptions {
  readonly signingSecret: string;
  /** Slack's Request URL path(s), served by POST. */
  readonly slackPaths: readonly string[];
  /** Other paths the receiver serves, with their methods (e.g. `/healthz`: GET). */
  readonly routes: Readonly<Record<string, readonly string[]>>;
  /**
   * Wall-clock seconds. Slack signs with real time and Bolt compares the past against Date.now(),
   * so the future bound uses the same source; injected so tests can move it.
   */
  readonly nowSeconds?: () => number;
  readonly onError: (e: unknown) => void;
}

/** Whether X-Slack-Request-Timestamp is within the tolerance of now, in either direction. */
export function timestampFresh(header: unknown, nowSeconds: number): boolean {
  if (typeof header !== 'string' || !/^\d{1,12}$/.test(header)) return false;
  return Math.abs(nowSeconds - Number(header)) <= TIMESTAMP_TOLERANCE_SECONDS;
}

export function guardRequests(inner: RequestListener, options: GuardOptions): RequestListener {
  const { signingSecret, onError } = options;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const answer = (res: ServerResponse, status: number) => {
    res.writeHead(status);
    res.end();
  };
  const guarded = async (req: Buffered, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const isSlack = options.slackPaths.includes(path);
    const methods = isSlack ? ['POST'] : options.routes[path];
    if (!methods) return answer(res, 404);
    if (!methods.includes(req.method ?? '')) {
      res.writeHead(405, { allow: methods.join(', ') });
      res.end();
      return;
    }
    if (!isSlack) return inner(req, res);
    // Before reading the body: a request outside the window is refused whatever it carries.
    if (!timestampFresh(req.headers['x-slack-request-timestamp'], nowSeconds())) return answer(res, 401);
    const body = await readBody(req);
    if (body === null) return answer(res, 413);
    req.rawBody = body;
    const raw = body.toString();
    const parsed = parsedLikeBolt(req, raw);
    const refused =
      parsed === null ||
      (parsed !== undefined &&
        (typeof parsed !== 'object' || Array.isArray(parsed) || !looksLikeSlack(parsed)));
    if (refused) return answer(res, signedBySlack(req, raw, signingSecret) ? 400 : 401);
    if (parsed && typeof parsed === 'object' && interactionWithoutUser(parsed)) {
      if (!signedBySlack(req, raw, signingSecret)) return answer(res, 401);
      onError(new Error('signed interaction without a user: acknowledged, nothing done'));
      return answer(res, 200);
    }
    return inner(req, res);
  };
  return (req, res) => {
    guarded(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) answer(res, 400);
    });
  };
}
