// `npx tsx bench/promise-repo.ts`: the promise store in-process, without HTTP or Slack. Seeds
// cleared requests (each a promise) in a temp database made by the real migrations, then times
// loadPromise, recordDelivery (load, domain, save, outbox in one transaction) and the scheduler's
// due list, each 1,000 times after a warm-up. Prints the mean per call in microseconds; each
// figure is the median of the rounds, so a busy moment of the shared machine does not decide it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { createCapacityStore } from '../src/db/capacity-repo.js';
import { closeDb, createDb } from '../src/db/create-db.js';
import { createOutbox } from '../src/db/outbox-repo.js';
import { createPromiseStore } from '../src/db/promise-repo.js';
import { createRequestStore } from '../src/db/request-repo.js';
import { recordDelivery } from '../src/services/promises.js';
import { submitRequest } from '../src/services/submit-request.js';
import { exampleConfigObject } from '../test/support/config.js';
import { median } from './lib/stats.js';

const PROMISES = 200;
const CALLS = 1000;
const ROUNDS = 5;

const work = mkdtempSync(join(tmpdir(), 'commit-gate-bench-promise-'));
const db = createDb(join(work, 'bench.db'));
// No rules: every request is cleared at once, so each becomes a promise.
const config = parseConfig({ ...exampleConfigObject(), rules: [] });
const promises = createPromiseStore(db);
const deps = {
  store: createRequestStore(db, { timeZone: config.timezone }),
  outbox: createOutbox(db),
  capacity: createCapacityStore(db),
  promises,
  config,
  clock: { now: () => new Date() },
  onNotify: () => {},
};
const delivery = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
for (let i = 0; i < PROMISES; i++) {
  const result = submitRequest(deps, {
    sellerId: `U0SELLER${i % 10}`,
    sourceChannelId: null,
    raw: {
      customer: `Customer ${i}`,
      productLineId: 'gadgets',
      quantity: '1000000',
      value: '1000',
      deliveryDate: delivery,
    },
  });
  if (!result.ok || result.request.status !== 'approved') throw new Error('seed: request not cleared');
}

/** Mean microseconds per call of `fn` over CALLS calls, median of ROUNDS rounds (after a warm-up). */
function time(fn: (i: number) => void): number {
  for (let i = 0; i < 200; i++) fn(i);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) fn(i);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / CALLS);
  }
  return median(rounds);
}

const id = (i: number) => (i % PROMISES) + 1;
const figures = {
  loadPromiseUs: time((i) => {
    if (!promises.loadPromise(id(i))) throw new Error('no promise');
  }),
  recordDeliveryUs: time((i) => {
    const r = recordDelivery(deps, { requestId: id(i), actor: { kind: 'api', name: 'bench' }, quantity: 1 });
    if (!r.ok) throw new Error(`delivery refused: ${JSON.stringify(r)}`);
  }),
  // After the deliveries: each promise now has a few child rows, as a real one does.
  loadPromiseAfterUs: time((i) => {
    if (!promises.loadPromise(id(i))) throw new Error('no promise');
  }),
  openPromisesDueByUs: time(() => {
    promises.openPromisesDueBy(delivery);
  }),
};
process.stdout.write(`${JSON.stringify({ promises: PROMISES, calls: CALLS, rounds: ROUNDS, ...figures })}\n`);
closeDb(db);
rmSync(work, { recursive: true, force: true });
