import { describe, expect, it } from 'vitest';
import { addDays, weekStart } from '../../src/domain/calendar.js';
import {
  assessCapacity,
  type CapacityQuestion,
  currentWeekStart,
  type DayLoad,
  earliestFittingWeek,
  loadWeekOf,
  outlookOf,
  planOverride,
  totalOf,
  verdictFor,
  type WeekFigures,
  weekFigures,
  weekRange,
  weeksFrom,
} from '../../src/domain/capacity.js';

const week = (weekStart: string, over: Partial<WeekFigures> = {}): WeekFigures => ({
  weekStart,
  capacity: 500,
  overridden: false,
  firm: 0,
  tentative: 0,
  ...over,
});

const load = (deliveryDate: string, status: DayLoad['status'], quantity: number): DayLoad => ({
  deliveryDate,
  status,
  quantity,
});

const question = (over: Partial<CapacityQuestion> = {}): CapacityQuestion => ({
  productLineId: 'widgets',
  quantity: 100,
  deliveryDate: '2026-12-09',
  ...over,
});

describe('the load rule: the whole quantity in the Monday-to-Sunday week of the delivery date', () => {
  it('when a delivery date is any day of a week then its load lands on that Monday', () => {
    expect(loadWeekOf('2026-12-07')).toBe('2026-12-07'); // Monday
    expect(loadWeekOf('2026-12-09')).toBe('2026-12-07'); // Wednesday
    expect(loadWeekOf('2026-12-13')).toBe('2026-12-07'); // Sunday still belongs to the week before
    expect(loadWeekOf('2026-12-14')).toBe('2026-12-14'); // the next Monday starts the next week
  });

  it('when every day of several years is bucketed then the week is the same as calendar.weekStart', () => {
    for (let day = '2023-12-25'; day < '2029-01-08'; day = addDays(day, 1)) {
      expect(loadWeekOf(day)).toBe(weekStart(day));
    }
  });

  it('when a week spans a month or a year end then it is one week', () => {
    expect(loadWeekOf('2027-01-01')).toBe('2026-12-28');
    expect(loadWeekOf('2027-01-03')).toBe('2026-12-28');
    expect(loadWeekOf('2026-03-01')).toBe('2026-02-23');
  });

  it('when it is Sunday night in New York but Monday in UTC then the current week is still the local one', () => {
    // 2026-12-14T03:30Z is Sunday 13 Dec 22:30 in New York.
    expect(currentWeekStart(new Date('2026-12-14T03:30:00Z'), 'America/New_York')).toBe('2026-12-07');
    expect(currentWeekStart(new Date('2026-12-14T03:30:00Z'), 'UTC')).toBe('2026-12-14');
    // Monday 00:30 in Tokyo is still Sunday in UTC.
    expect(currentWeekStart(new Date('2026-12-13T15:30:00Z'), 'Asia/Tokyo')).toBe('2026-12-14');
  });

  it('when weeks cross a daylight-saving change then each week is exactly seven calendar days', () => {
    expect(weeksFrom('2026-03-04', 3)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    expect(weeksFrom('2026-10-28', 2)).toEqual(['2026-10-26', '2026-11-02']);
    expect(weekRange('2026-12-09', 2)).toEqual({ from: '2026-12-07', toExclusive: '2026-12-21' });
    expect(weeksFrom('2026-12-09', 0)).toEqual([]);
  });
});

describe('week figures', () => {
  it('when approved and pending requests are loaded then they are firm and tentative load of their week', () => {
    const figures = weekFigures({
      weeks: ['2026-12-07', '2026-12-14'],
      defaultCapacity: 500,
      overrides: [],
      load: [
        load('2026-12-07', 'approved', 100),
        load('2026-12-13', 'approved', 50),
        load('2026-12-10', 'pending', 30),
        load('2026-12-14', 'pending', 70),
      ],
    });
    expect(figures).toEqual([
      week('2026-12-07', { firm: 150, tentative: 30 }),
      week('2026-12-14', { tentative: 70 }),
    ]);
  });

  it('when a week has an override then it replaces the default capacity for that week only', () => {
    const figures = weekFigures({
      weeks: ['2026-12-07', '2026-12-14'],
      defaultCapacity: 500,
      overrides: [{ weekStart: '2026-12-14', capacity: 0 }],
      load: [],
    });
    expect(figures.map((f) => [f.capacity, f.overridden])).toEqual([
      [500, false],
      [0, true],
    ]);
  });

  it('when load falls outside the asked weeks then it is ignored', () => {
    const [only] = weekFigures({
      weeks: ['2026-12-07'],
      defaultCapacity: 500,
      overrides: [],
      load: [load('2026-12-06', 'approved', 999), load('2026-12-14', 'approved', 999)],
    });
    expect(only).toEqual(week('2026-12-07'));
  });
});

describe('the verdict', () => {
  it('when firm + tentative + this request is within capacity then it fits, even exactly at capacity', () => {
    expect(verdictFor(week('w', { firm: 300, tentative: 100 }), 100)).toEqual({ verdict: 'fits', overBy: 0 });
  });

  it('when it fits only without the pending requests then it fits if pending requests fall through', () => {
    expect(verdictFor(week('w', { firm: 300, tentative: 150 }), 100)).toEqual({
      verdict: 'fits_if_pending_fall_through',
      overBy: 50,
    });
  });

  it('when even firm load leaves no room then it is over capacity by the whole excess', () => {
    expect(verdictFor(week('w', { firm: 450, tentative: 100 }), 100)).toEqual({
      verdict: 'over',
      overBy: 150,
    });
  });

  it('when a week is overridden to zero then any quantity is over', () => {
    expect(verdictFor(week('w', { capacity: 0 }), 1)).toEqual({ verdict: 'over', overBy: 1 });
  });
});

describe('the check (ATP) and the earliest feasible date (CTP)', () => {
  it('when the product line has no capacity then the check is skipped and says so', () => {
    expect(assessCapacity(question(), null)).toEqual({
      verdict: 'no_capacity_configured',
      productLineId: 'widgets',
      weekStart: '2026-12-07',
    });
  });

  it('when it fits then the earliest feasible date is the requested date and later weeks are not needed', () => {
    const check = assessCapacity(question(), week('2026-12-07', { firm: 100, tentative: 100 }));
    expect(check).toMatchObject({
      verdict: 'fits',
      capacity: 500,
      firm: 100,
      tentative: 100,
      thisRequest: 100,
      overBy: 0,
      earliestFeasibleDate: '2026-12-09',
    });
  });

  it('when it is over then the earliest feasible date is the Monday of the first later week where it fits', () => {
    const later = [
      week('2026-12-14', { firm: 450 }),
      week('2026-12-21', { firm: 300, tentative: 150 }), // fits only if pending fall through: not enough
      week('2026-12-28', { firm: 200, tentative: 200 }),
      week('2027-01-04'),
    ];
    const check = assessCapacity(question(), week('2026-12-07', { firm: 500 }), later.map(totalOf));
    expect(check).toMatchObject({
      verdict: 'over',
      overBy: 100,
      earliestFeasibleDate: '2026-12-28',
      horizonWeeks: 4,
    });
  });

  it('when a later week has a raised override then that week becomes the earliest feasible one', () => {
    const later = [week('2026-12-14', { firm: 480, capacity: 600, overridden: true }), week('2026-12-21')];
    expect(assessCapacity(question(), week('2026-12-07', { firm: 500 }), later.map(totalOf))).toMatchObject({
      earliestFeasibleDate: '2026-12-14',
    });
  });

  it('when no week in the horizon has room then there is no earliest feasible date', () => {
    const check = assessCapacity(question({ quantity: 600 }), week('2026-12-07'), [
      totalOf(week('2026-12-14')),
    ]);
    expect(check).toMatchObject({ verdict: 'over', overBy: 100, earliestFeasibleDate: null });
  });

  it('when the weeks given include the requested week or earlier then they are not proposed', () => {
    const check = assessCapacity(question(), week('2026-12-07', { firm: 500 }), [
      totalOf(week('2026-11-30')),
      totalOf(week('2026-12-07')),
      totalOf(week('2026-12-14')),
    ]);
    expect(check.verdict !== 'no_capacity_configured' && check.earliestFeasibleDate).toBe('2026-12-14');
  });

  it('when it fits only if pending fall through then the earliest date where it surely fits is still given', () => {
    const check = assessCapacity(question(), week('2026-12-07', { firm: 300, tentative: 200 }), [
      totalOf(week('2026-12-14')),
    ]);
    expect(check).toMatchObject({
      verdict: 'fits_if_pending_fall_through',
      overBy: 100,
      earliestFeasibleDate: '2026-12-14',
    });
  });
});

describe('freeing and moving load', () => {
  const base = [load('2026-12-08', 'approved', 300), load('2026-12-09', 'pending', 150)];
  const figuresOf = (rows: DayLoad[]) =>
    weekFigures({ weeks: ['2026-12-07', '2026-12-14'], defaultCapacity: 500, overrides: [], load: rows });

  it('when a pending request is rejected (it leaves the open load) then the next request fits', () => {
    const [before] = figuresOf(base);
    expect(verdictFor(before as WeekFigures, 100).verdict).toBe('fits_if_pending_fall_through');
    const [after] = figuresOf([load('2026-12-08', 'approved', 300)]);
    expect(verdictFor(after as WeekFigures, 100).verdict).toBe('fits');
  });

  it('when a request is approved then its load turns from tentative to firm without changing the total', () => {
    const [after] = figuresOf([load('2026-12-08', 'approved', 300), load('2026-12-09', 'approved', 150)]);
    expect(after).toMatchObject({ firm: 450, tentative: 0 });
    expect(verdictFor(after as WeekFigures, 100).verdict).toBe('over');
  });

  it('when a revision moves the delivery date to the next week then the load moves with it', () => {
    const [first, second] = figuresOf([
      load('2026-12-08', 'approved', 300),
      load('2026-12-15', 'pending', 150),
    ]);
    expect(first).toMatchObject({ firm: 300, tentative: 0 });
    expect(second).toMatchObject({ firm: 0, tentative: 150 });
  });
});

describe('the outlook', () => {
  it('when load is at most 90% then no flag; above 90% flagged; above capacity flagged over 100%', () => {
    expect(outlookOf(week('w', { firm: 450 }))).toMatchObject({ load: 450, percent: 90, flag: null });
    expect(outlookOf(week('w', { firm: 400, tentative: 51 }))).toMatchObject({
      percent: 90,
      flag: 'over_90',
    });
    expect(outlookOf(week('w', { firm: 500 }))).toMatchObject({ percent: 100, flag: 'over_90' });
    expect(outlookOf(week('w', { firm: 500, tentative: 1 }))).toMatchObject({
      percent: 100,
      flag: 'over_100',
    });
    expect(outlookOf(week('w', { firm: 100, tentative: 650 }))).toMatchObject({
      percent: 150,
      flag: 'over_100',
    });
  });

  it('when a week has zero capacity then it is over only if something is booked', () => {
    expect(outlookOf(week('w', { capacity: 0 }))).toMatchObject({ percent: 0, flag: null });
    expect(outlookOf(week('w', { capacity: 0, tentative: 5 }))).toMatchObject({
      percent: null,
      flag: 'over_100',
    });
  });
});

describe('planning an override', () => {
  it('when a single day is given then its whole week is overridden', () => {
    expect(planOverride('2026-12-09', '2026-12-09', '2026-11-23')).toEqual({
      ok: true,
      weeks: ['2026-12-07'],
    });
  });

  it('when a range is given then every week from the first to the last is overridden', () => {
    expect(planOverride('2026-12-07', '2027-01-01', '2026-11-23')).toEqual({
      ok: true,
      weeks: ['2026-12-07', '2026-12-14', '2026-12-21', '2026-12-28'],
    });
  });

  it('when the week is in the past, the range backwards or too long then it is refused', () => {
    expect(planOverride('2026-11-16', '2026-11-16', '2026-11-23')).toEqual({
      ok: false,
      reason: 'in_the_past',
    });
    expect(planOverride('2026-11-23', '2026-11-23', '2026-11-23').ok).toBe(true);
    expect(planOverride('2026-12-14', '2026-12-07', '2026-11-23')).toEqual({
      ok: false,
      reason: 'backwards',
    });
    expect(planOverride('2026-12-07', '2029-12-07', '2026-11-23')).toEqual({
      ok: false,
      reason: 'too_many_weeks',
    });
  });

  it('when earliestFittingWeek is given no weeks then there is none', () => {
    expect(earliestFittingWeek([], 1)).toBeNull();
  });
});
