// Thousands of random and malicious signed payloads at POST /slack/events: no crash, no 5xx, and
// not one change to the stored requests, sign-offs, approvals or events. The generator is seeded
// (FUZZ_SEED=… reproduces a run); every payload is invalid by construction: fuzzed users own no
// sign-off and every fuzzed request form has a broken field.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CALLBACKS, REQUEST_BLOCKS } from '../../src/slack/ids.js';
import { appHomeOpened, blockAction, slashCommand, stateValue, viewSubmission } from '../support/fixtures.js';
import { Harness } from '../support/harness.js';
import type { SignOptions, SimResponse } from '../support/signed-requests.js';

const RUNS = 2000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

/** mulberry32: small, fast, good enough to vary payloads reproducibly. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const NASTY = [
  '',
  ' ',
  '<!channel>',
  '<!here|here>',
  '<@U0CEO>',
  '<http://evil.example|click>',
  '*bold* _it_ ~s~ `c`',
  '&amp;&lt;&gt;',
  "'; DROP TABLE requests; --",
  '{"s":1,"v":1}',
  '{"s":"1","v":1}',
  '{"s":1e400,"v":-1}',
  '{"__proto__":{"admin":true},"s":1,"v":1}',
  '{"s":1,"v":1,"extra":true}',
  'null',
  '[]',
  '\u0000\u0001\u0002',
  '\uD800',
  '🙂'.repeat(500),
  'x'.repeat(10_000),
  '../../etc/passwd',
  '%00%ff',
  'CG-1',
];

function junk(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0:
      return r.pick(NASTY);
    case 1:
      return r.int(2 ** 31) * (r.next() < 0.2 ? -1 : 1);
    case 2:
      return r.next() < 0.5;
    case 3:
      return null;
    case 4:
      return r.next() * 1e308;
    case 5:
      return Array.from({ length: r.int(4) }, () => junk(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(4) }, () => [r.pick(NASTY).slice(0, 20) || 'k', junk(r, depth + 1)]),
      );
  }
}

/** Users that own no sign-off and asked for nothing (the seeded request is U0SELLER's). */
const fuzzUser = (r: Rng) => r.pick(['U0FUZZ1', 'W0FUZZ2', 'U0STRANGER', 'UXXXXXXXX']);

/** Deletes or replaces a random top-level field, or nothing. */
function mutate(r: Rng, payload: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...payload };
  const keys = Object.keys(copy);
  const roll = r.int(4);
  const key = r.pick(keys);
  if (roll === 0) delete copy[key];
  else if (roll === 1) copy[key] = junk(r);
  return copy;
}

function brokenRequestValues(r: Rng) {
  const input = (id: string) => `${id}_input`;
  // One field is always invalid, so no fuzzed form may ever store a request.
  const invalid = {
    customer: ['', ' ', 'x'.repeat(151)],
    quantity: ['', '0', '-5', 'abc', '1e999', '1.5'],
    value: ['', '0', '-5', 'abc'],
    deliveryDate: ['', '2020-01-01', 'not-a-date', '2027-02-30'],
  } as const;
  const broken = r.pick(Object.keys(invalid) as (keyof typeof invalid)[]);
  const value = (field: keyof typeof invalid, good: string) =>
    field === broken ? r.pick(invalid[field]) : good;
  return {
    [REQUEST_BLOCKS.customer]: {
      [input(REQUEST_BLOCKS.customer)]: stateValue.text(
        value('customer', r.pick(NASTY).slice(0, 100) || 'Acme'),
      ),
    },
    [REQUEST_BLOCKS.productLineId]: {
      [input(REQUEST_BLOCKS.productLineId)]: stateValue.select(r.pick(['gadgets', 'widgets', 'nope', ''])),
    },
    [REQUEST_BLOCKS.quantity]: {
      [input(REQUEST_BLOCKS.quantity)]: stateValue.number(value('quantity', '10')),
    },
    [REQUEST_BLOCKS.value]: { [input(REQUEST_BLOCKS.value)]: stateValue.text(value('value', '1000')) },
    [REQUEST_BLOCKS.deliveryDate]: {
      [input(REQUEST_BLOCKS.deliveryDate)]: stateValue.date(value('deliveryDate', '2027-03-01')),
    },
  };
}

type Shot = () => Promise<SimResponse>;

function generate(h: Harness, r: Rng, signOffValue: string): Shot {
  const user = fuzzUser(r);
  const value = r.next() < 0.5 ? signOffValue : String(r.pick(NASTY));
  const options: SignOptions = r.next() < 0.05 ? { signature: r.pick(['wrong', 'missing'] as const) } : {};
  switch (r.int(9)) {
    case 0:
    case 1:
      return () =>
        h.slack.interaction(
          mutate(
            r,
            blockAction({
              userId: user,
              actionId: r.pick([...Object.values(ACTIONS), 'nope', String(junk(r))]),
              value,
              channelId: 'C0REQUESTS',
            }),
          ),
          options,
        );
    case 2:
      return () =>
        h.slack.interaction(
          mutate(
            r,
            viewSubmission({
              userId: user,
              callbackId: CALLBACKS.rejectModal,
              privateMetadata:
                r.next() < 0.5
                  ? JSON.stringify({ s: 1, v: 1, channel: null, thread: null })
                  : String(junk(r)),
              values: { reason: { reason_input: stateValue.text(r.pick(NASTY)) } },
            }),
          ),
          options,
        );
    case 3:
      return () =>
        h.slack.interaction(
          mutate(
            r,
            viewSubmission({
              userId: user,
              callbackId: r.pick([CALLBACKS.requestModal, 'other', '']),
              privateMetadata: String(junk(r)),
              values: brokenRequestValues(r),
            }),
          ),
          options,
        );
    case 4:
      return () =>
        h.slack.slashCommand(
          {
            ...slashCommand({
              user_id: user,
              text: String(r.pick(NASTY)),
              command: r.pick(['/commit', '/other', '']),
            }),
          },
          options,
        );
    case 5:
      return () =>
        h.slack.event(mutate(r, appHomeOpened({ userId: user }) as unknown as Record<string, unknown>), {
          ...options,
          ...(r.next() < 0.3 ? { headers: { 'X-Slack-Retry-Num': String(r.int(4)) } } : {}),
        });
    case 6:
      return () =>
        h.slack.interaction(
          {
            type: r.pick(['block_actions', 'view_submission', 'shortcut', 'view_closed', 'block_suggestion']),
            ...(junk(r) as object),
          },
          options,
        );
    case 7:
      return () =>
        h.slack.post(
          '/slack/events',
          r.pick([
            new URLSearchParams({ payload: String(junk(r)) }).toString(),
            'payload=%7B',
            '',
            '\u0000',
            `payload=${'['.repeat(5000)}`,
          ]),
          'application/x-www-form-urlencoded',
          options,
        );
    default:
      return () =>
        h.slack.post(
          '/slack/events',
          r.pick(['{', '[]', 'null', '{"type":"url_verification","challenge":"x"}', JSON.stringify(junk(r))]),
          'application/json',
          options,
        );
  }
}

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.stop();
});

function snapshot(): string {
  const db = new Database(h.dbPath, { readonly: true });
  try {
    return JSON.stringify([
      db.prepare('SELECT * FROM requests').all(),
      db.prepare('SELECT * FROM sign_offs').all(),
      db.prepare('SELECT * FROM sign_off_approvals').all(),
      db.prepare('SELECT * FROM events').all(),
    ]);
  } finally {
    db.close();
  }
}

describe('fuzzing the HTTP endpoint', () => {
  it(`when ${RUNS} random and malicious signed payloads arrive then none gets a 5xx, nothing crashes and no stored decision changes`, async () => {
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets' });
    const [ask] = await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && !!c.args.thread_ts);
    const blocks = ask?.args.blocks as { elements?: { value?: string }[] }[];
    const signOffValue = blocks.flatMap((b) => b.elements ?? []).find((e) => e.value)?.value ?? '';
    await h.runtime.dispatcher.drain();
    const before = snapshot();

    const r = rng(SEED);
    const shots = Array.from({ length: RUNS }, () => generate(h, r, signOffValue));
    const statuses = new Map<number, number>();
    const fives: string[] = [];
    let index = 0;
    // Many in flight at once, like a busy workspace; Bolt answers unrecognised ones after 3 s.
    await Promise.all(
      Array.from({ length: 48 }, async () => {
        while (index < shots.length) {
          const i = index++;
          const res = await (shots[i] as Shot)();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) fives.push(`#${i}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      }),
    );

    expect(fives).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    // The mix reached every layer: Bolt's signature check, the guard, the middleware, the listeners.
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(200)).toBeGreaterThan(RUNS / 4);
    const health = await fetch(`http://127.0.0.1:${h.runtime.port}/healthz`);
    expect(health.status).toBe(200);
    expect(snapshot()).toBe(before);
    // Still working afterwards: the real owner's click decides.
    await h.click('U0OPS1', ACTIONS.approve, signOffValue, String(ask?.response.ts));
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DU0SELLER');
  }, 60_000);
});
