// The digest reader's two ways of answering the same question give the same answer: the
// scoreboard's events as facts grouped by the database equal the facts of the same events read
// row by row, and a window read through the index ranges (ids out of time order) gives the same
// digest as one read as a run of ids. On the golden 8-week history, with odd event data beside
// it (blank, non-breaking-space and non-text conditions, a number for a flag, no actor).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createDigestReader } from '../../src/db/digest-repo.js';
import { addDays } from '../../src/domain/calendar.js';
import { type TrendFacts, trendFactsOf, weekBounds } from '../../src/domain/digest.js';
import { eventFactsOf, type ScoreEventFacts } from '../../src/domain/scoreboard.js';
import { buildTrend, buildWeeklyDigest } from '../../src/services/weekly-digest.js';
import { buildDigestMessages } from '../../src/slack/views/digest.js';
import { exampleConfig } from '../support/config.js';
import { seedEvent } from '../support/digest-seed.js';
import { FixedClock } from '../support/fixed-clock.js';
import { seedGoldenWeek } from '../support/golden-week.js';

const TZ = 'America/New_York';
const NINE_WEEKS = Array.from({ length: 9 }, (_, i) => weekBounds(addDays('2026-09-21', 7 * i), TZ));

/** Facts in a canonical form: groups alike merged (the database may split them by the conditions' text). */
function canonical(f: ScoreEventFacts) {
  const merged = new Map<string, { count: number; valueMinor: number }>();
  for (const g of f.groups) {
    const key = JSON.stringify([
      g.type,
      g.actorId,
      g.functionId,
      g.complete,
      g.overCapacity,
      g.fastLane,
      g.override,
      g.withConditions,
    ]);
    const m = merged.get(key) ?? { count: 0, valueMinor: 0 };
    m.count += g.count;
    m.valueMinor += g.valueMinor;
    merged.set(key, m);
  }
  return {
    groups: [...merged].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    actTimes: [...f.actTimes].sort((a, b) => a - b),
    escalations: f.escalations
      .map((e) => [e.at.getTime(), e.signOffDecidedAt?.getTime() ?? null])
      .sort((a, b) => (a[0] as number) - (b[0] as number)),
  };
}

describe('the digest reader', () => {
  let db: Db;
  beforeEach(() => {
    db = createDb(':memory:');
    seedGoldenWeek(db);
    // Odd data on request 10's sign-offs in the golden week (each still an approval or a rejection).
    const odd = [
      { conditions: '   ' },
      { conditions: '\u00a0' },
      { conditions: { lots: 2 } },
      { conditions: 'Two lots', overCapacity: 1 },
      { complete: 1, overCapacity: true },
      { complete: 'yes', fastLane: true },
    ];
    odd.forEach((data, i) => {
      seedEvent(db, {
        requestId: 10,
        signOffId: 1001,
        type: 'signoff.approved',
        at: `2026-11-19T1${i}:30:00Z`,
        actorId: i === 4 ? undefined : 'U0QA1',
        data,
      });
    });
    seedEvent(db, {
      requestId: 10,
      type: 'request.approved',
      at: '2026-11-19T20:00:00Z',
      data: { fastLane: 'true' },
    });
    // Closed twice in the week (the last counts), and an approval recorded beside an override.
    seedEvent(db, {
      requestId: 10,
      type: 'request.rejected',
      at: '2026-11-19T21:00:00Z',
      data: { reason: { no: 1 } },
    });
    seedEvent(db, {
      requestId: 10,
      type: 'request.approved',
      at: '2026-11-19T22:00:00Z',
      data: { override: true },
    });
  });
  afterEach(() => closeDb(db));

  it('when the nine weeks are read as facts then each week equals the facts of its events read row by row', () => {
    for (const spanSlack of [undefined, 0]) {
      const reader = createDigestReader(db, spanSlack === undefined ? {} : { spanSlack });
      const facts = reader.scoreEventFacts(NINE_WEEKS);
      expect(facts).toHaveLength(9);
      NINE_WEEKS.forEach((w, i) => {
        const rows = eventFactsOf(reader.scoreEvents(w.start, w.end));
        expect(canonical(facts[i] as ScoreEventFacts)).toEqual(canonical(rows));
      });
      // Something to compare: the golden history has acts, an escalation and flags in it.
      const all = facts.map(canonical);
      expect(all.reduce((n, f) => n + f.actTimes.length, 0)).toBeGreaterThan(10);
      expect(all.reduce((n, f) => n + f.escalations.length, 0)).toBeGreaterThan(0);
      const current = facts[8] as ScoreEventFacts;
      expect(current.groups.some((g) => g.withConditions)).toBe(true);
      expect(current.groups.some((g) => g.overCapacity)).toBe(true);
    }
  });

  it('when the weeks are read as trend facts then each week equals the trend facts of its rows', () => {
    const sorted = (f: TrendFacts) => ({
      ...f,
      decisions: [...f.decisions].sort(
        (a, b) => a.at - b.at || a.askedAt - b.askedAt || (a.functionId < b.functionId ? -1 : 1),
      ),
    });
    for (const spanSlack of [undefined, 0]) {
      const reader = createDigestReader(db, spanSlack === undefined ? {} : { spanSlack });
      const facts = reader.trendFacts(NINE_WEEKS);
      NINE_WEEKS.forEach((w, i) => {
        expect(sorted(facts[i] as TrendFacts)).toEqual(sorted(trendFactsOf(reader.weekRows(w.start, w.end))));
      });
      const current = facts[8] as TrendFacts;
      expect(current.submitted).toBeGreaterThan(0);
      expect(current.approved + current.overridden + current.rejected).toBeGreaterThan(0);
      expect(current.decisions.length).toBeGreaterThan(0);
    }
  });

  it('when every window is read through the index ranges then the digest, its messages and the trend are the same', () => {
    const config = exampleConfig();
    const clock = new FixedClock('2026-11-23T14:00:00Z');
    const build = (spanSlack?: number) => {
      const reader = createDigestReader(db, spanSlack === undefined ? {} : { spanSlack });
      const digest = buildWeeklyDigest({ reader, config, clock }, '2026-11-18');
      return {
        digest,
        messages: buildDigestMessages(digest, { currency: config.currency, timeZone: config.timezone }),
        trend: buildTrend({ reader, config }, '2026-11-18', 8),
      };
    };
    const byRun = build();
    const byIndex = build(0);
    expect(JSON.stringify(byIndex)).toBe(JSON.stringify(byRun));
    expect(byRun.digest.scoreboard?.links.length).toBe(6);
  });

  it('when the weeks asked for do not follow one another then the reader refuses them', () => {
    const reader = createDigestReader(db);
    expect(() => reader.scoreEventFacts([NINE_WEEKS[0], NINE_WEEKS[2]] as never)).toThrow(RangeError);
  });
});
