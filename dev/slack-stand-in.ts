// A local stand-in for Slack's side of the wire: the Web API, response_url, file upload URLs and
// Socket Mode, all on one 127.0.0.1 port. The bot talks to it exactly as it talks to slack.com
// (point SLACK_API_URL at `apiUrl`); the end-to-end tests and `npm run demo` then read back what
// "Slack" received and the state it keeps (channel messages, open views, uploaded files).
//
// Answers follow Slack's documented shapes (docs.slack.dev method pages, collected in
// shared/slack/web_api_responses.json and web_api_errors.json): HTTP 200 with {ok:false, error}
// for every platform error, HTTP 429 + Retry-After only for rate limits. It simulates Slack, not
// our own code, so it validates what Slack validates (tokens, required arguments, trigger_id
// reuse, message existence) and nothing about how the bot should behave.
//
// Lives in src/ because the demo uses it too: it must not import vitest or anything from test/.
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Public types

/** The workspace the stand-in pretends to be; fixtures use the same ids. */
export const STAND_IN_WORKSPACE = {
  teamId: 'T0TEAM',
  teamName: 'Commit Gate Stand-in',
  teamDomain: 'commit-gate',
  appId: 'A0COMMITGATE',
  botId: 'B0COMMITBOT',
  botUserId: 'U0COMMITBOT',
  botName: 'commitbot',
} as const;

export type Args = Readonly<Record<string, unknown>>;

/** One request Slack received, as it was answered. */
export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or `response_url` / `upload_url` for those endpoints. */
  readonly method: string;
  /**
   * The arguments as Slack parsed them. Form fields stay strings (as Slack sees them); fields the
   * client JSON-encodes (blocks, view, attachments, metadata, files) are parsed back into objects.
   * The token is not included: see `token`.
   */
  readonly args: Args;
  /** From `Authorization: Bearer …`, else from a `token` form field. */
  readonly token: string | undefined;
  /** HTTP status of the answer (200 even for `ok:false`, as Slack does). */
  readonly status: number;
  /** The JSON body answered; a non-JSON answer is recorded as `{ok, body}`. */
  readonly response: Readonly<Record<string, unknown>>;
  readonly at: Date;
  readonly path: string;
}

/** A message as it currently stands in a channel, after posts, updates and deletes. */
export interface StoredMessage {
  readonly ts: string;
  readonly channel: string;
  readonly text: string;
  readonly blocks: readonly unknown[];
  readonly thread_ts?: string;
  readonly user?: string;
  readonly edited?: { readonly user: string; readonly ts: string };
  readonly files?: readonly string[];
  /** Message metadata as posted (docs.slack.dev/messaging/message-metadata). */
  readonly metadata?: {
    readonly event_type: string;
    readonly event_payload: Readonly<Record<string, unknown>>;
  };
}

export interface StoredView {
  readonly id: string;
  /** For Home tabs: whose. */
  readonly userId?: string;
  /** The view object as answered by views.* (the submitted view plus Slack's fields). */
  readonly view: Readonly<Record<string, unknown>>;
}

export interface UploadedFile {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  readonly title?: string;
  readonly content?: Buffer;
  readonly completed: boolean;
  readonly channels: readonly string[];
  readonly initialComment?: string;
  readonly threadTs?: string;
}

/**
 * What the next call(s) of a method get instead of a normal answer.
 * - `{error}`: HTTP 200 `{ok:false, error}` (a platform error: the client throws WebAPIPlatformError)
 * - `{status: 429, retryAfter}`: HTTP 429 with `Retry-After` and `{ok:false, error:'ratelimited'}`
 * - `{status: 500}` (or any other status): that status with a plain-text body (WebAPIHTTPError)
 * - `{delayMs}`: a slow but otherwise normal answer; combine with the others to delay them too.
 */
export type Fault =
  | { readonly error: string; readonly delayMs?: number }
  | { readonly status: number; readonly retryAfter?: number; readonly delayMs?: number }
  | { readonly delayMs: number };

/** `fail(method, {times, ...fault})`: replaces the method's queued faults; `times: 0` clears them. */
export interface FailOptions {
  readonly times: number;
  readonly error?: string;
  readonly status?: number;
  readonly retryAfter?: number;
  readonly delayMs?: number;
}

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeOptions {
  readonly envelopeId?: string;
  readonly retryAttempt?: number;
  readonly retryReason?: string;
  /** Slack sends false for events_api and true for the others unless told otherwise. */
  readonly acceptsResponsePayload?: boolean;
  /** How long to wait for a connection and for the ack (default 5000 ms). */
  readonly timeoutMs?: number;
}

/** What the app sent back on the socket: `ack(x)` arrives as `{envelope_id, payload: x}`. */
export interface AckFrame {
  readonly envelope_id: string;
  readonly payload?: Readonly<Record<string, unknown>>;
}

export interface StandInUser {
  readonly name?: string;
  readonly realName?: string;
  readonly email?: string;
  /** IANA zone (default America/Los_Angeles, as in Slack's users.info example). */
  readonly tz?: string;
  readonly isBot?: boolean;
  readonly deleted?: boolean;
}

export interface SlackStandInOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Exact tokens Slack accepts; by default any `xoxb-`, `xoxp-` or `xapp-` token is valid. */
  readonly tokens?: readonly string[];
  /** usergroups.users.list answers: subteam id → member user ids. */
  readonly usergroups?: Readonly<Record<string, readonly string[]>>;
  /** users.info answers; unknown but well-formed user ids get a plausible profile. */
  readonly users?: Readonly<Record<string, StandInUser>>;
  /** Called after every recorded call (the demo prints them). */
  readonly onCall?: (call: RecordedCall) => void;
}

export interface WaitOptions {
  /** Resolve once at least this many calls match (default 1). */
  readonly count?: number;
  /** Default 5000 ms. */
  readonly timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Internal types and constants

type Body = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly body: Readonly<Body> | string;
  readonly headers?: Readonly<Record<string, string>>;
}

type NormalFault = { readonly delayMs: number } & (
  | { readonly kind: 'error'; readonly error: string }
  | { readonly kind: 'http'; readonly status: number; readonly retryAfter: number }
  | { readonly kind: 'delay' }
);

interface QueuedFault {
  readonly fault: NormalFault;
  remaining: number;
}

interface Waiter {
  readonly check: () => boolean;
  readonly fail: (error: Error) => void;
}

interface PendingAck {
  readonly resolve: (frame: AckFrame) => void;
  readonly reject: (error: Error) => void;
}

/** Where a response_url points: the channel (and message) of the command or click it came with. */
interface ResponseTarget {
  readonly channel?: string;
  readonly ts?: string;
  readonly threadTs?: string;
}

type TokenKind = 'bot' | 'user' | 'app';

interface ApiRequest {
  readonly method: string;
  readonly args: Args;
  readonly token: string;
  readonly tokenKind: TokenKind;
}

type Handler = (request: ApiRequest) => Answer | Promise<Answer>;

/** Arguments @slack/web-api JSON-encodes into form fields (WebClient.serializeBody). */
const JSON_ARGS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'files',
  'unfurls',
  'user_auth_blocks',
  'file_uploads',
]);

const DEFAULT_TIMEOUT_MS = 5000;
/** Slack: "greater than 250kb" → view_too_large (views.open / update / push / publish). */
const MAX_VIEW_BYTES = 250_000;
const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;
/** chat.update (and postEphemeral) reject text over 4,000 characters with msg_too_long. */
const MAX_UPDATE_TEXT = 4000;
const FIRST_TS_SECONDS = 1_700_000_000;

const SCOPES = 'commands,chat:write,chat:write.public,users:read,im:write,usergroups:read,files:write';

// ---------------------------------------------------------------------------------------------
// Boundary schemas. Each issue message is the Slack error code that input earns, so a failed
// parse maps straight onto the answer Slack documents for that method.

const code = (error: string) => ({ error });
const required = (error: string) => z.string(code(error)).min(1, error);
const optionalText = z.string(code('invalid_arguments')).optional();
const blocksArg = z.array(z.looseObject({}), code('invalid_blocks_format')).optional();
const viewArg = z.looseObject(
  {
    type: z.enum(['modal', 'home'], code('invalid_arguments')),
    blocks: z.array(z.looseObject({}), code('invalid_arguments')),
    callback_id: optionalText,
    private_metadata: optionalText,
    external_id: optionalText,
  },
  code('invalid_arguments'),
);

const schemas = {
  postMessage: z.looseObject({
    channel: required('channel_not_found'),
    text: optionalText,
    blocks: blocksArg,
    attachments: z.array(z.unknown(), code('invalid_attachments')).optional(),
    thread_ts: optionalText,
  }),
  postEphemeral: z.looseObject({
    channel: required('channel_not_found'),
    user: required('user_not_in_channel'),
    text: optionalText,
    blocks: blocksArg,
    thread_ts: optionalText,
  }),
  update: z.looseObject({
    channel: required('channel_not_found'),
    ts: required('message_not_found'),
    text: optionalText,
    blocks: blocksArg,
  }),
  delete: z.looseObject({ channel: required('channel_not_found'), ts: required('message_not_found') }),
  permalink: z.looseObject({
    channel: required('channel_not_found'),
    message_ts: required('message_not_found'),
  }),
  conversationsOpen: z.looseObject({ users: optionalText, channel: optionalText }),
  history: z.looseObject({
    channel: required('channel_not_found'),
    oldest: optionalText,
    limit: optionalText,
    include_all_metadata: optionalText,
  }),
  replies: z.looseObject({
    channel: required('channel_not_found'),
    ts: required('thread_not_found'),
    include_all_metadata: optionalText,
  }),
  metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) }),
  viewsOpen: z.looseObject({ trigger_id: required('invalid_trigger_id'), view: viewArg }),
  viewsUpdate: z.looseObject({
    view: viewArg,
    view_id: optionalText,
    external_id: optionalText,
    hash: optionalText,
  }),
  viewsPublish: z.looseObject({ user_id: required('invalid_arguments'), view: viewArg, hash: optionalText }),
  usersInfo: z.looseObject({ user: required('user_not_found') }),
  /** docs.slack.dev/reference/methods/users.lookupByEmail (shared/slack/methods). */
  usersLookupByEmail: z.looseObject({ email: required('users_not_found') }),
  usergroupUsers: z.looseObject({ usergroup: required('no_such_subteam') }),
  uploadUrl: z.looseObject({
    filename: required('invalid_arguments'),
    length: z.coerce.number(code('invalid_arguments')).int('invalid_arguments').min(0, 'invalid_arguments'),
  }),
  completeUpload: z.looseObject({
    files: z.array(
      z.looseObject({ id: required('invalid_arguments'), title: optionalText }),
      code('invalid_arguments'),
    ),
    channel_id: optionalText,
    channels: optionalText,
    initial_comment: optionalText,
    thread_ts: optionalText,
  }),
  /** response_url bodies (docs.slack.dev/interactivity/handling-user-interaction#message_responses). */
  respond: z.looseObject({
    text: z.string().optional(),
    blocks: z.array(z.unknown()).optional(),
    response_type: z.enum(['ephemeral', 'in_channel']).optional(),
    replace_original: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
    delete_original: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
    thread_ts: z.string().optional(),
  }),
  /** The app's ack on the socket (SocketModeClient.send). */
  ack: z.object({ envelope_id: z.string(), payload: z.record(z.string(), z.unknown()).optional() }),
  /** Enough of a command / interaction payload to know where its response_url points. */
  responseSource: z.looseObject({
    response_url: z.string().optional(),
    channel_id: z.string().optional(),
    channel: z.looseObject({ id: z.string() }).optional(),
    container: z
      .looseObject({
        channel_id: z.string().optional(),
        message_ts: z.string().optional(),
        thread_ts: z.string().optional(),
      })
      .optional(),
    response_urls: z
      .array(z.looseObject({ response_url: z.string(), channel_id: z.string().optional() }))
      .optional(),
  }),
} as const;

// ---------------------------------------------------------------------------------------------

export class SlackStandIn {
  private readonly recorded: RecordedCall[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly faults = new Map<string, QueuedFault[]>();
  private readonly channels = new Map<string, StoredMessage[]>();
  private readonly openedDms = new Set<string>();
  private readonly storedViews = new Map<string, StoredView>();
  private readonly homeViews = new Map<string, string>();
  private readonly usedTriggers = new Set<string>();
  private readonly tickets = new Set<string>();
  private readonly uploads = new Map<string, UploadedFile>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly usergroups = new Map<string, readonly string[]>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, PendingAck>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly handlers: Readonly<Record<string, Handler>>;
  private messageSeq = 0;
  private idSeq = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: SlackStandInOptions,
  ) {
    this.seedUsergroups();
    this.handlers = {
      'auth.test': (r) => this.authTest(r),
      'apps.connections.open': () => this.connectionsOpen(),
      'chat.postMessage': (r) => this.postMessage(r.args),
      'chat.postEphemeral': (r) => this.postEphemeral(r.args),
      'chat.update': (r) => this.update(r.args),
      'chat.delete': (r) => this.deleteMessage(r.args),
      'chat.getPermalink': (r) => this.permalink(r.args),
      'conversations.open': (r) => this.conversationsOpen(r.args),
      'conversations.history': (r) => this.history(r.args),
      'conversations.replies': (r) => this.replies(r.args),
      'views.open': (r) => this.viewsOpen(r.args),
      // Same contract as views.open (trigger_id + modal); the stand-in keeps no view stack.
      'views.push': (r) => this.viewsOpen(r.args),
      'views.update': (r) => this.viewsUpdate(r.args),
      'views.publish': (r) => this.viewsPublish(r.args),
      'users.info': (r) => this.usersInfo(r.args),
      'users.lookupByEmail': (r) => this.usersLookupByEmail(r.args),
      'usergroups.users.list': (r) => this.usergroupUsers(r.args),
      'files.getUploadURLExternal': (r) => this.uploadUrl(r.args),
      'files.completeUploadExternal': (r) => this.completeUpload(r.args),
    };
  }

  /** Starts listening on 127.0.0.1 (random port unless `options.port`). */
  static async start(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
    const server = createServer();
    const standIn = new SlackStandIn(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      standIn.route(req, res).catch((error: unknown) => {
        // A bug in the stand-in, not a Slack behaviour: make it loud for whoever is waiting.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`slack stand-in failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      standIn.upgrade(req, socket, head),
    );
    server.listen(options.port ?? 0, '127.0.0.1');
    await once(server, 'listening');
    return standIn;
  }

  /** `http://127.0.0.1:PORT` */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** For `SLACK_API_URL` / `clientOptions.slackApiUrl`: `http://127.0.0.1:PORT/api/` */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Every recorded call, oldest first. */
  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  callsTo(method: string): RecordedCall[] {
    return this.recorded.filter((c) => c.method === method);
  }

  /**
   * Resolves with every matching call once at least `count` match; checks on each new call, so
   * callers never sleep. Rejects after `timeoutMs` with the calls seen, to show what happened.
   */
  waitFor(
    predicate: string | ((call: RecordedCall) => boolean),
    options: WaitOptions = {},
  ): Promise<RecordedCall[]> {
    const match = typeof predicate === 'string' ? (c: RecordedCall) => c.method === predicate : predicate;
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<RecordedCall[]>((resolve, reject) => {
      const matching = () => this.recorded.filter(match);
      const waiter: Waiter = {
        check: () => {
          const found = matching();
          if (found.length < count) return false;
          done();
          resolve(found);
          return true;
        },
        fail: (error) => {
          done();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const seen = this.recorded.map(describeCall);
        waiter.fail(
          new Error(
            `slack stand-in: waited ${timeoutMs} ms for ${count} call(s) matching ${describePredicate(predicate)}; ` +
              `${matching().length} matched. Recorded calls (${seen.length}):\n  ${seen.join('\n  ') || '(none)'}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  /** The channel's messages as they stand now (top-level and thread replies), oldest first. */
  messages(channel: string): StoredMessage[] {
    return [...(this.channels.get(channel) ?? [])];
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  /** A view opened, pushed, updated or published, by id. */
  view(id: string): StoredView | undefined {
    return this.storedViews.get(id);
  }

  /** The Home tab last published for a user. */
  homeView(userId: string): StoredView | undefined {
    const id = this.homeViews.get(userId);
    return id === undefined ? undefined : this.storedViews.get(id);
  }

  files(): UploadedFile[] {
    return [...this.uploads.values()];
  }

  /** Sets the members usergroups.users.list answers for a user group (S…). */
  setUsergroup(id: string, members: readonly string[]): void {
    this.usergroups.set(id, [...members]);
  }

  /** Queues a fault for the next `times` calls of `method` (after any already queued). */
  failNext(method: string, fault: Fault, times = 1): void {
    if (times <= 0) return;
    const queue = this.faults.get(method) ?? [];
    queue.push({ fault: normaliseFault(fault), remaining: times });
    this.faults.set(method, queue);
  }

  /** Replaces the method's faults: the next `times` calls fail (`internal_error` by default). */
  fail(method: string, options: FailOptions): void {
    this.faults.delete(method);
    const { times, error, status, retryAfter, delayMs } = options;
    if (status !== undefined) {
      this.failNext(
        method,
        { status, ...(retryAfter === undefined ? {} : { retryAfter }), delayMs: delayMs ?? 0 },
        times,
      );
    } else if (error === undefined && delayMs !== undefined) {
      this.failNext(method, { delayMs }, times);
    } else {
      this.failNext(method, { error: error ?? 'internal_error', delayMs: delayMs ?? 0 }, times);
    }
  }

  /** Forgets recorded calls, faults and all workspace state; keeps the port and open sockets. */
  reset(): void {
    this.recorded.length = 0;
    this.faults.clear();
    this.channels.clear();
    this.storedViews.clear();
    this.homeViews.clear();
    this.uploads.clear();
    this.responseTargets.clear();
    this.openedDms.clear();
    this.usedTriggers.clear();
    this.seedUsergroups();
  }

  /**
   * A fresh response_url on the stand-in. Bolt's respond() POSTs to whatever URL the payload
   * carries, so payloads must carry one of these to keep respond() off the real hooks.slack.com.
   */
  responseUrl(target: ResponseTarget = {}): string {
    const id = `R${String(++this.idSeq).padStart(8, '0')}`;
    this.responseTargets.set(id, target);
    return `${this.baseUrl}/respond/${id}`;
  }

  /**
   * A copy of a command or interaction payload whose response_url(s) point at the stand-in,
   * remembering the channel and message they belong to (for in_channel / replace_original).
   */
  withLocalResponseUrls(payload: object): Readonly<Record<string, unknown>> {
    const copy: Body = { ...payload };
    const parsed = schemas.responseSource.safeParse(payload);
    if (!parsed.success) return copy;
    const p = parsed.data;
    const local = (url: string) => url.startsWith(this.baseUrl);
    if (p.response_url !== undefined && !local(p.response_url)) {
      copy.response_url = this.responseUrl({
        ...optional('channel', p.channel_id ?? p.channel?.id ?? p.container?.channel_id),
        ...optional('ts', p.container?.message_ts),
        ...optional('threadTs', p.container?.thread_ts),
      });
    }
    if (p.response_urls !== undefined) {
      copy.response_urls = p.response_urls.map((r) =>
        local(r.response_url)
          ? r
          : { ...r, response_url: this.responseUrl(optional('channel', r.channel_id)) },
      );
    }
    return copy;
  }

  /** Open Socket Mode connections. */
  get socketCount(): number {
    return this.sockets.size;
  }

  /**
   * Sends a Socket Mode envelope to the newest connection and resolves with the app's ack.
   * Waits for a connection if none is open yet (the bot may be reconnecting).
   */
  async sendEnvelope(type: EnvelopeType, payload: object, options: EnvelopeOptions = {}): Promise<AckFrame> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const socket = await this.openSocket(deadline);
    const envelopeId = options.envelopeId ?? randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload: type === 'events_api' ? payload : this.withLocalResponseUrls(payload),
      accepts_response_payload: options.acceptsResponsePayload ?? type !== 'events_api',
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? '',
    };
    return new Promise<AckFrame>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pendingAcks.delete(envelopeId);
          reject(
            new Error(`slack stand-in: no ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`),
          );
        },
        Math.max(0, deadline - Date.now()),
      );
      this.pendingAcks.set(envelopeId, {
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Sends Slack's `disconnect` frame to every connection; the client then reconnects. */
  disconnectSockets(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    for (const socket of this.sockets) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'slack-stand-in' } }));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('slack stand-in closed');
    for (const waiter of [...this.waiters]) waiter.fail(error);
    for (const pending of this.pendingAcks.values()) pending.reject(error);
    this.pendingAcks.clear();
    // Bolt's app.stop() returns before the close handshake ends; finishing it here (instead of
    // cutting the TCP connection) spares the client a spurious "WebSocket error".
    await Promise.all([...this.sockets].map((socket) => closeSocket(socket)));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    // Stop accepting, let requests in flight get their answer, then cut whatever is left (a
    // keep-alive connection of the bot's fetch, a call held by a delay fault).
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((e) => (e ? reject(e) : resolve())),
    );
    this.server.closeIdleConnections();
    const cut = setTimeout(() => this.server.closeAllConnections(), 1000);
    await closed.finally(() => clearTimeout(cut));
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const at = new Date();
    const [, area, ...rest] = url.pathname.split('/');
    const name = rest.join('/');
    let method: string;
    let answer: Answer;
    let args: Args;
    let token: string | undefined;
    if (area === 'api' && name !== '') {
      method = name;
      const parsed = await parseArgs(req, url, raw);
      args = parsed.args;
      token = parsed.token;
      answer = (await this.faulted(method)) ?? (await this.api(method, args, token));
    } else if (area === 'respond' && name !== '' && req.method === 'POST') {
      method = 'response_url';
      args = parseJsonObject(raw) ?? { raw: raw.toString('utf8') };
      answer = (await this.faulted(method)) ?? this.respond(name, args);
    } else if (area === 'upload' && name !== '' && req.method === 'POST') {
      method = 'upload_url';
      const upload = await parseUpload(req, raw);
      args = { file_id: name, filename: upload.filename, length: upload.content.length };
      answer = (await this.faulted(method)) ?? this.receiveUpload(name, upload.content);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not a Slack endpoint');
      return;
    }
    this.record({
      method,
      args,
      token,
      status: answer.status,
      response: recordable(answer),
      at,
      path: url.pathname,
    });
    send(res, answer);
  }

  private async faulted(method: string): Promise<Answer | undefined> {
    const queue = this.faults.get(method);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) queue.shift();
    if (queue.length === 0) this.faults.delete(method);
    const { fault } = next;
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    switch (fault.kind) {
      case 'error':
        return platformError(fault.error);
      case 'http':
        if (fault.status === 429) {
          // docs.slack.dev/apis/web-api/rate-limits: 429 + Retry-After (seconds); body per the common error list.
          return {
            status: 429,
            body: { ok: false, error: 'ratelimited' },
            headers: { 'retry-after': String(fault.retryAfter) },
          };
        }
        return { status: fault.status, body: STATUS_CODES[fault.status] ?? 'error' };
      case 'delay':
        return undefined;
    }
  }

  private record(call: RecordedCall): void {
    this.recorded.push(call);
    this.options.onCall?.(call);
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private async api(method: string, args: Args, token: string | undefined): Promise<Answer> {
    if (token === undefined || token === '') return platformError('not_authed');
    const tokenKind = this.tokenKind(token);
    if (tokenKind === undefined) return platformError('invalid_auth');
    const handler = this.handlers[method];
    if (!handler) return platformError('unknown_method');
    // App-level tokens open Socket Mode connections and nothing else; bot tokens cannot open them.
    if ((method === 'apps.connections.open') !== (tokenKind === 'app'))
      return platformError('not_allowed_token_type');
    return handler({ method, args, token, tokenKind });
  }

  private tokenKind(token: string): TokenKind | undefined {
    if (this.options.tokens && !this.options.tokens.includes(token)) return undefined;
    if (/^xoxb-.+/.test(token)) return 'bot';
    if (/^xoxp-.+/.test(token)) return 'user';
    if (/^xapp-.+/.test(token)) return 'app';
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Web API methods

  private authTest(request: ApiRequest): Answer {
    const w = STAND_IN_WORKSPACE;
    const base = { url: `https://${w.teamDomain}.slack.com/`, team: w.teamName, team_id: w.teamId };
    // Bolt reads user_id / bot_id from here to ignore its own events (ignoreSelf).
    return request.tokenKind === 'bot'
      ? ok({ ...base, user: w.botName, user_id: w.botUserId, bot_id: w.botId, is_enterprise_install: false })
      : ok({ ...base, user: 'stand-in-user', user_id: 'U0STANDIN', is_enterprise_install: false });
  }

  private connectionsOpen(): Answer {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return ok({
      url: `${this.baseUrl.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${STAND_IN_WORKSPACE.appId}`,
    });
  }

  private postMessage(input: Args): Answer {
    const parsed = schemas.postMessage.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const args = parsed.data;
    const channel = this.resolveChannel(args.channel);
    if (channel === undefined) return platformError('channel_not_found');
    if (!hasContent(args.text, args.blocks) && !args.attachments?.length) return platformError('no_text');
    if ((args.blocks?.length ?? 0) > MAX_MESSAGE_BLOCKS) return tooManyBlocks();
    const metadata = schemas.metadata.safeParse(args.metadata);
    const message = this.store({
      ts: this.nextTs(),
      channel,
      text: args.text ?? '',
      blocks: args.blocks ?? [],
      user: STAND_IN_WORKSPACE.botUserId,
      ...optional('thread_ts', args.thread_ts),
      ...optional('metadata', metadata.success ? metadata.data : undefined),
    });
    return ok({ channel, ts: message.ts, message: this.messageBody(message) });
  }

  /** Top-level messages, newest first; metadata only with include_all_metadata (as Slack does). */
  private history(input: Args): Answer {
    const parsed = schemas.history.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { channel, oldest, limit, include_all_metadata } = parsed.data;
    if (this.resolveChannel(channel) === undefined) return platformError('channel_not_found');
    const withMeta = include_all_metadata === 'true' || include_all_metadata === '1';
    const messages = (this.channels.get(channel) ?? [])
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
      .filter((m) => oldest === undefined || Number(m.ts) > Number(oldest))
      .toReversed()
      .slice(0, Math.min(Number(limit ?? 100) || 100, 999))
      .map((m) => this.messageBody(m, withMeta));
    return ok({ messages, has_more: false, pin_count: 0, response_metadata: { next_cursor: '' } });
  }

  /** A thread: its parent then the replies, oldest first. */
  private replies(input: Args): Answer {
    const parsed = schemas.replies.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { channel, ts, include_all_metadata } = parsed.data;
    if (this.resolveChannel(channel) === undefined) return platformError('channel_not_found');
    const list = this.channels.get(channel) ?? [];
    if (!list.some((m) => m.ts === ts)) return platformError('thread_not_found');
    const withMeta = include_all_metadata === 'true' || include_all_metadata === '1';
    const messages = list
      .filter((m) => m.ts === ts || m.thread_ts === ts)
      .map((m) => this.messageBody(m, withMeta));
    return ok({ messages, has_more: false, response_metadata: { next_cursor: '' } });
  }

  private postEphemeral(input: Args): Answer {
    const parsed = schemas.postEphemeral.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const args = parsed.data;
    if (this.resolveChannel(args.channel) === undefined) return platformError('channel_not_found');
    if (!hasContent(args.text, args.blocks)) return platformError('no_text');
    if ((args.text?.length ?? 0) > MAX_UPDATE_TEXT) return platformError('msg_too_long');
    if ((args.blocks?.length ?? 0) > MAX_MESSAGE_BLOCKS) return tooManyBlocks();
    // Ephemeral messages are not part of channel history: the recorded call is all there is.
    return ok({ message_ts: this.nextTs() });
  }

  private update(input: Args): Answer {
    const parsed = schemas.update.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const args = parsed.data;
    const messages = this.channels.get(args.channel);
    const index = messages?.findIndex((m) => m.ts === args.ts) ?? -1;
    const current = messages?.[index];
    if (!messages || !current) return platformError('message_not_found');
    if (!hasContent(args.text, args.blocks)) return platformError('no_text');
    if ((args.text?.length ?? 0) > MAX_UPDATE_TEXT) return platformError('msg_too_long');
    if ((args.blocks?.length ?? 0) > MAX_MESSAGE_BLOCKS) return tooManyBlocks();
    // chat.update keeps the previous blocks when the call omits them (docs: "blocks" argument).
    const updated: StoredMessage = {
      ...current,
      text: args.text ?? current.text,
      blocks: args.blocks ?? current.blocks,
      edited: { user: STAND_IN_WORKSPACE.botUserId, ts: this.nextTs() },
    };
    messages[index] = updated;
    return ok({ channel: args.channel, ts: args.ts, text: updated.text, message: this.messageBody(updated) });
  }

  private deleteMessage(input: Args): Answer {
    const parsed = schemas.delete.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { channel, ts } = parsed.data;
    if (!this.remove(channel, ts)) return platformError('message_not_found');
    return ok({ channel, ts });
  }

  private permalink(input: Args): Answer {
    const parsed = schemas.permalink.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { channel, message_ts } = parsed.data;
    if (!this.message(channel, message_ts)) return platformError('message_not_found');
    const permalink = `https://${STAND_IN_WORKSPACE.teamDomain}.slack.com/archives/${channel}/p${message_ts.replace('.', '')}`;
    return ok({ channel, permalink });
  }

  private conversationsOpen(input: Args): Answer {
    const parsed = schemas.conversationsOpen.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { users, channel } = parsed.data;
    if (channel !== undefined) {
      return this.resolveChannel(channel)
        ? ok({ channel: { id: channel } })
        : platformError('channel_not_found');
    }
    const ids = (users ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    if (ids.length === 0) return platformError('users_list_not_supplied');
    if (ids.length > 8) return platformError('too_many_users');
    if (!ids.every(isUserId)) return platformError('user_not_found');
    // One stable DM per user, derived from the user id so tests and logs can read it ("DU0SELLER").
    const id = ids.length === 1 ? `D${ids[0]}` : `G${ids.toSorted().join('')}`;
    const alreadyOpen = this.openedDms.has(id);
    this.openedDms.add(id);
    return ok({ ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id } });
  }

  private viewsOpen(input: Args): Answer {
    const parsed = schemas.viewsOpen.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { trigger_id: trigger, view } = parsed.data;
    // Shaped like Slack's (`13345224609.738474920.8088930838d88f008e0`) and single use.
    if (!/^\d+\.\d+\.[0-9a-z]+$/i.test(trigger)) return platformError('invalid_trigger_id');
    if (this.usedTriggers.has(trigger)) return platformError('exchanged_trigger_id');
    if (view.type !== 'modal') return invalidArguments('[ERROR] must be modal [json-pointer:/view/type]');
    const problem = viewProblem(view);
    if (problem) return problem;
    this.usedTriggers.add(trigger);
    const stored = this.saveView(this.newId('V'), view, {});
    return ok({ view: stored.view });
  }

  private viewsUpdate(input: Args): Answer {
    const parsed = schemas.viewsUpdate.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { view, view_id: viewId, external_id: externalId, hash } = parsed.data;
    if (viewId === undefined && externalId === undefined)
      return invalidArguments('missing `view_id` or `external_id`');
    const current =
      viewId !== undefined
        ? this.storedViews.get(viewId)
        : [...this.storedViews.values()].find((v) => v.view.external_id === externalId);
    if (!current) return platformError('not_found');
    if (hash !== undefined && hash !== current.view.hash) return platformError('hash_conflict');
    const problem = viewProblem(view);
    if (problem) return problem;
    return ok({ view: this.saveView(current.id, view, optional('userId', current.userId)).view });
  }

  private viewsPublish(input: Args): Answer {
    const parsed = schemas.viewsPublish.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const { user_id: userId, view, hash } = parsed.data;
    if (!isUserId(userId)) return invalidArguments('invalid `user_id`');
    if (view.type !== 'home') return invalidArguments('[ERROR] must be home [json-pointer:/view/type]');
    const currentId = this.homeViews.get(userId);
    const current = currentId === undefined ? undefined : this.storedViews.get(currentId);
    if (hash !== undefined && current && hash !== current.view.hash) return platformError('hash_conflict');
    const problem = viewProblem(view);
    if (problem) return problem;
    // A user's Home tab keeps its view id across publishes.
    const stored = this.saveView(currentId ?? this.newId('V'), view, { userId });
    this.homeViews.set(userId, stored.id);
    return ok({ view: stored.view });
  }

  private usersInfo(input: Args): Answer {
    const parsed = schemas.usersInfo.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const id = parsed.data.user;
    const known = this.options.users?.[id];
    if (!known && !isUserId(id)) return platformError('user_not_found');
    return ok({ user: userObject(id, known ?? {}) });
  }

  /** Only users given an email in `options.users` can be found (Slack: users_not_found). */
  private usersLookupByEmail(input: Args): Answer {
    const parsed = schemas.usersLookupByEmail.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const wanted = parsed.data.email.toLowerCase();
    const found = Object.entries(this.options.users ?? {}).find(([, u]) => u.email?.toLowerCase() === wanted);
    return found ? ok({ user: userObject(found[0], found[1]) }) : platformError('users_not_found');
  }

  private usergroupUsers(input: Args): Answer {
    const parsed = schemas.usergroupUsers.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const members = this.usergroups.get(parsed.data.usergroup);
    return members ? ok({ users: [...members] }) : platformError('no_such_subteam');
  }

  private uploadUrl(input: Args): Answer {
    const parsed = schemas.uploadUrl.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const id = this.newId('F');
    this.uploads.set(id, {
      id,
      filename: parsed.data.filename,
      length: parsed.data.length,
      completed: false,
      channels: [],
    });
    return ok({ upload_url: `${this.baseUrl}/upload/${id}`, file_id: id });
  }

  private receiveUpload(id: string, content: Buffer): Answer {
    const file = this.uploads.get(id);
    if (!file) return { status: 404, body: 'unknown upload' };
    this.uploads.set(id, { ...file, content });
    // files.slack.com answers the raw upload with a short plain-text line.
    return { status: 200, body: `OK - ${content.length}` };
  }

  private completeUpload(input: Args): Answer {
    const parsed = schemas.completeUpload.safeParse(input);
    if (!parsed.success) return fromIssues(parsed.error);
    const args = parsed.data;
    const channels = [args.channel_id, ...(args.channels ?? '').split(',')]
      .map((c) => c?.trim() ?? '')
      .filter((c) => c !== '');
    for (const channel of channels)
      if (this.resolveChannel(channel) === undefined) return platformError('channel_not_found');
    const done: UploadedFile[] = [];
    for (const { id, title } of args.files) {
      const file = this.uploads.get(id);
      if (!file?.content) return platformError('file_not_found');
      const completed: UploadedFile = {
        ...file,
        completed: true,
        channels,
        ...optional('title', title ?? file.filename),
        ...optional('initialComment', args.initial_comment),
        ...optional('threadTs', args.thread_ts),
      };
      this.uploads.set(id, completed);
      done.push(completed);
    }
    // Sharing to a channel posts one message carrying the files (and the initial comment).
    for (const channel of channels) {
      this.store({
        ts: this.nextTs(),
        channel: this.resolveChannel(channel) ?? channel,
        text: args.initial_comment ?? '',
        blocks: [],
        user: STAND_IN_WORKSPACE.botUserId,
        files: done.map((f) => f.id),
        ...optional('thread_ts', args.thread_ts),
      });
    }
    return ok({ files: done.map((f) => fileObject(f)) });
  }

  // -------------------------------------------------------------------------------------------
  // response_url

  private respond(id: string, body: Args): Answer {
    const parsed = schemas.respond.safeParse(body);
    if (!parsed.success) return { status: 400, body: 'invalid_payload' };
    const r = parsed.data;
    const target = this.responseTargets.get(id) ?? {};
    const yes = (v: boolean | string | undefined) => v === true || v === 'true';
    if (yes(r.delete_original) && target.channel && target.ts) {
      this.remove(target.channel, target.ts);
    } else if (yes(r.replace_original) && target.channel && target.ts) {
      const messages = this.channels.get(target.channel);
      const index = messages?.findIndex((m) => m.ts === target.ts) ?? -1;
      const current = messages?.[index];
      if (messages && current) {
        messages[index] = { ...current, text: r.text ?? current.text, blocks: r.blocks ?? current.blocks };
      }
    } else if (r.response_type === 'in_channel' && target.channel) {
      this.store({
        ts: this.nextTs(),
        channel: target.channel,
        text: r.text ?? '',
        blocks: r.blocks ?? [],
        user: STAND_IN_WORKSPACE.botUserId,
        ...optional('thread_ts', r.thread_ts ?? target.threadTs),
      });
    }
    // Ephemeral responses are only seen by the user: the recorded call is the evidence.
    return ok({});
  }

  // -------------------------------------------------------------------------------------------
  // Socket Mode

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const ticket = url.searchParams.get('ticket');
    // Tickets come from apps.connections.open and are good for one connection, as on Slack.
    if (!/^\/link\/?$/.test(url.pathname) || ticket === null || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
  }

  private connected(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      const frame = schemas.ack.safeParse(parseJson(rawText(data)));
      if (!frame.success) return;
      const pending = this.pendingAcks.get(frame.data.envelope_id);
      this.pendingAcks.delete(frame.data.envelope_id);
      pending?.resolve(frame.data);
    });
    // SocketModeClient resolves start() only after hello (socket_mode.json hello example).
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'slack-stand-in', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: STAND_IN_WORKSPACE.appId },
      }),
    );
  }

  private async openSocket(deadline: number): Promise<WebSocket> {
    for (;;) {
      const open = [...this.sockets].filter((s) => s.readyState === s.OPEN);
      const newest = open[open.length - 1];
      if (newest) return newest;
      if (this.closed || Date.now() >= deadline) {
        throw new Error('slack stand-in: no Socket Mode connection (did the app start with an xapp- token?)');
      }
      // Connections arrive on the server's own schedule; a short poll keeps this simple.
      await sleep(10);
    }
  }

  // -------------------------------------------------------------------------------------------
  // State helpers

  private seedUsergroups(): void {
    this.usergroups.clear();
    for (const [id, members] of Object.entries(this.options.usergroups ?? {}))
      this.usergroups.set(id, [...members]);
  }

  private nextTs(): string {
    const micros = ++this.messageSeq * 100;
    const seconds = FIRST_TS_SECONDS + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private newId(prefix: string): string {
    return `${prefix}${String(++this.idSeq).padStart(10, '0')}`;
  }

  /** Channel ids as Slack accepts them; posting to a user id posts to the DM with the bot. */
  private resolveChannel(channel: string): string | undefined {
    if (/^[CGD][A-Z0-9]+$/.test(channel)) return channel;
    if (isUserId(channel)) return `D${channel}`;
    return undefined;
  }

  private store(message: StoredMessage): StoredMessage {
    const list = this.channels.get(message.channel) ?? [];
    list.push(message);
    this.channels.set(message.channel, list);
    return message;
  }

  private remove(channel: string, ts: string): boolean {
    const list = this.channels.get(channel);
    const index = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  private messageBody(m: StoredMessage, withMetadata = false): Body {
    const w = STAND_IN_WORKSPACE;
    return {
      type: 'message',
      text: m.text,
      user: m.user ?? w.botUserId,
      bot_id: w.botId,
      app_id: w.appId,
      team: w.teamId,
      ts: m.ts,
      ...(m.blocks.length > 0 ? { blocks: m.blocks } : {}),
      ...(m.thread_ts === undefined ? {} : { thread_ts: m.thread_ts, parent_user_id: w.botUserId }),
      ...(m.edited === undefined ? {} : { edited: m.edited }),
      ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
    };
  }

  private saveView(id: string, view: Body, extra: { userId?: string }): StoredView {
    const w = STAND_IN_WORKSPACE;
    const full: Body = {
      id,
      team_id: w.teamId,
      type: view.type,
      ...(view.type === 'modal' ? { close: null, submit: null } : {}),
      blocks: [],
      private_metadata: '',
      callback_id: '',
      external_id: '',
      ...view,
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      root_view_id: id,
      previous_view_id: null,
      app_id: w.appId,
      app_installed_team_id: w.teamId,
      bot_id: w.botId,
    };
    const stored: StoredView = { id, view: full, ...optional('userId', extra.userId) };
    this.storedViews.set(id, stored);
    return stored;
  }
}

// ---------------------------------------------------------------------------------------------
// Pure helpers

function ok(body: Body): Answer {
  return { status: 200, body: { ok: true, ...body } };
}

function platformError(error: string, extra: Body = {}): Answer {
  return { status: 200, body: { ok: false, error, ...extra } };
}

function invalidArguments(message: string): Answer {
  return platformError('invalid_arguments', { response_metadata: { messages: [message] } });
}

function tooManyBlocks(): Answer {
  return platformError('invalid_blocks', {
    errors: [`no more than ${MAX_MESSAGE_BLOCKS} items allowed [json-pointer:/blocks]`],
  });
}

/** The first issue's message is the Slack error code (see `schemas`). */
function fromIssues(error: z.ZodError): Answer {
  const issue = error.issues[0];
  const errorCode = issue?.message ?? 'invalid_arguments';
  if (errorCode !== 'invalid_arguments') return platformError(errorCode);
  const pointer = issue?.path.map(String).join('/') ?? '';
  return invalidArguments(`[ERROR] invalid value [json-pointer:/${pointer}]`);
}

function viewProblem(view: Body & { blocks: unknown[] }): Answer | undefined {
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return platformError('view_too_large');
  if (view.blocks.length > MAX_VIEW_BLOCKS) {
    return invalidArguments(
      `[ERROR] no more than ${MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]`,
    );
  }
  return undefined;
}

function hasContent(text: string | undefined, blocks: readonly unknown[] | undefined): boolean {
  return (text !== undefined && text !== '') || (blocks !== undefined && blocks.length > 0);
}

function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

/** Spreads `{[key]: value}` only when value is defined (keeps optional fields absent, not undefined). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  // TypeScript widens a computed key to `string`; the cast restores the literal key it is.
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function normaliseFault(fault: Fault): NormalFault {
  const delayMs = fault.delayMs ?? 0;
  if ('error' in fault) return { kind: 'error', error: fault.error, delayMs };
  if ('status' in fault)
    return { kind: 'http', status: fault.status, retryAfter: fault.retryAfter ?? 1, delayMs };
  return { kind: 'delay', delayMs };
}

function describeCall(c: RecordedCall): string {
  const error = typeof c.response.error === 'string' ? ` error:${c.response.error}` : '';
  const outcome = c.status === 200 ? (c.response.ok === false ? 'ok:false' : 'ok') : `HTTP ${c.status}`;
  return `${c.method} ${outcome}${error}`;
}

function describePredicate(predicate: string | ((call: RecordedCall) => boolean)): string {
  if (typeof predicate === 'string') return `method ${predicate}`;
  const source = predicate.toString().replace(/\s+/g, ' ');
  return source.length > 200 ? `${source.slice(0, 200)}…` : source;
}

function recordable(answer: Answer): Readonly<Body> {
  return typeof answer.body === 'string' ? { ok: answer.status === 200, body: answer.body } : answer.body;
}

function send(res: ServerResponse, answer: Answer): void {
  const json = typeof answer.body !== 'string';
  res.writeHead(answer.status, {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'x-oauth-scopes': SCOPES,
    ...answer.headers,
  });
  res.end(json ? JSON.stringify(answer.body) : answer.body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseJsonObject(raw: Buffer): Body | undefined {
  const parsed = z.record(z.string(), z.unknown()).safeParse(parseJson(raw.toString('utf8')));
  return parsed.success ? parsed.data : undefined;
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Web API arguments as Slack reads them: query string, then a form or JSON body. Form fields the
 * client JSON-encoded are decoded back; anything that does not parse stays a string, so the
 * method's schema reports it the way Slack would (e.g. invalid_blocks_format).
 */
async function parseArgs(
  req: IncomingMessage,
  url: URL,
  raw: Buffer,
): Promise<{ args: Args; token: string | undefined; json: boolean }> {
  const fields: Body = Object.fromEntries(url.searchParams);
  const type = mediaType(req);
  const json = type === 'application/json';
  if (type === 'application/x-www-form-urlencoded') {
    Object.assign(fields, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  } else if (type === 'multipart/form-data') {
    const form = await formData(req, raw);
    for (const [key, value] of form.entries()) {
      fields[key] = typeof value === 'string' ? value : { filename: value.name, size: value.size };
    }
  } else if (json) {
    Object.assign(fields, parseJsonObject(raw) ?? {});
  }
  for (const key of JSON_ARGS) {
    const value = fields[key];
    if (typeof value === 'string') {
      const decoded = parseJson(value);
      if (decoded !== undefined) fields[key] = decoded;
    }
  }
  const bearer = /^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const bodyToken = typeof fields.token === 'string' ? fields.token : undefined;
  delete fields.token;
  // JSON bodies may not carry the token (Slack ignores it there), so only the header counts.
  const token = bearer ?? (json ? undefined : bodyToken);
  return { args: fields, token, json };
}

/** Node's fetch machinery parses multipart bodies; no extra dependency needed. */
function formData(req: IncomingMessage, raw: Buffer): Promise<FormData> {
  return new Request('http://stand-in.invalid/', {
    method: 'POST',
    headers: { 'content-type': req.headers['content-type'] ?? '' },
    body: raw,
  }).formData();
}

/** WebClient uploads the file as a multipart field (files.uploadV2 step 2); plain bodies work too. */
async function parseUpload(
  req: IncomingMessage,
  raw: Buffer,
): Promise<{ filename: string; content: Buffer }> {
  if (mediaType(req) !== 'multipart/form-data') return { filename: '', content: raw };
  const form = await formData(req, raw);
  for (const value of form.values()) {
    if (typeof value !== 'string')
      return { filename: value.name, content: Buffer.from(await value.arrayBuffer()) };
  }
  return { filename: '', content: Buffer.alloc(0) };
}

function userObject(id: string, user: StandInUser): Body {
  const w = STAND_IN_WORKSPACE;
  const isBot = user.isBot ?? id === w.botUserId;
  const name = user.name ?? (id === w.botUserId ? w.botName : id.toLowerCase());
  const realName = user.realName ?? name;
  const tz = user.tz ?? 'America/Los_Angeles';
  const { label, offsetSeconds } = zoneInfo(tz);
  return {
    id,
    team_id: w.teamId,
    name,
    deleted: user.deleted ?? false,
    color: '9f69e7',
    real_name: realName,
    tz,
    tz_label: label,
    tz_offset: offsetSeconds,
    profile: {
      real_name: realName,
      display_name: name,
      real_name_normalized: realName,
      display_name_normalized: name,
      ...(user.email === undefined ? {} : { email: user.email }),
      team: w.teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: isBot,
    is_app_user: false,
    updated: FIRST_TS_SECONDS,
  };
}

/** users.info's tz_label / tz_offset for a zone, now. */
function zoneInfo(tz: string): { label: string; offsetSeconds: number } {
  const part = (style: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offsetSeconds = match
    ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60)
    : 0;
  return { label: part('long'), offsetSeconds };
}

function fileObject(f: UploadedFile): Body {
  return {
    id: f.id,
    created: FIRST_TS_SECONDS,
    timestamp: FIRST_TS_SECONDS,
    name: f.filename,
    title: f.title ?? f.filename,
    mimetype: 'application/octet-stream',
    filetype: f.filename.includes('.') ? (f.filename.split('.').pop() ?? '') : '',
    user: STAND_IN_WORKSPACE.botUserId,
    size: f.content?.length ?? f.length,
    is_public: f.channels.some((c) => c.startsWith('C')),
    channels: f.channels.filter((c) => c.startsWith('C')),
    ims: f.channels.filter((c) => c.startsWith('D')),
    groups: f.channels.filter((c) => c.startsWith('G')),
  };
}

/** Closes with Slack's "going away" code, waiting briefly for the handshake before cutting it. */
function closeSocket(socket: WebSocket): Promise<void> {
  return new Promise<void>((resolve) => {
    if (socket.readyState === socket.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState === socket.OPEN) socket.close(1001, 'stand-in closing');
  });
}
