// The promise routes of the HTTP API on the running bot: deliveries, slips, quality issues and
// payments through the promise services (the same ones /commit delivered … calls), their 404/409
// answers, idempotent retries, and the list of promises.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../dev/slack-stand-in.js';
import { errorAnswer, promiseAnswer, promisesAnswer, requestDetailAnswer } from '../../src/api/schemas.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { Harness } from '../support/harness.js';

const TOKEN = 'test-api-token-0123456789abcdef';

type Block = { elements?: { action_id?: string; value?: string }[] };
const buttonValue = (call: RecordedCall, actionId: string): string => {
  for (const b of call.args.blocks as Block[])
    for (const e of b.elements ?? []) if (e.action_id === actionId && e.value) return e.value;
  throw new Error(`no ${actionId} button`);
};

let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ apiToken: TOKEN });
});
afterEach(async () => {
  await h.stop();
});

/** A gadgets request created by API and approved by operations with the thread's button. */
async function clearedRequest(n: number, delivery = '2027-02-01'): Promise<string> {
  const res = await h.api('POST', '/api/v1/requests', {
    seller: 'U0SELLER',
    customer: `Customer ${n}`,
    product_line: 'gadgets',
    quantity: 10,
    value_minor: 500_000,
    delivery_date: delivery,
  });
  expect(res.status).toBe(201);
  const asks = await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string',
    { count: n },
  );
  const ask = asks[n - 1] as RecordedCall;
  await h.click(
    'U0OPS1',
    ACTIONS.approve,
    buttonValue(ask, ACTIONS.approve),
    (ask.response as { ts: string }).ts,
  );
  await h.standIn.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      String(c.args.channel).startsWith('D') &&
      String(c.args.text).includes(`CG-${n}`),
  );
  return `CG-${n}`;
}

function rows(sql: string): unknown[] {
  const sqlite = new Database(h.dbPath, { readonly: true });
  try {
    return sqlite.prepare(sql).all();
  } finally {
    sqlite.close();
  }
}

describe('promise routes', () => {
  it('when an ERP reports a part delivery then the promise is partly delivered, recorded as by the API, and its thread shows it', async () => {
    const ref = await clearedRequest(1);
    const res = await h.api('POST', `/api/v1/promises/${ref}/deliveries`, {
      delivered_on: '2026-11-23',
      quantity: 4,
    });
    expect(res.status).toBe(201);
    const { promise } = promiseAnswer.parse(res.json);
    expect(promise).toMatchObject({
      reference: 'CG-1',
      state: 'partly_delivered',
      delivered_quantity: 4,
      open_quantity: 6,
      promised_on: '2027-02-01',
      deliveries: [{ delivered_on: '2026-11-23', quantity: 4, recorded_by: 'api' }],
    });
    expect(rows("SELECT type, actor_id FROM events WHERE type LIKE 'promise.%'")).toEqual([
      { type: 'promise.delivered', actor_id: 'api' },
    ]);
    // The thread notice and the parent's re-render were queued with the delivery, in its transaction.
    expect(
      rows("SELECT kind FROM outbox WHERE kind IN ('promise.notice', 'promise.seller_told') ORDER BY id"),
    ).toEqual([{ kind: 'promise.seller_told' }, { kind: 'promise.notice' }]);

    // …and delivered: the thread shows the part delivery, recorded by the API.
    const parent = h.standIn.messages('C0REQUESTS').find((m) => !m.thread_ts);
    const [notice] = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts === parent?.ts &&
        String(c.args.text).includes('part delivery of 4'),
    );
    expect(String((notice as RecordedCall).args.text)).toContain('`api` recorded a part delivery of 4');
    expect(String((notice as RecordedCall).args.text)).toContain('6 still open');

    const detail = requestDetailAnswer.parse((await h.api('GET', `/api/v1/requests/${ref}`)).json);
    expect(detail.promise?.state).toBe('partly_delivered');
    expect(detail.history.at(-1)).toMatchObject({ type: 'promise.delivered', actor: 'api' });
  });

  it('when the rest is delivered, paid, and an issue reported then each step is recorded; a further delivery is 409', async () => {
    const ref = await clearedRequest(1);
    expect((await h.api('POST', `/api/v1/promises/${ref}/deliveries`, {})).status).toBe(201);
    const over = await h.api('POST', `/api/v1/promises/${ref}/deliveries`, { quantity: 1 });
    expect(over.status).toBe(409);
    expect(errorAnswer.parse(over.json)).toEqual({
      error: 'already_delivered',
      message: 'CG-1 is already delivered in full.',
      fields: {},
    });
    const issue = await h.api('POST', `/api/v1/promises/${ref}/issues`, {
      kind: 'rework',
      note: 'two boxes dented',
      quantity: 2,
    });
    expect(issue.status).toBe(201);
    expect(promiseAnswer.parse(issue.json).promise.issues).toMatchObject([
      { kind: 'rework', quantity: 2, recorded_by: 'api' },
    ]);
    const paid = await h.api('POST', `/api/v1/promises/${ref}/payments`, {
      paid_on: '2026-11-23',
      amount_minor: 200_000,
    });
    expect(promiseAnswer.parse(paid.json).promise).toMatchObject({
      paid_minor: 200_000,
      state: 'delivered',
      on_time_in_full: true,
    });
    const tooMuch = await h.api('POST', `/api/v1/promises/${ref}/payments`, { amount_minor: 400_000 });
    expect(tooMuch.status).toBe(409);
    expect(errorAnswer.parse(tooMuch.json)).toMatchObject({
      error: 'over_open_value',
      fields: { amount_minor: 'more than the open value (300000)' },
    });
  });

  it('when a slip is reported then the expected date is recorded beside the promised one; a date before today is 400 naming the field', async () => {
    const ref = await clearedRequest(1);
    const res = await h.api('POST', `/api/v1/promises/${ref}/slips`, {
      expected_on: '2027-02-15',
      reason: 'supplier late',
    });
    expect(res.status).toBe(201);
    expect(promiseAnswer.parse(res.json).promise).toMatchObject({
      state: 'at_risk',
      promised_on: '2027-02-01',
      expected_on: '2027-02-15',
    });
    const past = await h.api('POST', `/api/v1/promises/${ref}/slips`, {
      expected_on: '2026-11-01',
      reason: 'x',
    });
    expect(past.status).toBe(400);
    expect(errorAnswer.parse(past.json).fields).toEqual({ expected_on: expect.stringContaining('2026-1') });
    const missing = await h.api('POST', `/api/v1/promises/${ref}/slips`, { expected_on: '2027-03-01' });
    expect(errorAnswer.parse(missing.json).fields).toEqual({ reason: 'required' });
  });

  it('when a reference is unknown or not cleared then 404 or 409, and nothing is recorded', async () => {
    const unknown = await h.api('POST', '/api/v1/promises/CG-42/deliveries', {});
    expect(unknown.status).toBe(404);
    expect(errorAnswer.parse(unknown.json)).toEqual({
      error: 'not_found',
      message: 'No request CG-42.',
      fields: { reference: 'unknown' },
    });
    await h.api('POST', '/api/v1/requests', {
      seller: 'U0SELLER',
      customer: 'Pending Co',
      product_line: 'gadgets',
      quantity: 1,
      value_minor: 100,
      delivery_date: '2027-02-01',
    });
    const pending = await h.api('POST', '/api/v1/promises/CG-1/deliveries', {});
    expect(pending.status).toBe(409);
    expect(errorAnswer.parse(pending.json)).toEqual({
      error: 'not_cleared',
      message: 'CG-1 is pending: it is no promise yet.',
      fields: {},
    });
    expect(rows("SELECT * FROM events WHERE type LIKE 'promise.%'")).toEqual([]);
  });

  it('when the same delivery is sent twice with one external_id then it is recorded once and the answer repeats', async () => {
    const ref = await clearedRequest(1);
    const body = { delivered_on: '2026-11-23', quantity: 3, external_id: 'wms-shipment-9' };
    const first = await h.api('POST', `/api/v1/promises/${ref}/deliveries`, body);
    const second = await h.api('POST', `/api/v1/promises/${ref}/deliveries`, body);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(rows('SELECT quantity FROM promise_deliveries')).toEqual([{ quantity: 3 }]);
  });

  it('when promises are listed by state and due date then they come soonest due first', async () => {
    await clearedRequest(1, '2027-03-01');
    await clearedRequest(2, '2027-02-01');
    await h.api('POST', '/api/v1/promises/CG-2/deliveries', {});
    const open = promisesAnswer.parse((await h.api('GET', '/api/v1/promises?state=open')).json);
    expect(open.promises.map((p) => p.reference)).toEqual(['CG-1']);
    const all = promisesAnswer.parse((await h.api('GET', '/api/v1/promises?state=open,delivered')).json);
    expect(all.promises.map((p) => p.reference)).toEqual(['CG-2', 'CG-1']);
    const due = promisesAnswer.parse((await h.api('GET', '/api/v1/promises?due_before=2027-02-15')).json);
    expect(due.promises.map((p) => p.reference)).toEqual(['CG-2']);
    const bad = await h.api('GET', '/api/v1/promises?state=late&colour=red');
    expect(bad.status).toBe(400);
    expect(errorAnswer.parse(bad.json).fields).toEqual({
      state: 'expected one of open, at_risk, overdue, delivered, partly_delivered, cancelled',
      colour: 'unknown field',
    });
  });
});
