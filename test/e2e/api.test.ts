// The HTTP API end to end on the running bot (real HTTP on the bot's own port): every route's
// answers and error shapes, idempotent retries, and a request created by API that goes through
// the Slack thread and is decided by buttons.
import { Validator } from '@seriousme/openapi-schema-validator';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import {
  capacityAnswer,
  errorAnswer,
  requestCreatedAnswer,
  requestDetailAnswer,
} from '../../src/api/schemas.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { Harness } from '../support/harness.js';

const TOKEN = 'test-api-token-0123456789abcdef';

type Block = { elements?: { action_id?: string; value?: string }[] };
const buttonValue = (call: RecordedCall, actionId: string): string => {
  for (const b of call.args.blocks as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
};

const gadgets = {
  seller: 'U0SELLER',
  customer: 'Acme Corp',
  product_line: 'gadgets',
  quantity: 10,
  value_minor: 1_000_000,
  delivery_date: '2027-02-01',
};

let h: Harness;

function db() {
  return new Database(h.dbPath, { readonly: true });
}

function count(table: string): number {
  const sqlite = db();
  try {
    return sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    sqlite.close();
  }
}

describe('HTTP API', () => {
  beforeEach(async () => {
    h = await Harness.start({
      apiToken: TOKEN,
      users: { U0SELLER: { name: 'sam', email: 'sam@example.com' } },
    });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('when a CRM creates a request then it is posted, routed, and decided by the buttons in its thread', async () => {
    const res = await h.api('POST', '/api/v1/requests', { ...gadgets, deal_reference: 'OPP-7' });
    expect(res.status).toBe(201);
    const created = requestCreatedAnswer.parse(res.json);
    expect(created.reference).toBe('CG-1');
    expect(created.request).toMatchObject({
      status: 'pending',
      seller: 'U0SELLER',
      value_minor: 1_000_000,
      currency: 'USD',
      deal_reference: 'OPP-7',
    });

    const [ask] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string',
    );
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    expect(parent?.text).toContain('CG-1');
    const askCall = ask as RecordedCall;
    const click = await h.click(
      'U0OPS1',
      ACTIONS.approve,
      buttonValue(askCall, ACTIONS.approve),
      (askCall.response as { ts: string }).ts,
    );
    expect(click.status).toBe(200);
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'));

    const read = await h.api('GET', '/api/v1/requests/CG-1');
    expect(read.status).toBe(200);
    const detail = requestDetailAnswer.parse(read.json);
    expect(detail.request.status).toBe('approved');
    expect(detail.sign_offs.map((s) => [s.function, s.status, s.approvals.map((a) => a.user)])).toEqual([
      ['operations', 'approved', ['U0OPS1']],
    ]);
    expect(detail.history.map((e) => [e.type, e.actor])).toEqual([
      ['request.submitted', 'api'],
      ['signoff.approved', 'U0OPS1'],
      ['request.approved', null],
    ]);
  });

  it('when the seller is given by email then users.lookupByEmail finds them; an unknown email is a 400 naming it', async () => {
    const { seller: _seller, ...rest } = gadgets;
    const ok = await h.api('POST', '/api/v1/requests', { ...rest, seller_email: 'sam@example.com' });
    expect(ok.status).toBe(201);
    expect(requestCreatedAnswer.parse(ok.json).request.seller).toBe('U0SELLER');
    expect(h.standIn.callsTo('users.lookupByEmail')[0]?.args.email).toBe('sam@example.com');

    const unknown = await h.api('POST', '/api/v1/requests', { ...rest, seller_email: 'nobody@example.com' });
    expect(unknown.status).toBe(400);
    expect(errorAnswer.parse(unknown.json)).toEqual({
      error: 'invalid',
      message: 'No Slack user has that email.',
      fields: { seller_email: 'no Slack user has this email' },
    });
    expect(count('requests')).toBe(1);
  });

  it('when the body has unknown fields or wrong values then 400 names each one and nothing is stored', async () => {
    const res = await h.api('POST', '/api/v1/requests', { ...gadgets, colour: 'red', quantity: 0 });
    expect(res.status).toBe(400);
    expect(errorAnswer.parse(res.json)).toEqual({
      error: 'invalid',
      message: 'Invalid quantity, colour.',
      fields: { colour: 'unknown field', quantity: 'expected more than zero' },
    });

    const business = await h.api('POST', '/api/v1/requests', {
      ...gadgets,
      product_line: 'nope',
      delivery_date: '2020-01-01',
    });
    expect(business.status).toBe(400);
    expect(errorAnswer.parse(business.json).fields).toEqual({
      product_line: 'Unknown product line "nope"; choose one from the list.',
      delivery_date: 'The delivery date cannot be in the past (today is 2026-11-23).',
    });

    const noSeller = await h.api('POST', '/api/v1/requests', { ...gadgets, seller: undefined });
    expect(errorAnswer.parse(noSeller.json).fields).toEqual({
      seller: 'give seller or seller_email (one of them)',
    });

    const notJson = await h.api('POST', '/api/v1/requests', undefined, { raw: '{"customer":' });
    expect(notJson.status).toBe(400);
    expect(errorAnswer.parse(notJson.json)).toEqual({
      error: 'invalid',
      message: 'The body is not valid JSON.',
      fields: { body: 'not JSON' },
    });
    expect(count('requests')).toBe(0);
    expect(count('events')).toBe(0);
  });

  it('when the token is missing or wrong then 401 and nothing changes', async () => {
    for (const token of [null, 'wrong-token-0123456789abcdef', `${TOKEN}x`]) {
      const res = await h.api('POST', '/api/v1/requests', gadgets, { token });
      expect(res.status).toBe(401);
      expect(errorAnswer.parse(res.json)).toEqual({
        error: 'unauthorized',
        message: 'Send Authorization: Bearer <COMMIT_GATE_API_TOKEN>.',
        fields: {},
      });
    }
    expect((await h.api('GET', '/api/v1/requests/CG-1', undefined, { token: null })).status).toBe(401);
    expect(count('requests')).toBe(0);
    expect(h.standIn.callsTo('chat.postMessage')).toEqual([]);
  });

  it('when the body is over 64 KB then 413 and nothing changes', async () => {
    const res = await h.api('POST', '/api/v1/requests', {
      ...gadgets,
      special_requirements: 'x'.repeat(70_000),
    });
    expect(res.status).toBe(413);
    expect(errorAnswer.parse(res.json)).toEqual({
      error: 'too_large',
      message: 'The body is over 64 KB.',
      fields: {},
    });
    expect(count('requests')).toBe(0);
  });

  it('when a reference or path does not exist then 404 with the error shape', async () => {
    const missing = await h.api('GET', '/api/v1/requests/CG-99');
    expect(missing.status).toBe(404);
    expect(errorAnswer.parse(missing.json)).toEqual({
      error: 'not_found',
      message: 'No request CG-99.',
      fields: { reference: 'unknown' },
    });
    expect((await h.api('GET', '/api/v1/requests/banana')).status).toBe(404);
    expect(errorAnswer.parse((await h.api('GET', '/api/v1/nothing')).json).error).toBe('not_found');
  });

  it('when the same external_id is sent again then the first answer comes back and nothing happens twice', async () => {
    const body = { ...gadgets, external_id: 'crm-opp-42' };
    const first = await h.api('POST', '/api/v1/requests', body);
    const again = await h.api('POST', '/api/v1/requests', { ...body, quantity: 99 });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(count('requests')).toBe(1);

    const elsewhere = await h.api('PUT', '/api/v1/capacity/widgets/2026-12-07', {
      capacity: 100,
      external_id: 'crm-opp-42',
    });
    expect(elsewhere.status).toBe(409);
    expect(errorAnswer.parse(elsewhere.json)).toEqual({
      error: 'external_id_reused',
      message: 'external_id "crm-opp-42" was used for POST /api/v1/requests.',
      fields: { external_id: 'already used for another call' },
    });
    expect(count('capacity_overrides')).toBe(0);
  });

  it('when a week’s capacity is set by API then it is recorded as done by the API, like /commit capacity', async () => {
    const res = await h.api('PUT', '/api/v1/capacity/widgets/2026-12-09', { capacity: 320 });
    expect(res.status).toBe(200);
    expect(capacityAnswer.parse(res.json)).toEqual({
      product_line: 'widgets',
      week_start: '2026-12-07',
      capacity: 320,
      load: 0,
      percent: 0,
    });
    const sqlite = db();
    expect(
      sqlite.prepare('SELECT product_line_id, week_start, capacity, set_by FROM capacity_overrides').all(),
    ).toEqual([{ product_line_id: 'widgets', week_start: '2026-12-07', capacity: 320, set_by: 'api' }]);
    expect(
      sqlite.prepare("SELECT actor_id FROM events WHERE type = 'capacity.overridden'").pluck().all(),
    ).toEqual(['api']);
    sqlite.close();

    const unknown = await h.api('PUT', '/api/v1/capacity/sprockets/2026-12-09', { capacity: 1 });
    expect(unknown.status).toBe(404);
    expect(errorAnswer.parse(unknown.json).fields).toEqual({ product_line: 'unknown' });
    const noCapacity = await h.api('PUT', '/api/v1/capacity/gadgets/2026-12-09', { capacity: 1 });
    expect(noCapacity.status).toBe(409);
    expect(errorAnswer.parse(noCapacity.json).error).toBe('no_capacity_configured');
    const past = await h.api('PUT', '/api/v1/capacity/widgets/2026-11-02', { capacity: 1 });
    expect(past.status).toBe(400);
    expect(errorAnswer.parse(past.json).fields).toEqual({ date: 'the week is in the past' });
    const badDate = await h.api('PUT', '/api/v1/capacity/widgets/someday', { capacity: 1 });
    expect(errorAnswer.parse(badDate.json).fields).toEqual({ date: 'expected a date YYYY-MM-DD' });
  });
});

/** INTERFACE.md's table, word for word: each must be in the document. */
const DOCUMENTED_ROUTES = [
  'get /api/v1/openapi.json',
  'post /api/v1/requests',
  'get /api/v1/requests/{reference}',
  'get /api/v1/promises',
  'post /api/v1/promises/{reference}/deliveries',
  'post /api/v1/promises/{reference}/slips',
  'post /api/v1/promises/{reference}/issues',
  'post /api/v1/promises/{reference}/payments',
  'put /api/v1/capacity/{product_line}/{date}',
];

describe('OpenAPI document', () => {
  beforeEach(async () => {
    h = await Harness.start({ apiToken: TOKEN });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('when /api/v1/openapi.json is read without a token then it is a valid OpenAPI 3.1 document with every route', async () => {
    const res = await h.api('GET', '/api/v1/openapi.json', undefined, { token: null });
    expect(res.status).toBe(200);
    const doc = res.json as { openapi: string; paths: Record<string, Record<string, { responses: object }>> };
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const inDoc = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(inDoc.sort()).toEqual([...DOCUMENTED_ROUTES].sort());
    // Every authenticated route documents the error answers it can give.
    for (const [path, ops] of Object.entries(doc.paths))
      for (const op of Object.values(ops))
        if (path !== '/api/v1/openapi.json') expect(Object.keys(op.responses)).toContain('401');
  });
});

describe('HTTP API switched off', () => {
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('when COMMIT_GATE_API_TOKEN is unset then every /api/ path is 404, the document included', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/openapi.json'],
      ['POST', '/api/v1/requests'],
      ['GET', '/api/anything'],
    ] as const) {
      const res = await h.api(method, path, method === 'POST' ? gadgets : undefined, {
        token: 'whatever-token',
      });
      expect(res.status).toBe(404);
      expect(errorAnswer.parse(res.json).error).toBe('not_found');
    }
    expect(count('requests')).toBe(0);
  });
});
