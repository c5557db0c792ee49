// The scoreboard's rules on synthetic weeks: eight steady weeks, then one week that breaks one
// balance. Each imbalance fires exactly its own finding; a balanced week fires none.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.js';
import type { CapacitySection } from '../../src/domain/digest.js';
import {
  baseline,
  computeScoreboard,
  discountGivenMinor,
  mad,
  outcomeOf,
  type ScoreboardInput,
  type ScoreEvent,
  type ScorePromise,
  type ScoreRequest,
  type ScoreWeekRows,
} from '../../src/domain/scoreboard.js';
import { findingSentence } from '../../src/slack/views/digest.js';

const THIS_WEEK = '2026-11-16';
const TZ = 'America/New_York';
const OWNERS = ['U0OPS1', 'U0OPS2', 'U0QA1', 'U0FIN1'];

interface WeekShape {
  requests?: number;
  termsDays?: number;
  opsDecisions?: number;
  /** Who made each decision, in turn. */
  actors?: readonly string[];
  promises?: number;
  onTime?: number;
}

function request(id: number, monday: string, terms: number): ScoreRequest {
  return {
    id,
    productLineId: 'widgets',
    valueMinor: 100_000,
    deliveryDate: addDays(monday, 60),
    // Monday 10:00 local (EST).
    createdAt: new Date(`${monday}T15:00:00Z`),
    paymentTermsDays: terms,
    discountPercent: 0,
    functions: ['operations'],
    revised: false,
  };
}

function decision(requestId: number, monday: string, actorId: string): ScoreEvent {
  return {
    requestId,
    type: 'signoff.approved',
    actorId,
    // Tuesday 10:00 local (EST): inside business hours.
    at: new Date(`${addDays(monday, 1)}T15:00:00Z`),
    functionId: 'operations',
    valueMinor: 100_000,
    complete: true,
    overCapacity: false,
    fastLane: false,
    override: false,
    withConditions: false,
    signOffDecidedAt: null,
  };
}

function promise(requestId: number, monday: string, onTime: boolean): ScorePromise {
  const promisedOn = addDays(monday, 2);
  return {
    requestId,
    productLineId: 'widgets',
    quantity: 10,
    valueMinor: 100_000,
    paymentTermsDays: 30,
    promisedOn,
    clearedVia: 'signoffs',
    deliveries: [{ deliveredOn: onTime ? promisedOn : addDays(promisedOn, 3), quantity: 10 }],
    slips: [],
    issues: [],
    payments: [],
    cancellation: null,
  };
}

function week(
  index: number,
  monday: string,
  s: WeekShape,
): { rows: ScoreWeekRows; promises: ScorePromise[] } {
  const n = s.requests ?? 10;
  const base = index * 1000;
  const submitted = Array.from({ length: n }, (_, i) => request(base + i, monday, s.termsDays ?? 30));
  const actors = s.actors ?? OWNERS;
  const events = Array.from({ length: s.opsDecisions ?? 10 }, (_, i) =>
    decision(base + i, monday, actors[i % actors.length] as string),
  );
  const count = s.promises ?? 5;
  const onTime = s.onTime ?? count;
  const promises = Array.from({ length: count }, (_, i) => promise(base + 500 + i, monday, i < onTime));
  return {
    rows: { weekStart: monday, submitted, events },
    promises,
  };
}

/** Eight steady weeks and this week shaped by `thisWeek`. */
function input(thisWeek: WeekShape = {}, capacity?: CapacitySection): ScoreboardInput {
  const weeks = Array.from({ length: 9 }, (_, i) => {
    const monday = addDays(THIS_WEEK, -7 * (8 - i));
    return week(i, monday, i === 8 ? thisWeek : {});
  });
  return {
    weekStart: THIS_WEEK,
    timeZone: TZ,
    businessHours: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    asOf: new Date('2026-11-23T14:00:00Z'),
    today: '2026-11-23',
    weeks: weeks.map((w) => w.rows),
    promises: weeks.flatMap((w) => w.promises),
    productLines: [
      { id: 'widgets', name: 'Widgets', leadTimeDays: 21 },
      { id: 'gadgets', name: 'Gadgets', leadTimeDays: 35 },
    ],
    functions: [
      { id: 'operations', label: 'Operations', owners: ['U0OPS1', 'U0OPS2'], approvals: 1 },
      { id: 'quality', label: 'Quality', owners: ['U0QA1'], approvals: 1 },
      { id: 'finance', label: 'Finance', owners: ['U0FIN1', 'U0FIN2'], approvals: 1 },
    ],
    defaultPaymentTermsDays: 30,
    executionFunction: 'operations',
    qualityFunction: 'quality',
    peopleFunction: 'people',
    ...(capacity ? { capacity } : {}),
  };
}

const sentences = (i: ScoreboardInput) =>
  computeScoreboard(i).findings.map((f) => findingSentence(f, { currency: 'USD' }));

describe('scoreboard: where to look on synthetic weeks', () => {
  it('when every link is steady then nothing fires', () => {
    expect(computeScoreboard(input()).findings).toEqual([]);
  });

  it('when inflow rises 60% while Operations decides as many as usual then it fires on execution alone', () => {
    const s = computeScoreboard(input({ requests: 16 }));
    expect(s.findings.map((f) => [f.rule, f.link])).toEqual([['inflow_vs_execution', 'execution']]);
    expect(sentences(input({ requests: 16 }))).toEqual([
      'Order inflow rose 60% on its 8-week median (16 requests against 10) while Operations decided 10 sign-offs, flat on its median of 10: act on Execution.',
    ]);
  });

  it('when inflow rises and Operations keeps up then nothing fires', () => {
    expect(computeScoreboard(input({ requests: 16, opsDecisions: 16 })).findings).toEqual([]);
  });

  it('when one owner makes 8 of 10 decisions then it fires on people alone', () => {
    const actors = ['U0OPS1', 'U0OPS1', 'U0OPS1', 'U0OPS1', 'U0OPS2'];
    expect(sentences(input({ actors }))).toEqual([
      "One owner, <@U0OPS1>, made 80% of the week's 10 sign-off decisions: act on People (share the load or name a delegate).",
    ]);
    expect(computeScoreboard(input({ actors })).findings.map((f) => f.link)).toEqual(['people']);
  });

  it('when payment terms drift from 30 to 60 days then it fires on finance alone', () => {
    expect(sentences(input({ termsDays: 60 }))).toEqual([
      'Payment terms drifted longer: 60 days value-weighted this week against an 8-week median of 30 (default 30), $10,000.00 on terms over 30 days: act on Finance.',
    ]);
  });

  it('when a week on the horizon is booked over 100% then it fires on execution, naming the worst week', () => {
    const capacity: CapacitySection = {
      lines: [
        {
          productLineId: 'widgets',
          name: 'Widgets',
          weeks: [
            {
              weekStart: '2026-11-30',
              capacity: 500,
              firm: 400,
              tentative: 0,
              load: 400,
              percent: 80,
              flag: null,
              overridden: false,
            },
            {
              weekStart: '2026-12-14',
              capacity: 500,
              firm: 650,
              tentative: 0,
              load: 650,
              percent: 130,
              flag: 'over_100',
              overridden: false,
            },
            {
              weekStart: '2027-03-01',
              capacity: 500,
              firm: 550,
              tentative: 0,
              load: 550,
              percent: 110,
              flag: 'over_100',
              overridden: false,
            },
          ],
        },
      ],
    };
    const s = computeScoreboard(input({}, capacity));
    expect(s.overbooked.map((w) => w.weekStart)).toEqual(['2026-12-14', '2027-03-01']);
    expect(sentences(input({}, capacity))).toEqual([
      'Widgets is booked 130% in the week of Mon 14 Dec 2026 (650 of 500); 2 weeks are overbooked on the horizon: act on Execution.',
    ]);
  });

  it("when a line's OTIF drops to 40% against its own median of 100% then it fires on execution naming the line", () => {
    expect(sentences(input({ onTime: 2 }))).toEqual([
      'On time in full for Widgets fell to 40% against its 8-week median of 100% (5 promises judged): act on Execution.',
    ]);
  });

  it('when several links are out of line then the biggest comes first and there are at most five', () => {
    const s = computeScoreboard(input({ requests: 16, termsDays: 60, onTime: 0, actors: ['U0OPS1'] }));
    expect(s.findings.map((f) => f.rule)).toEqual([
      'otif_drop',
      'terms_drift',
      'inflow_vs_execution',
      'one_owner',
    ]);
    const m = s.findings.map((f) => f.magnitude);
    expect([...m].sort((a, b) => b - a)).toEqual(m);
  });
});

describe('scoreboard: figures and their baseline', () => {
  it('when the weeks before are from before the bot was in use then they have no data, not zeros', () => {
    const i = input({ requests: 16 });
    const fresh = { ...i, weeks: i.weeks.map((w, n) => (n < 8 ? { ...w, inUse: false } : w)) };
    const inflow = computeScoreboard(fresh).links[0]?.figures.find((f) => f.id === 'sales.requests_in');
    expect(inflow).toMatchObject({ thisWeek: 16, lastWeek: null, median8w: null, arrow: null });
    expect(inflow?.history).toEqual([null, null, null, null, null, null, null, null, 16]);
    expect(computeScoreboard(fresh).findings).toEqual([]);
  });

  it('when a figure moves more than twice its usual spread then it gets an arrow, and not otherwise', () => {
    // Median 10; deviations 1,0,1,0,1,1,0,0 → MAD 0.5; the bar is 2 × max(0.5, floor 1) = 2.
    expect(baseline(13, [9, 10, 11, 10, 9, 11, 10, 10], 'count')).toEqual({
      median8w: 10,
      spread: 0.5,
      arrow: 'up',
    });
    // Sorted 9,9,10,10,10,11,11,12: median 10; deviations 0,0,0,1,1,1,1,2 → MAD 1.
    expect(mad([9, 10, 11, 10, 9, 11, 10, 12])).toBe(1);
    expect(baseline(12, [9, 10, 11, 10, 9, 11, 10, 10], 'count').arrow).toBeNull();
    expect(baseline(7, [9, 10, 11, 10, 9, 11, 10, 10], 'count').arrow).toBe('down');
    // Fewer than four weeks with a value: no arrow, however large the move.
    expect(baseline(50, [null, null, null, null, null, 10, 10, 10], 'count')).toEqual({
      median8w: 10,
      spread: 0,
      arrow: null,
    });
  });

  it('when a request carries a 20% discount then the money given away is a quarter of its value', () => {
    // List value = 80,000 / 0.8 = 100,000: 20,000 given away.
    expect(discountGivenMinor(80_000, 20)).toBe(20_000);
    expect(discountGivenMinor(80_000, 0)).toBe(0);
    expect(discountGivenMinor(100, 33.3)).toBe(50);
  });

  it('when a promise is delivered on the promised day it is on time; a day later it is late by one day', () => {
    const p = promise(1, THIS_WEEK, true);
    expect(outcomeOf(p, '2026-11-30')).toEqual({ outcome: 'on_time_in_full', slipDays: 0 });
    const late = { ...p, deliveries: [{ deliveredOn: addDays(p.promisedOn, 1), quantity: 10 }] };
    expect(outcomeOf(late, '2026-11-30')).toEqual({ outcome: 'late', slipDays: 1 });
    const part = { ...p, deliveries: [{ deliveredOn: p.promisedOn, quantity: 4 }] };
    expect(outcomeOf(part, '2026-11-30').outcome).toBe('partly_delivered');
    expect(outcomeOf(part, p.promisedOn).outcome).toBe('not_yet_judged');
    expect(outcomeOf({ ...p, deliveries: [] }, '2026-11-30').outcome).toBe('open_past_due');
  });

  it('when the steady weeks are scored then each figure shows this week, last week and the median', () => {
    const s = computeScoreboard(input({ requests: 16 }));
    const sales = s.links.find((l) => l.id === 'sales');
    const inflow = sales?.figures.find((f) => f.id === 'sales.requests_in');
    expect(inflow).toMatchObject({ thisWeek: 16, lastWeek: 10, median8w: 10, spread: 0, arrow: 'up' });
    expect(s.links.map((l) => l.label)).toEqual([
      'Sales',
      'Execution',
      'Quality',
      'Finance',
      'People',
      'Leadership',
    ]);
  });
});
