// Sends requests to the bot the way Slack does over HTTP: the exact content types Bolt compares
// with `===`, Slack's own headers, and the v0 request signature
// (docs.slack.dev/authentication/verifying-requests-from-slack). Tampering options produce the
// forged, unsigned and stale requests the bot must refuse.
import { createHmac } from 'node:crypto';
import type { SlackStandIn } from './slack-stand-in.js';

/** Bolt parses a form body only when the content type is exactly this (no charset). */
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the signing secret. */
export function sign(secret: string, timestamp: string | number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  /** X-Slack-Request-Timestamp to send (default: now, in seconds). */
  readonly timestamp?: string | number;
  /** Shifts the default timestamp, e.g. -360 for a request older than Bolt's 5-minute window. */
  readonly timestampOffsetSeconds?: number;
  /**
   * `'wrong'`: a well-formed signature made with another secret (a forgery);
   * `'missing'`: no X-Slack-Signature header; any other string is sent verbatim.
   */
  readonly signature?: 'wrong' | 'missing' | (string & {});
  /** Sign with this secret instead of the simulator's. */
  readonly secret?: string;
  /** Extra headers, e.g. `X-Slack-Retry-Num` on an Events API retry. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SimResponse {
  readonly status: number;
  readonly text: string;
  /** The body parsed as JSON; throws with the body in the message when it is not JSON. */
  json(): unknown;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface SlackClientSimOptions {
  /** The bot's origin, e.g. `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly signingSecret: string;
  /** When given, response_url values are pointed at it so Bolt's respond() stays local. */
  readonly standIn?: SlackStandIn;
  /** Request path; Bolt's default endpoint is /slack/events. */
  readonly path?: string;
}

export class SlackClientSim {
  private readonly baseUrl: string;
  private readonly signingSecret: string;
  private readonly standIn: SlackStandIn | undefined;
  private readonly path: string;

  constructor(options: SlackClientSimOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.signingSecret = options.signingSecret;
    this.standIn = options.standIn;
    this.path = options.path ?? '/slack/events';
  }

  /** A slash command: plain form fields (not wrapped in `payload=`). */
  slashCommand(fields: Readonly<Record<string, string>>, options: SignOptions = {}): Promise<SimResponse> {
    const local = this.standIn ? this.standIn.withLocalResponseUrls(fields) : fields;
    const body = new URLSearchParams(
      Object.entries(local).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return this.post(this.path, body, FORM, options);
  }

  /** An interaction (block_actions, view_submission, …): one form field `payload=<JSON>`. */
  interaction(payload: object, options: SignOptions = {}): Promise<SimResponse> {
    const local = this.standIn ? this.standIn.withLocalResponseUrls(payload) : payload;
    const body = new URLSearchParams({ payload: JSON.stringify(local) }).toString();
    return this.post(this.path, body, FORM, options);
  }

  /** An Events API request (event_callback, url_verification): raw JSON. */
  event(body: object, options: SignOptions = {}): Promise<SimResponse> {
    return this.post(this.path, JSON.stringify(body), JSON_TYPE, options);
  }

  /** Low level: signs (or mis-signs) and POSTs a raw body. */
  async post(
    path: string,
    rawBody: string,
    contentType: string,
    options: SignOptions = {},
  ): Promise<SimResponse> {
    const timestamp = String(
      options.timestamp ?? Math.floor(Date.now() / 1000) + (options.timestampOffsetSeconds ?? 0),
    );
    const secret = options.secret ?? this.signingSecret;
    const signature =
      options.signature === undefined
        ? sign(secret, timestamp, rawBody)
        : options.signature === 'wrong'
          ? sign(`${secret}-forged`, timestamp, rawBody)
          : options.signature;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      // The headers Slack adds (bolt-js receiver tests, shared/slack/README.md).
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      accept: 'application/json,*/*',
      ...(signature === 'missing' ? {} : { 'x-slack-signature': signature }),
      ...options.headers,
    };
    const res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: rawBody });
    const text = await res.text();
    return {
      status: res.status,
      text,
      headers: Object.fromEntries(res.headers.entries()),
      json() {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new Error(
            `expected a JSON body, got HTTP ${res.status}: ${JSON.stringify(text.slice(0, 500))}`,
          );
        }
      },
    };
  }
}
