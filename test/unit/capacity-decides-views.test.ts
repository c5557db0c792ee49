// The surfaces issue 16 added, at their worst: every one stays within Slack's Block Kit limits
// (the 3000-character section, 25 buttons, 24-character titles), and says what it must.
import { describe, expect, it } from 'vitest';
import type { CapacityCheck } from '../../src/domain/capacity.js';
import type { CommitRequest, SignOff } from '../../src/domain/request.js';
import { GATE_REASON } from '../../src/domain/routing.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { capacityCheckText, competitionText } from '../../src/slack/views/capacity-check.js';
import { buildOverCapacityModal } from '../../src/slack/views/modals.js';
import { buildCounterDm } from '../../src/slack/views/negotiation-messages.js';
import type { RenderContext } from '../../src/slack/views/render-context.js';
import {
  buildOutcomeDm,
  buildParentMessage,
  buildSignOffMessage,
} from '../../src/slack/views/request-messages.js';
import { assertValidMessage, assertValidModal } from '../support/block-kit.js';

const ctx: RenderContext = {
  currency: 'USD',
  productLines: [{ id: 'widgets', name: 'Widgets', unit: 'units' }],
};
const at = new Date('2026-11-23T15:00:00Z');
const long = (n: number) => `<!channel> *${'w'.repeat(n)}*`;

const overCheck: CapacityCheck = {
  verdict: 'over',
  productLineId: 'widgets',
  weekStart: '2026-12-14',
  capacity: 500,
  overridden: true,
  firm: 300,
  tentative: 0,
  thisRequest: 900,
  overBy: 700,
  earliestFeasibleDate: null,
  horizonWeeks: 26,
  split: [
    { quantity: 200, by: '2026-12-16' },
    { quantity: 500, by: '2026-12-21' },
    { quantity: 200, by: '2026-12-28' },
  ],
};

const ops = (over: Partial<SignOff> = {}): SignOff => ({
  id: 1,
  functionId: 'operations',
  label: 'Operations',
  owners: ['U0OPS1', 'U0OPS2'],
  approvalsNeeded: 1,
  status: 'pending',
  requiredBy: [GATE_REASON, long(500)],
  approvals: [],
  rejection: null,
  askedAt: at,
  decidedAt: null,
  ...over,
});

const request = (over: Partial<CommitRequest> = {}): CommitRequest => ({
  id: 2,
  version: 1,
  sellerId: 'U0SELLER',
  status: 'pending',
  createdAt: at,
  closedAt: null,
  facts: {
    customer: long(200),
    productLineId: 'widgets',
    quantity: 900,
    valueMinor: 99_999_999_999,
    deliveryDate: '2026-12-16',
    paymentTermsDays: 90,
    discountPercent: 12.5,
    specialRequirements: long(3000),
    dealReference: long(100),
  },
  signOffs: [ops()],
  capacityCheck: overCheck,
  ...over,
});

const approvedOver = (i: number) => ({
  userId: `U0OPS${i}`,
  at,
  conditions: long(3000),
  overCapacityReason: long(2000),
});

describe('issue 16 surfaces within Block Kit limits', () => {
  it('when an Operations message competes with 300 requests and offers a split then it stays valid and shows both', () => {
    const competition = {
      weekStart: '2026-12-14',
      capacity: 500,
      together: 99_999,
      competitors: Array.from({ length: 300 }, (_, i) => i + 3),
    };
    const message = buildSignOffMessage(request(), ops(), ctx, [], competition);
    assertValidMessage(message);
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain('Competes with CG-3, CG-4');
    expect(shown).toContain(ACTIONS.proposeSplit);
    expect(capacityCheckText(overCheck, ctx)).toContain(
      'it fits in parts: *200 by Wed 16 Dec 2026, 500 by Mon 21 Dec 2026, 200 by Mon 28 Dec 2026*',
    );
  });

  it('when a request without a split plan is over then Propose a split is not offered', () => {
    const message = buildSignOffMessage(
      request({ capacityCheck: { ...overCheck, split: null } }),
      ops(),
      ctx,
    );
    expect(JSON.stringify(message.blocks)).not.toContain(ACTIONS.proposeSplit);
    expect(
      competitionText(
        { weekStart: '2026-12-14', capacity: 500, together: 740, competitors: [7] },
        ctx,
        'widgets',
      ),
    ).toBe(
      ':crossed_swords: *Competes with CG-7* for the week of Mon 14 Dec 2026: together 740 of 500 units. Each fits alone; the first approved takes the capacity.',
    );
  });

  it('when a request is cleared on the fast lane with long reasons then the parent and the DM are valid and say so', () => {
    const cleared = request({
      status: 'approved',
      closedAt: at,
      signOffs: [],
      fastLane: Array.from({ length: 40 }, () => long(200)),
    });
    const parent = buildParentMessage(cleared, ctx);
    assertValidMessage(parent);
    expect(JSON.stringify(parent.blocks)).toContain('is cleared on the fast lane*');
    const dm = buildOutcomeDm(cleared, ctx, 'https://example.slack.com/archives/C0/p1');
    assertValidMessage(dm);
    expect(dm.text).toBe('You may commit CG-2: cleared on the fast lane.');
  });

  it('when ten owners approved over capacity with long reasons and conditions then every surface is valid', () => {
    const signOff = ops({
      status: 'approved',
      approvalsNeeded: 10,
      approvals: Array.from({ length: 10 }, (_, i) => approvedOver(i)),
    });
    const approved = request({ status: 'approved', closedAt: at, signOffs: [signOff] });
    for (const m of [
      buildParentMessage(approved, ctx),
      buildSignOffMessage(approved, signOff, ctx),
      buildOutcomeDm(approved, ctx, null),
    ])
      assertValidMessage(m);
    expect(JSON.stringify(buildOutcomeDm(approved, ctx, null).blocks)).toContain('*Approved over capacity*');
  });

  it('when the over-capacity modal and a split counter DM are built at their longest then they are valid', () => {
    const modal = buildOverCapacityModal(
      {
        s: 1,
        v: 1,
        k: 'k'.repeat(22),
        channel: 'C0REQUESTS',
        thread: '1700000000.000100',
        conditions: 'x'.repeat(2000),
      },
      long(40),
      2,
      capacityCheckText(overCheck, ctx).repeat(5),
    );
    assertValidModal(modal);
    const proposed = ops({
      proposal: { userId: 'U0OPS1', at, date: '2026-12-28', note: long(2000), split: overCheck.split },
    });
    const dm = buildCounterDm(request({ signOffs: [proposed] }), proposed, ctx, null);
    assertValidMessage(dm);
    expect(JSON.stringify(dm.blocks)).toContain('can in parts: *200 by Wed 16 Dec 2026');
  });
});
