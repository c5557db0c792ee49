import { describe, expect, it } from 'vitest';
import { businessAges } from '../../src/domain/business-age.js';
import { businessHoursBetween } from '../../src/domain/business-hours.js';
import type { CommitRequest, SignOff } from '../../src/domain/request.js';
import { type HomeData, homeUpdatesFor, type WaitingItem } from '../../src/services/home.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { LIMITS } from '../../src/slack/limits.js';
import { buildHomeView, formatBusinessAge } from '../../src/slack/views/home.js';
import type { RenderContext } from '../../src/slack/views/render-context.js';
import { buildSignOffMessage } from '../../src/slack/views/request-messages.js';
import { signOffActions } from '../../src/slack/views/signoff-actions.js';
import { assertValidHome } from '../support/block-kit.js';

const ctx: RenderContext = {
  currency: 'USD',
  productLines: [{ id: 'widgets', name: 'Widgets', unit: 'units' }],
};
const at = new Date('2026-11-23T15:00:00Z');
const long = (n: number) => `<!channel> *${'w'.repeat(n)}*`;

function signOff(id: number, overrides: Partial<SignOff> = {}): SignOff {
  return {
    id,
    functionId: `f${id}`,
    label: long(40).slice(0, 40),
    owners: ['U0OPS1', 'S0GROUP'],
    approvalsNeeded: 2,
    status: 'pending',
    requiredBy: [long(500)],
    approvals: [{ userId: 'U0OPS2', at, conditions: long(3000) }],
    rejection: null,
    askedAt: at,
    decidedAt: null,
    ...overrides,
  };
}

function request(id: number, overrides: Partial<CommitRequest> = {}): CommitRequest {
  return {
    id,
    version: 3,
    sellerId: 'U0SELLER',
    status: 'pending',
    createdAt: at,
    closedAt: null,
    facts: {
      customer: long(200),
      productLineId: 'widgets',
      quantity: 1_000_000,
      valueMinor: 99_999_999_999,
      deliveryDate: '2027-02-01',
      paymentTermsDays: 90,
      discountPercent: 12.5,
      specialRequirements: long(3000),
      dealReference: long(100),
    },
    signOffs: Array.from({ length: 20 }, (_, i) => signOff(id * 100 + i)),
    ...overrides,
  };
}

const item = (id: number): WaitingItem => {
  const r = request(id);
  return {
    request: r,
    signOff: r.signOffs[0] as SignOff,
    ageHours: 37.4,
    capacity: { ok: false, text: long(500) },
  };
};

const empty: HomeData = {
  userId: 'U0NEW',
  functions: [],
  waiting: { total: 0, items: [] },
  mine: { openTotal: 0, requests: [] },
  board: null,
};

describe('App Home view', () => {
  it('when a person has nothing and owns nothing then Home explains the bot and how to start', () => {
    const view = buildHomeView(empty, ctx);
    assertValidHome(view);
    const json = JSON.stringify(view);
    expect(json).toContain('Welcome to Commit Gate');
    expect(json).toContain('`/commit`');
  });

  it('when an owner has an empty queue then Home says so and names their functions', () => {
    const view = buildHomeView({ ...empty, functions: ['Operations'] }, ctx);
    assertValidHome(view);
    expect(JSON.stringify(view)).toContain('No sign-off is waiting for you. New ones for Operations');
    expect(JSON.stringify(view)).toContain('You have not asked for a commitment yet');
  });

  it('when the volume is extreme on every section then Home stays within 100 blocks and every limit', () => {
    const data: HomeData = {
      userId: 'U0CEO',
      functions: ['Operations'],
      waiting: { total: 5000, items: Array.from({ length: 48 }, (_, i) => item(i + 1)) },
      mine: { openTotal: 700, requests: Array.from({ length: 10 }, (_, i) => request(1000 + i)) },
      board: {
        weekOf: '2026-11-23',
        figures: {
          inflow: 123_456,
          cleared: 1,
          blocked: 2,
          overrides: 3,
          pendingRequests: 4,
          pendingByFunction: Array.from({ length: 50 }, (_, i) => ({
            functionId: `f${i}`,
            label: long(40),
            count: i,
          })),
        },
        oldest: Array.from({ length: 5 }, (_, i) => item(2000 + i)),
      },
    };
    const view = buildHomeView(data, ctx);
    assertValidHome(view);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    const json = JSON.stringify(view);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('more sign-offs waiting for you');
    expect(json).toContain('more open requests');
    expect(json).toContain(ACTIONS.previewDigest);
    // The oldest sign-off is the first shown.
    expect(json.indexOf('CG-1 ·')).toBeLessThan(json.indexOf('CG-2 ·'));
  });

  it('when Home shows a pending sign-off then its buttons are exactly those of the thread message', () => {
    const r = request(7, { signOffs: [signOff(70)] });
    const thread = buildSignOffMessage(r, r.signOffs[0] as SignOff, ctx);
    const home = buildHomeView(
      {
        ...empty,
        waiting: { total: 1, items: [{ ...item(7), request: r, signOff: r.signOffs[0] as SignOff }] },
      },
      ctx,
    );
    const actions = signOffActions(r, r.signOffs[0] as SignOff);
    expect(actions).not.toBeNull();
    expect(thread.blocks).toContainEqual(actions);
    expect(home.blocks).toContainEqual(actions);
  });

  it.each([
    [0.2, 'under a business hour'],
    [1, '1 business hour'],
    [12.74, '12.5 business hours'],
    [1234, '1,234 business hours'],
  ])('when a sign-off has waited %s working hours then its age reads "%s"', (hours, text) => {
    expect(formatBusinessAge(hours)).toBe(text);
  });
});

describe('App Home data', () => {
  const hours = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const };

  it('when ages are computed for a long queue then they equal business hours between, across a DST change', () => {
    const now = new Date('2026-11-04T20:30:00Z');
    const oldest = new Date(now.getTime() - 24 * 12 * 3_600_000 - 17 * 60_000);
    const age = businessAges(oldest, now, { ...hours, days: [...hours.days] }, 'America/New_York');
    expect(age(now)).toBe(0);
    for (let h = 0; h < 24 * 12; h += 1) {
      const from = new Date(now.getTime() - h * 3_600_000 - 17 * 60_000);
      expect(age(from)).toBeCloseTo(
        businessHoursBetween(from, now, { ...hours, days: [...hours.days] }, 'America/New_York'),
        9,
      );
    }
  });

  it('when a request changes then the seller, every user owner, the actor and leadership get a Home refresh', () => {
    const r = request(1, {
      signOffs: [signOff(1, { owners: ['U0OPS1', 'S0GROUP'] }), signOff(2, { owners: ['U0QA1'] })],
    });
    const users = homeUpdatesFor(r, ['U0CEO'], 'U0OPS2').map((n) =>
      n.kind === 'home.update' ? n.userId : '',
    );
    expect(users.sort()).toEqual(['U0CEO', 'U0OPS1', 'U0OPS2', 'U0QA1', 'U0SELLER']);
  });
});
