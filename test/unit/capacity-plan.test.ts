import { describe, expect, it } from 'vitest';
import {
  type CapacityOverride,
  capacityLevel,
  type DayLoad,
  type WeekTotal,
} from '../../src/domain/capacity.js';
import {
  assessSpread,
  competitionFor,
  placeSpread,
  splitLoad,
  splitPlan,
  spreadWeekFigures,
} from '../../src/domain/capacity-plan.js';
import { withCapacityGate } from '../../src/domain/routing.js';

// Weeks of Dec 2026: Mon 30 Nov (this week), 7, 14, 21, 28 Dec.
const THIS_WEEK = '2026-11-30';
const load = (deliveryDate: string, status: DayLoad['status'], quantity: number): DayLoad => ({
  deliveryDate,
  status,
  quantity,
});
const spread = (
  quantity: number,
  deliveryDate: string,
  rows: DayLoad[] = [],
  overrides: CapacityOverride[] = [],
) =>
  assessSpread(
    { productLineId: 'widgets', quantity, deliveryDate },
    { thisWeek: THIS_WEEK, defaultCapacity: 500, overrides, load: rows, horizonWeeks: 26 },
  );

describe('load: spread: made in the weeks up to the delivery week, latest first, from this week on', () => {
  it('when 900 units are due in the week of 14 Dec then 500 are made that week and 400 the week before', () => {
    const placed = placeSpread({
      thisWeek: THIS_WEEK,
      capacityOf: () => 500,
      load: [load('2026-12-16', 'pending', 900)],
    });
    expect(placed.tentative.get('2026-12-14')).toBe(500);
    expect(placed.tentative.get('2026-12-07')).toBe(400);
    expect(placed.tentative.get('2026-11-30')).toBeUndefined();
  });

  it('when 900 units are due in the week of 14 Dec with nothing booked then the verdict fits over three weeks', () => {
    const check = spread(900, '2026-12-16');
    expect(check).toMatchObject({
      verdict: 'fits',
      load: 'spread',
      fromWeek: THIS_WEEK,
      weekStart: '2026-12-14',
    });
    expect(check.verdict !== 'no_capacity_configured' && check.capacity).toBe(1500);
  });

  it('when the weeks up to the delivery week are exactly full then one more unit is over and the earliest date is the next week', () => {
    const full = [load('2026-12-09', 'approved', 1000)]; // fills 7 Dec and 30 Nov
    expect(spread(0, '2026-12-09', full).verdict).toBe('fits');
    const check = spread(1, '2026-12-09', full);
    expect(check).toMatchObject({ verdict: 'over', overBy: 1, earliestFeasibleDate: '2026-12-14' });
  });

  it('when a delivery is in a past week then nothing can be made for it and it is over', () => {
    const check = spread(10, '2026-11-25');
    expect(check.verdict).toBe('over');
    expect(check.verdict !== 'no_capacity_configured' && check.capacity).toBe(0);
  });

  it('when an approved request is due in a past week then it books nothing from this week on', () => {
    const figures = spreadWeekFigures({
      weeks: [THIS_WEEK],
      thisWeek: THIS_WEEK,
      defaultCapacity: 500,
      overrides: [],
      load: [load('2026-11-27', 'approved', 400)],
    });
    expect(figures[0]).toMatchObject({ firm: 0, tentative: 0 });
  });

  it('when the middle week has its capacity set to 0 then the quantity skips it for the week before', () => {
    const rows = [load('2026-12-16', 'pending', 700)];
    const overrides = [{ weekStart: '2026-12-07', capacity: 0 }];
    const figures = spreadWeekFigures({
      weeks: [THIS_WEEK, '2026-12-07', '2026-12-14'],
      thisWeek: THIS_WEEK,
      defaultCapacity: 500,
      overrides,
      load: rows,
    });
    expect(figures.map((w) => w.tentative)).toEqual([200, 0, 500]);
    expect(figures[1]?.overridden).toBe(true);
    expect(spread(1000, '2026-12-16', [], overrides).verdict).toBe('fits');
    expect(spread(1001, '2026-12-16', [], overrides)).toMatchObject({
      verdict: 'over',
      earliestFeasibleDate: '2026-12-21',
    });
  });

  it('when pending load takes the room but firm load does not then the verdict is tight', () => {
    const check = spread(600, '2026-12-09', [load('2026-12-08', 'pending', 500)]);
    expect(check).toMatchObject({ verdict: 'fits_if_pending_fall_through', overBy: 100 });
    expect(capacityLevel(check)).toBe('tight');
  });

  it('when a date moves a week later then the extra week makes room', () => {
    const booked = [load('2026-12-09', 'approved', 800)];
    expect(spread(400, '2026-12-09', booked).verdict).toBe('over');
    expect(spread(400, '2026-12-14', booked).verdict).toBe('fits');
  });

  it('when firm and pending requests compete then firm ones are placed first whatever their dates', () => {
    const placed = placeSpread({
      thisWeek: THIS_WEEK,
      capacityOf: () => 500,
      load: [load('2026-12-01', 'pending', 300), load('2026-12-02', 'approved', 400)],
    });
    expect(placed.firm.get(THIS_WEEK)).toBe(400);
    expect(placed.tentative.get(THIS_WEEK)).toBe(300); // overbooks: nowhere earlier to go
  });
});

describe('split plan for due_week lines: parts week by week instead of "never"', () => {
  const weeks = (...free: number[]): WeekTotal[] =>
    free.map((f, i) => ({
      weekStart: ['2026-12-28', '2027-01-04', '2027-01-11', '2027-01-18', '2027-01-25'][i] ?? '',
      capacity: 500,
      load: 500 - f,
    }));

  it('when 900 are asked for the week of 4 Jan with 400 free then 400 by the date asked and 500 by Mon 11 Jan', () => {
    expect(splitPlan(900, '2027-01-04', weeks(0, 400, 500))).toEqual([
      { quantity: 400, by: '2027-01-04' },
      { quantity: 500, by: '2027-01-11' },
    ]);
  });

  it('when one week has room for the whole quantity then no split is offered', () => {
    expect(splitPlan(400, '2027-01-04', weeks(0, 100, 400))).toBeNull();
  });

  it('when a week exactly full sits between then it is skipped', () => {
    expect(splitPlan(900, '2027-01-04', weeks(0, 450, 0, 450))).toEqual([
      { quantity: 450, by: '2027-01-04' },
      { quantity: 450, by: '2027-01-18' },
    ]);
  });

  it('when weeks before the requested one are free then they are not used', () => {
    expect(splitPlan(900, '2027-01-11', weeks(500, 500, 450, 450))).toEqual([
      { quantity: 450, by: '2027-01-11' },
      { quantity: 450, by: '2027-01-18' },
    ]);
  });

  it('when it would take more than four deliveries or more weeks than known then there is no plan', () => {
    expect(splitPlan(1000, '2026-12-28', weeks(200, 200, 200, 200, 200))).toBeNull();
    expect(splitPlan(2000, '2026-12-28', weeks(400, 400))).toBeNull();
  });

  it('when a split is accepted then each part loads its own week', () => {
    expect(
      splitLoad(
        [
          { quantity: 400, by: '2027-01-04' },
          { quantity: 500, by: '2027-01-11' },
        ],
        'approved',
      ),
    ).toEqual([load('2027-01-04', 'approved', 400), load('2027-01-11', 'approved', 500)]);
  });
});

describe('competing requests: pending ones that together overbook a week each alone would fit', () => {
  const week = { weekStart: '2026-12-14', capacity: 500, overridden: false, firm: 100, tentative: 640 };
  const pending = [
    { requestId: 7, quantity: 380 },
    { requestId: 9, quantity: 260 },
  ];

  it('when two pending requests together make 740 of 500 then each names the other', () => {
    expect(competitionFor(9, week, pending)).toEqual({
      weekStart: '2026-12-14',
      capacity: 500,
      together: 740,
      competitors: [7],
    });
    expect(competitionFor(7, week, pending)?.competitors).toEqual([9]);
  });

  it('when they fit together then nobody competes', () => {
    expect(competitionFor(7, { ...week, capacity: 740 }, pending)).toBeNull();
  });

  it('when one is over even alone then it is over, not competing, and the other competes with nobody', () => {
    const big = [
      { requestId: 7, quantity: 450 },
      { requestId: 9, quantity: 190 },
    ];
    expect(competitionFor(7, week, big)).toBeNull();
    expect(competitionFor(9, week, big)).toBeNull();
  });
});

describe('the gate: over capacity is never cleared without a sign-off', () => {
  const order = ['operations', 'quality', 'finance'];
  it('when no rule matches an over-capacity request then the confirming function is asked', () => {
    expect(withCapacityGate([], 'over', 'operations', order)).toEqual([
      { functionId: 'operations', requiredBy: ['over capacity: never cleared without a sign-off'] },
    ]);
  });

  it('when other functions are asked then the confirming one is added in configured order', () => {
    const got = withCapacityGate([{ functionId: 'finance', requiredBy: ['x'] }], 'over', 'operations', order);
    expect(got.map((r) => r.functionId)).toEqual(['operations', 'finance']);
  });

  it('when the verdict is fits or tight or unknown then nothing is added', () => {
    for (const level of ['fits', 'tight', null] as const)
      expect(withCapacityGate([], level, 'operations', order)).toEqual([]);
  });

  it('when the confirming function is already asked then it is not asked twice', () => {
    const asked = [{ functionId: 'operations', requiredBy: ['always required'] }];
    expect(withCapacityGate(asked, 'over', 'operations', order)).toEqual(asked);
  });
});
