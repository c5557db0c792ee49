// The capacity services against a real SQLite database with the real migrations: the indexed
// load read, overrides, moving and freeing load by status and date, and the CTP search.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createCapacityStore } from '../../src/db/capacity-repo.js';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createOutbox } from '../../src/db/outbox-repo.js';
import { createPromiseStore } from '../../src/db/promise-repo.js';
import { createRequestStore } from '../../src/db/request-repo.js';
import { userActor } from '../../src/domain/actor.js';
import type { RequestStatus } from '../../src/domain/request.js';
import {
  capacityOutlook,
  checkCapacity,
  earliestFeasibleDate,
  setCapacity,
} from '../../src/services/capacity.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { exampleConfig } from '../support/config.js';
import { FixedClock } from '../support/fixed-clock.js';

let db: Db;
let deps: ServiceDeps;
const config: Config = exampleConfig();

beforeEach(() => {
  db = createDb(':memory:');
  deps = {
    store: createRequestStore(db),
    outbox: createOutbox(db),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config,
    clock: new FixedClock('2026-11-23T15:00:00Z'),
    onNotify: () => {},
  };
});
afterEach(() => closeDb(db));

function seed(
  quantity: number,
  deliveryDate: string,
  status: RequestStatus = 'pending',
  productLineId = 'widgets',
) {
  const row = deps.store.insertRequest({
    sellerId: 'U0SELLER',
    facts: {
      customer: 'Acme',
      productLineId,
      quantity,
      valueMinor: 100_000,
      deliveryDate,
      paymentTermsDays: 30,
      discountPercent: 0,
      specialRequirements: null,
      dealReference: null,
    },
    currency: 'USD',
    sourceChannelId: null,
    at: new Date('2026-11-23T15:00:00Z'),
    signOffs: [],
    status: 'pending',
  });
  if (status !== 'pending') setStatus(row.id, status);
  return row.id;
}

function setStatus(id: number, status: RequestStatus) {
  db.$client.prepare('UPDATE requests SET status = ? WHERE id = ?').run(status, id);
}

const widgets = (quantity: number, deliveryDate = '2026-12-09') => ({
  productLineId: 'widgets',
  quantity,
  deliveryDate,
});

describe('checkCapacity', () => {
  it('when requests of every status exist then only approved (firm) and pending (tentative) count', () => {
    seed(100, '2026-12-07', 'approved');
    seed(50, '2026-12-08', 'pending');
    seed(1000, '2026-12-09', 'rejected');
    seed(1000, '2026-12-10', 'withdrawn');
    seed(1000, '2026-12-11', 'expired');
    seed(1000, '2026-12-09', 'approved', 'gadgets');
    seed(1000, '2026-12-06', 'approved'); // the week before
    seed(1000, '2026-12-14', 'approved'); // the week after
    expect(checkCapacity(deps, widgets(10))).toMatchObject({ verdict: 'fits', firm: 100, tentative: 50 });
  });

  it('when a pending request is approved, withdrawn or moved to another week then the load follows its status and date', () => {
    const id = seed(400, '2026-12-09');
    expect(checkCapacity(deps, widgets(200))).toMatchObject({ verdict: 'fits_if_pending_fall_through' });
    setStatus(id, 'approved');
    expect(checkCapacity(deps, widgets(200))).toMatchObject({ verdict: 'over', firm: 400, tentative: 0 });
    db.$client.prepare("UPDATE requests SET delivery_date = '2026-12-16' WHERE id = ?").run(id);
    expect(checkCapacity(deps, widgets(200))).toMatchObject({ verdict: 'fits', firm: 0 });
    expect(checkCapacity(deps, widgets(200, '2026-12-16'))).toMatchObject({ verdict: 'over', firm: 400 });
    setStatus(id, 'withdrawn');
    expect(checkCapacity(deps, widgets(200, '2026-12-16'))).toMatchObject({ verdict: 'fits', firm: 0 });
  });

  it('when a revision re-checks a stored request then its own load is not counted against it', () => {
    const id = seed(450, '2026-12-09');
    expect(checkCapacity(deps, widgets(480))).toMatchObject({ verdict: 'fits_if_pending_fall_through' });
    expect(checkCapacity(deps, widgets(480), { excludeRequestId: id })).toMatchObject({
      verdict: 'fits',
      tentative: 0,
    });
  });

  it('when it does not fit then the earliest feasible date skips weeks that are full or too small', () => {
    seed(500, '2026-12-09', 'approved');
    seed(450, '2026-12-15', 'approved');
    setCapacity(deps, {
      actor: userActor('U0OPS1'),
      productLineId: 'widgets',
      from: '2026-12-21',
      capacity: 50,
    });
    const check = checkCapacity(deps, widgets(100));
    expect(check).toMatchObject({ verdict: 'over', earliestFeasibleDate: '2026-12-28', horizonWeeks: 26 });
    expect(earliestFeasibleDate(deps, widgets(100))).toBe('2026-12-28');
    expect(earliestFeasibleDate(deps, widgets(100, '2027-01-06'))).toBe('2027-01-06');
  });

  it('when the quantity is larger than any week can hold then there is no earliest feasible date', () => {
    expect(checkCapacity(deps, widgets(501))).toMatchObject({
      verdict: 'over',
      overBy: 1,
      earliestFeasibleDate: null,
    });
  });

  it('when a later week is raised above the quantity then it becomes the earliest feasible date', () => {
    setCapacity(deps, {
      actor: userActor('U0OPS1'),
      productLineId: 'widgets',
      from: '2027-03-01',
      capacity: 2000,
    });
    expect(checkCapacity(deps, widgets(1500))).toMatchObject({ earliestFeasibleDate: '2027-03-01' });
  });

  it('when the product line has no capacity then nothing is read and the check says so', () => {
    expect(
      checkCapacity(deps, { productLineId: 'gadgets', quantity: 5, deliveryDate: '2026-12-09' }),
    ).toEqual({
      verdict: 'no_capacity_configured',
      productLineId: 'gadgets',
      weekStart: '2026-12-07',
    });
    expect(
      earliestFeasibleDate(deps, { productLineId: 'gadgets', quantity: 5, deliveryDate: '2026-12-09' }),
    ).toBeNull();
  });

  it('when the load is read then SQLite uses the partial covering index, not a scan', () => {
    const plan = db.$client
      .prepare(
        `EXPLAIN QUERY PLAN SELECT delivery_date, status, SUM(quantity) FROM requests
          WHERE product_line_id = 'widgets' AND delivery_date >= '2026-12-07' AND delivery_date < '2026-12-14'
            AND status IN ('pending', 'approved') AND id != -1 GROUP BY delivery_date, status`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toContain('USING COVERING INDEX requests_open_load_idx');
  });
});

describe('setCapacity', () => {
  it('when an operations owner sets a range then every week gets it, each recorded', () => {
    const result = setCapacity(deps, {
      actor: userActor('U0OPS2'),
      productLineId: 'widgets',
      from: '2026-12-09',
      to: '2026-12-21',
      capacity: 300,
    });
    expect(result.ok && result.weeks.map((w) => [w.weekStart, w.capacity, w.overridden])).toEqual([
      ['2026-12-07', 300, true],
      ['2026-12-14', 300, true],
      ['2026-12-21', 300, true],
    ]);
    const events = db.$client
      .prepare("SELECT count(*) FROM events WHERE type = 'capacity.overridden'")
      .pluck()
      .get();
    expect(events).toBe(3);
  });

  it('when someone else, a line without capacity or a bad number is given then it is refused', () => {
    const base = { productLineId: 'widgets', from: '2026-12-09', capacity: 300 };
    expect(setCapacity(deps, { ...base, actor: userActor('U0QA1') })).toEqual({
      ok: false,
      reason: 'not_operations_owner',
    });
    expect(setCapacity(deps, { ...base, actor: userActor('U0OPS1'), productLineId: 'gadgets' })).toEqual({
      ok: false,
      reason: 'no_capacity_configured',
    });
    expect(setCapacity(deps, { ...base, actor: userActor('U0OPS1'), productLineId: 'nope' })).toEqual({
      ok: false,
      reason: 'unknown_product_line',
    });
    expect(setCapacity(deps, { ...base, actor: userActor('U0OPS1'), capacity: -1 })).toEqual({
      ok: false,
      reason: 'invalid_capacity',
    });
    expect(db.$client.prepare('SELECT count(*) FROM capacity_overrides').pluck().get()).toBe(0);
  });
});

describe('capacityOutlook', () => {
  it('when asked for the next weeks then each line with a capacity gets its weeks from the current local week, flagged', () => {
    seed(460, '2026-11-29'); // Sunday: this week
    seed(501, '2026-12-01', 'approved');
    const [widgetsLine, gadgetsLine] = capacityOutlook(deps, { weeks: 4 });
    expect(widgetsLine?.weeks?.map((w) => [w.weekStart, w.load, w.flag])).toEqual([
      ['2026-11-23', 460, 'over_90'],
      ['2026-11-30', 501, 'over_100'],
      ['2026-12-07', 0, null],
      ['2026-12-14', 0, null],
    ]);
    expect(gadgetsLine).toMatchObject({ productLineId: 'gadgets', weeks: null });
  });
});
