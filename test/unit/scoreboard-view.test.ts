// The six links and Promises kept as Slack messages at volume: 200 product lines, 20 functions
// with long labels, every week of the horizon overbooked. Every message stays within Block Kit's
// limits and nothing a reader needs is cut.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.js';
import { computeDigest, type WeekRows } from '../../src/domain/digest.js';
import {
  computeScoreboard,
  type ScorePromise,
  type ScoreRequest,
  type ScoreWeekRows,
} from '../../src/domain/scoreboard.js';
import { buildDigestMessages } from '../../src/slack/views/digest.js';
import { buildHomeView } from '../../src/slack/views/home.js';
import { assertValidHome, assertValidMessage } from '../support/block-kit.js';

const THIS_WEEK = '2026-11-16';
const hours = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } as const;
const lines = Array.from({ length: 200 }, (_, i) => ({
  id: `line${i}`,
  name: `Line ${i} <&> ${'x'.repeat(30)}`,
  leadTimeDays: 21,
}));
const functions = Array.from({ length: 20 }, (_, i) => ({
  id: i === 0 ? 'operations' : `fn${i}`,
  label: `Function ${i} ${'y'.repeat(28)}`,
  owners: [`U0OWN${i}A`, `U0OWN${i}B`],
  approvals: 1,
}));

function week(index: number, monday: string): { rows: ScoreWeekRows; promises: ScorePromise[] } {
  const submitted: ScoreRequest[] = lines.map((l, i) => ({
    id: index * 1000 + i,
    productLineId: l.id,
    valueMinor: 100_000 + i,
    deliveryDate: addDays(monday, 10),
    createdAt: new Date(`${monday}T15:00:00Z`),
    paymentTermsDays: 30 + (i % 40),
    discountPercent: i % 20,
    functions: functions.map((f) => f.id),
    revised: i % 7 === 0,
  }));
  const promises = lines.map(
    (l, i): ScorePromise => ({
      requestId: index * 1000 + 500 + i,
      productLineId: l.id,
      quantity: 10,
      valueMinor: 100_000,
      paymentTermsDays: 30,
      promisedOn: addDays(monday, 2),
      clearedVia: i % 3 ? 'signoffs' : 'override',
      deliveries: [{ deliveredOn: addDays(monday, 2 + (i % 3)), quantity: 10 }],
      slips: [],
      issues: [],
      payments: [],
      cancellation: null,
    }),
  );
  return { rows: { weekStart: monday, submitted, events: [] }, promises };
}

const emptyRows: WeekRows = {
  submitted: [],
  askedByFunction: new Map(),
  events: [],
  requests: new Map(),
  signOffs: new Map(),
  withConditions: new Set(),
};

describe('the six links at volume', () => {
  it('when 200 product lines and 20 functions are scored then every digest message and the Home board are valid and complete', () => {
    const weeks = Array.from({ length: 9 }, (_, i) => week(i, addDays(THIS_WEEK, -7 * (8 - i))));
    const horizon = Array.from({ length: 26 }, (_, i) => ({
      weekStart: addDays('2026-11-23', 7 * i),
      capacity: 500,
      overridden: false,
      firm: 600,
      tentative: 0,
      load: 600,
      percent: 120,
      flag: 'over_100' as const,
    }));
    const sb = computeScoreboard({
      weekStart: THIS_WEEK,
      timeZone: 'America/New_York',
      businessHours: hours,
      asOf: new Date('2026-11-23T14:00:00Z'),
      today: '2026-11-23',
      weeks: weeks.map((w) => w.rows),
      promises: weeks.flatMap((w) => w.promises),
      productLines: lines,
      functions,
      defaultPaymentTermsDays: 30,
      executionFunction: 'operations',
      qualityFunction: 'fn1',
      peopleFunction: 'fn2',
      capacity: { lines: lines.map((l) => ({ productLineId: l.id, name: l.name, weeks: horizon })) },
    });
    expect(sb.overbooked).toHaveLength(200 * 26);
    const digest = {
      ...computeDigest({
        weekStart: THIS_WEEK,
        timeZone: 'America/New_York',
        businessHours: hours,
        functions,
        productLines: lines,
        current: emptyRows,
        previous: { inflow: new Map(), decisions: [] },
        pendingNow: { requests: 0, valueMinor: 0, signOffs: [] },
        asOf: new Date('2026-11-23T14:00:00Z'),
      }),
      scoreboard: sb,
    };
    const messages = buildDigestMessages(digest, { currency: 'USD', timeZone: 'America/New_York' });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) assertValidMessage(m);
    const all = messages.map((m) => m.text).join('\n');
    // Every line's inflow, OTIF and overbooked weeks are there, escaped, none cut.
    for (const l of lines) {
      const name = l.name.replace('<&>', '&lt;&amp;&gt;');
      expect(all).toContain(`Requests in: ${name}: 1`);
      expect(all).toContain(`• ${name}: `);
      expect(all).toContain(`• Overbooked, ${name}: 23 Nov 600/500 (120%)`);
      expect(all).toMatch(
        new RegExp(`Overbooked, ${name.replace(/[&;]/g, '.')}: .*17 May 600/500 \\(120%\\)`),
      );
    }
    for (const title of [
      'Sales',
      'Execution',
      'Quality',
      'Finance',
      'People',
      'Leadership',
      'Promises kept',
    ]) {
      expect(all).toContain(title);
    }

    const home = buildHomeView(
      {
        userId: 'U0CEO',
        functions: [],
        waiting: { total: 0, items: [] },
        mine: { openTotal: 0, requests: [] },
        board: {
          weekOf: THIS_WEEK,
          figures: {
            inflow: 0,
            cleared: 0,
            blocked: 0,
            overrides: 0,
            pendingRequests: 0,
            pendingByFunction: [],
          },
          oldest: [],
          links: sb.links.map((l) => ({ link: l.id, label: l.label, figure: l.figures[0] ?? null })),
        },
      },
      { currency: 'USD', productLines: lines.map((l) => ({ id: l.id, name: l.name, unit: 'units' })) },
    );
    assertValidHome(home);
  });
});
