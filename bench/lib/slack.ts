// Signed Slack requests for the load generator, built with the test suite's payload factories
// (shaped like Slack's documented payloads) and signed like Slack (v0 HMAC, fresh timestamp).
import { CALLBACKS, INPUT_SUFFIX, REQUEST_BLOCKS } from '../../src/slack/ids.js';
import {
  blockAction,
  type StateValues,
  slashCommand,
  stateValue,
  viewSubmission,
} from '../../test/support/fixtures.js';
import { sign } from '../../test/support/signed-requests.js';
import { clockOffsetMs } from './processes.js';

export const SIGNING_SECRET = 'bench-signing-secret-not-real';
export const BOT_TOKEN = 'xoxb-bench-bot-token';
export const EVENTS_PATH = '/slack/events';

export interface SignedRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function signed(body: string): SignedRequest {
  // Signed at the children's clock (bench/lib/probe.mjs shifts it to the seed's "now").
  const timestamp = String(Math.floor((Date.now() + clockOffsetMs()) / 1000));
  return {
    method: 'POST',
    path: EVENTS_PATH,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    body,
  };
}

/** `/commit <text>` from a seller; a fresh trigger_id each time (Slack never repeats one). */
export function commandRequest(text: string, userId: string, responseUrl: string): SignedRequest {
  const fields = slashCommand({ user_id: userId, text, response_url: responseUrl });
  return signed(new URLSearchParams(fields).toString());
}

export interface ClickTarget {
  readonly signOffId: number;
  readonly version: number;
  /** The request's button key (requests.button_key): every button carries it since issue 20. */
  readonly key: string;
  readonly userId: string;
  readonly channelId: string;
  readonly messageTs: string;
  readonly threadTs: string;
}

/** An Approve click on a sign-off message in a request's thread. */
export function approveRequest(target: ClickTarget, actionId: string, responseUrl: string): SignedRequest {
  const payload = blockAction({
    userId: target.userId,
    actionId,
    value: JSON.stringify({ s: target.signOffId, v: target.version, k: target.key }),
    channelId: target.channelId,
    messageTs: target.messageTs,
    threadTs: target.threadTs,
    label: 'Approve',
    responseUrl,
  });
  return signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

export interface RequestValues {
  readonly customer: string;
  readonly productLineId: string;
  readonly quantity: string;
  readonly value: string;
  readonly deliveryDate: string;
  readonly paymentTermsDays: string;
  readonly discountPercent: string;
}

function stateOf(v: RequestValues): StateValues {
  const input = (block: string) => `${block}${INPUT_SUFFIX}`;
  const b = REQUEST_BLOCKS;
  return {
    [b.customer]: { [input(b.customer)]: stateValue.text(v.customer) },
    [b.productLineId]: { [input(b.productLineId)]: stateValue.select(v.productLineId) },
    [b.quantity]: { [input(b.quantity)]: stateValue.number(v.quantity) },
    [b.value]: { [input(b.value)]: stateValue.text(v.value) },
    [b.deliveryDate]: { [input(b.deliveryDate)]: stateValue.date(v.deliveryDate) },
    [b.paymentTermsDays]: { [input(b.paymentTermsDays)]: stateValue.number(v.paymentTermsDays) },
    [b.discountPercent]: { [input(b.discountPercent)]: stateValue.number(v.discountPercent) },
    [b.specialRequirements]: { [input(b.specialRequirements)]: stateValue.text(null) },
    [b.dealReference]: { [input(b.dealReference)]: stateValue.text(null) },
  };
}

/** A submitted request modal (view_submission). */
export function submitRequest(userId: string, values: RequestValues): SignedRequest {
  const payload = viewSubmission({
    userId,
    callbackId: CALLBACKS.requestModal,
    privateMetadata: JSON.stringify({ channel: 'C0SALES' }),
    values: stateOf(values),
  });
  return signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

/** The bot's "now" (its clock is shifted by the bench's offset). */
export function childNow(): Date {
  return new Date(Date.now() + clockOffsetMs());
}

/** A delivery date comfortably past every lead time, so only the value rules decide routing. */
export function farDeliveryDate(now = childNow()): string {
  return new Date(now.getTime() + 120 * 86_400_000).toISOString().slice(0, 10);
}

/** Operations only: the cheapest realistic request (one sign-off, one click closes it). */
export function simpleRequest(now = childNow()): RequestValues {
  return {
    customer: 'Acme Corp',
    productLineId: 'gadgets',
    quantity: '40',
    value: '12000',
    deliveryDate: farDeliveryDate(now),
    paymentTermsDays: '30',
    discountPercent: '0',
  };
}

/**
 * A realistic mix for the end-to-end run: 1, 2 or 3 sign-offs (finance needs two owners). The
 * widgets requests are small (2 units each) so the run's 150 of them fit the week's 500: since
 * issue 16 an Approve on a request over capacity asks for a reason instead of deciding, which
 * would leave the run's sellers waiting.
 */
export function mixedRequest(n: number, now = childNow()): RequestValues {
  const base = simpleRequest(now);
  const widgets = { productLineId: 'widgets', quantity: '2' };
  switch (n % 4) {
    case 0:
      return base;
    case 1:
      return { ...base, ...widgets, customer: 'Globex' };
    case 2:
      return { ...base, value: '90000', customer: 'Initech' };
    default:
      return { ...base, ...widgets, value: '75000', paymentTermsDays: '60', customer: 'Hooli' };
  }
}

/** Sends one signed request with fetch; returns status, body and the time it took in ms. */
export async function send(
  baseUrl: string,
  request: SignedRequest,
): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}
