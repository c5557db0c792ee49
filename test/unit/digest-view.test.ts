// The digest as Slack messages: within Block Kit limits whatever the volume, with a complete
// fallback text, and user text (override reasons) escaped.
import { describe, expect, it } from 'vitest';
import {
  computeDigest,
  type DigestEvent,
  type DigestRequest,
  type DigestSignOff,
  summariseWeek,
  type WeekRows,
} from '../../src/domain/digest.js';
import { buildDigestMessages } from '../../src/slack/views/digest.js';
import { assertValidMessage } from '../support/block-kit.js';

const hours = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } as const;
const functions = [
  { id: 'operations', label: 'Operations' },
  { id: 'quality', label: 'Quality' },
  { id: 'finance', label: 'Finance' },
  { id: 'people', label: 'People' },
];
const productLines = [
  { id: 'widgets', name: 'Widgets', leadTimeDays: 21 },
  { id: 'gadgets', name: 'Gadgets', leadTimeDays: 35 },
];

function emptyWeek(): WeekRows {
  return {
    submitted: [],
    askedByFunction: new Map(),
    events: [],
    requests: new Map(),
    signOffs: new Map(),
    withConditions: new Set(),
  };
}

/** A week of `n` requests (Mon 16 Nov 2026, New York), a third of them rejected and then overridden. */
function bigWeek(n: number): WeekRows {
  const submitted: DigestRequest[] = [];
  const asked: DigestSignOff[] = [];
  const events: DigestEvent[] = [];
  let eventId = 1;
  for (let i = 1; i <= n; i++) {
    const createdAt = new Date(Date.UTC(2026, 10, 16 + (i % 5), 14, i % 60));
    submitted.push({
      id: i,
      productLineId: i % 2 ? 'widgets' : 'gadgets',
      valueMinor: 1_000_00 * i,
      deliveryDate: '2026-12-10',
      status: 'approved',
      createdAt,
    });
    functions.forEach((f, j) => {
      asked.push({ id: i * 10 + j, requestId: i, functionId: f.id, askedAt: createdAt });
    });
    const decidedAt = new Date(createdAt.getTime() + (i % 9) * 3_600_000);
    if (i % 3 === 0) {
      events.push(
        {
          id: eventId++,
          requestId: i,
          signOffId: i * 10 + 2,
          type: 'signoff.rejected',
          actorId: 'U0FIN1',
          at: decidedAt,
          data: { reason: 'Payment terms' },
        },
        {
          id: eventId++,
          requestId: i,
          signOffId: null,
          type: 'request.rejected',
          actorId: null,
          at: decidedAt,
          data: {},
        },
        {
          id: eventId++,
          requestId: i,
          signOffId: null,
          type: 'request.overridden',
          actorId: 'U0CEO',
          at: decidedAt,
          data: { reason: `<!channel> strategic *account* & a long reason ${'x'.repeat(300)}` },
        },
      );
    } else {
      events.push(
        {
          id: eventId++,
          requestId: i,
          signOffId: i * 10,
          type: 'signoff.approved',
          actorId: 'U0OPS1',
          at: decidedAt,
          data: { complete: true },
        },
        {
          id: eventId++,
          requestId: i,
          signOffId: null,
          type: 'request.approved',
          actorId: null,
          at: decidedAt,
          data: {},
        },
      );
    }
  }
  return {
    submitted,
    askedByFunction: new Map(functions.map((f) => [f.id, n])),
    events,
    requests: new Map(submitted.map((r) => [r.id, r])),
    signOffs: new Map(asked.map((s) => [s.id, s])),
    withConditions: new Set(),
  };
}

/** The week of Mon 16 Nov 2026 digested on Mon 23 Nov, from these rows (and any capacity). */
function digestOf(
  current: WeekRows,
  previous: WeekRows = emptyWeek(),
  capacity?: Parameters<typeof computeDigest>[0]['capacity'],
) {
  return computeDigest({
    weekStart: '2026-11-16',
    timeZone: 'America/New_York',
    businessHours: hours,
    functions,
    productLines,
    current,
    previous: summariseWeek(previous),
    pendingNow: { requests: 0, valueMinor: 0, signOffs: [] },
    asOf: new Date('2026-11-23T14:00:00Z'),
    ...(capacity ? { capacity } : {}),
  });
}

describe('digest messages', () => {
  it('when a week holds 2,000 requests and 666 overrides then every message is valid and the fallback is complete', () => {
    const digest = digestOf(bigWeek(2000));
    expect(digest.inflow.count).toBe(2000);
    expect(digest.overrides).toHaveLength(666);
    const messages = buildDigestMessages(digest, { currency: 'USD', timeZone: 'America/New_York' });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) assertValidMessage(m);
    const allText = messages.map((m) => m.text).join('\n');
    for (const o of digest.overrides) expect(allText).toContain(`CG-${o.requestId} `);
    expect(allText).not.toContain('<!channel>');
    expect(allText).toContain('&lt;!channel&gt;');
    expect(allText).toContain('Operations');
  });

  it('when 200 product lines have capacity then the capacity section spreads over valid messages and names every line', () => {
    const weeks = ['2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14'].map((weekStart, i) => ({
      weekStart,
      capacity: 1_000_000,
      overridden: false,
      firm: 950_000 + i,
      tentative: 100_000,
      load: 1_050_000 + i,
      percent: 105,
      flag: 'over_100' as const,
    }));
    const lines = Array.from({ length: 200 }, (_, i) => ({
      productLineId: `line${i}`,
      name: `Line ${i} <&> ${'x'.repeat(40)}`,
      weeks: i % 10 ? weeks : null,
    }));
    const digest = digestOf(emptyWeek(), emptyWeek(), { lines });
    const messages = buildDigestMessages(digest, { currency: 'USD', timeZone: 'America/New_York' });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) assertValidMessage(m);
    const all = messages.map((m) => m.text).join('\n');
    for (const l of lines.filter((x) => x.weeks))
      expect(all).toContain(`${l.name.replace('<&>', '&lt;&amp;&gt;')} · `);
    expect(all).toContain('Not checked (no capacity per week): Line 0 &lt;&amp;&gt;');
  });

  it('when the week before had no requests then inflow says so instead of a change; otherwise it shows the change', () => {
    const inflowLine = (previous: WeekRows) => {
      const digest = digestOf(bigWeek(4), previous);
      const text = buildDigestMessages(digest, { currency: 'USD', timeZone: 'America/New_York' })
        .map((m) => JSON.stringify(m.blocks))
        .join('\n');
      return /4 requests worth [^"\\]*/.exec(text)?.[0];
    };
    expect(inflowLine(emptyWeek())).toBe('4 requests worth $10,000.00: none the week before');
    expect(inflowLine(bigWeek(2))).toBe(
      '4 requests worth $10,000.00: count up 100%, value up 233% (last week 2, $3,000.00)',
    );
  });

  it('when a week is empty then one valid message says so', () => {
    const digest = digestOf(emptyWeek(), emptyWeek(), {
      lines: [
        {
          productLineId: 'widgets',
          name: 'Widgets',
          weeks: [
            {
              weekStart: '2026-11-23',
              capacity: 500,
              overridden: false,
              firm: 400,
              tentative: 60,
              load: 460,
              percent: 92,
              flag: 'over_90',
            },
          ],
        },
      ],
    });
    const messages = buildDigestMessages(digest, { currency: 'USD', timeZone: 'America/New_York' });
    expect(messages).toHaveLength(1);
    const [m] = messages;
    if (!m) throw new Error('no message');
    assertValidMessage(m);
    expect(m.text).toContain('Nothing crossed a threshold this week.');
    expect(m.text).toContain('0 requests worth $0.00');
    expect(m.text).toContain('Widgets · :large_yellow_circle: 23 Nov: 460/500 (92%)');
  });
});
