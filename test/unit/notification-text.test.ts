// A message's `text` is what Slack shows in a push notification and what a screen reader reads
// when the blocks cannot be. For every kind of message the bot sends, the fallback mentions people
// (never a raw id), says dates in the same words as the blocks, and carries no invisible tricks.
import { describe, expect, it } from 'vitest';
import type { CommitRequest, SignOff } from '../../src/domain/request.js';
import { buildCapacityOverview } from '../../src/slack/views/capacity.js';
import { buildDeliveryFailureDm } from '../../src/slack/views/delivery-failure.js';
import {
  buildChangesDm,
  buildCounterDm,
  buildThreadNotice,
} from '../../src/slack/views/negotiation-messages.js';
import { buildEscalationMessage, buildReminderMessage } from '../../src/slack/views/reminders.js';
import type { RenderContext } from '../../src/slack/views/render-context.js';
import {
  buildOutcomeDm,
  buildParentMessage,
  buildSignOffMessage,
} from '../../src/slack/views/request-messages.js';

const ctx: RenderContext = {
  currency: 'USD',
  productLines: [{ id: 'widgets', name: 'Widgets', unit: 'units' }],
};
const at = new Date('2026-11-23T15:00:00Z');

const signOff = (overrides: Partial<SignOff> = {}): SignOff => ({
  id: 7,
  functionId: 'ops',
  label: 'Operations',
  owners: ['U0OPS1'],
  approvalsNeeded: 1,
  status: 'pending',
  requiredBy: ['every request'],
  approvals: [],
  rejection: null,
  askedAt: at,
  decidedAt: null,
  ...overrides,
});

const request = (overrides: Partial<CommitRequest> = {}): CommitRequest => ({
  id: 3,
  version: 1,
  sellerId: 'U0SAM',
  status: 'pending',
  createdAt: at,
  closedAt: null,
  facts: {
    customer: 'America/New_York *Ltd*',
    productLineId: 'widgets',
    quantity: 10,
    valueMinor: 1_000_000,
    deliveryDate: '2027-01-15',
    paymentTermsDays: 30,
    discountPercent: 0,
    specialRequirements: null,
    dealReference: null,
  },
  signOffs: [signOff()],
  ...overrides,
});

const rejected = signOff({ status: 'rejected', rejection: { userId: 'U0OPS1', at, reason: 'no stock' } });
const proposing = signOff({ proposal: { userId: 'U0OPS1', date: '2027-02-05', note: null, at } });

const fallbacks: Record<string, string> = {
  parent: buildParentMessage(request(), ctx).text,
  'sign-off asked': buildSignOffMessage(request(), signOff(), ctx).text,
  'sign-off decided': buildSignOffMessage(
    request({ status: 'rejected', signOffs: [rejected] }),
    rejected,
    ctx,
  ).text,
  'outcome: approved': buildOutcomeDm(request({ status: 'approved' }), ctx, null).text,
  'outcome: override': buildOutcomeDm(
    request({ status: 'approved', override: { userId: 'U0LEE', at, reason: 'launch partner' } }),
    ctx,
    null,
  ).text,
  'outcome: rejected': buildOutcomeDm(request({ status: 'rejected', signOffs: [rejected] }), ctx, null).text,
  'outcome: expired': buildOutcomeDm(request({ status: 'expired' }), ctx, null).text,
  'counter DM': buildCounterDm(request({ signOffs: [proposing] }), proposing, ctx, null).text,
  'changes DM': buildChangesDm(request(), signOff(), 'split the order', null).text,
  reminder: buildReminderMessage(request(), signOff(), 8).text,
  escalation: buildEscalationMessage(request(), signOff(), 24, ctx, null).text,
  'notice: date moved': buildThreadNotice(
    request(),
    {
      type: 'date_moved',
      signOffId: 7,
      from: '2027-01-15',
      to: '2027-02-05',
    },
    ctx,
  ).text,
  'notice: withdrawn': buildThreadNotice(request({ status: 'withdrawn' }), { type: 'withdrawn' }, ctx).text,
  'notice: changes requested': buildThreadNotice(
    request(),
    {
      type: 'changes_requested',
      signOffId: 7,
      userId: 'U0OPS1',
      reason: 'split the order',
    },
    ctx,
  ).text,
  'delivery failure': buildDeliveryFailureDm({
    request: request(),
    failedKind: 'seller.outcome',
    code: 'cannot_dm_bot',
    requestsChannel: 'C0REQUESTS',
    toSeller: false,
  }).text,
  capacity: buildCapacityOverview(
    [
      {
        id: 'widgets',
        name: 'Widgets',
        unit: 'units',
        weeks: [
          {
            weekStart: '2027-01-11',
            capacity: 10,
            overridden: false,
            firm: 12,
            tentative: 0,
            load: 12,
            flag: 'over_100',
          },
        ],
      },
      // Only the fields the overview reads; the rest of LineOutlook does not reach its fallback.
    ] as unknown as Parameters<typeof buildCapacityOverview>[0],
    4,
  ).text,
};

describe('notification text (message fallbacks)', () => {
  for (const [kind, text] of Object.entries(fallbacks)) {
    it(`when a ${kind} message is built then its fallback has mentions, date words and no invisible characters`, () => {
      // A user id outside <@…> is a raw id a reader cannot resolve.
      expect(text.replace(/<@[UW][A-Z0-9]+>/g, '')).not.toMatch(/\b[UW]0[A-Z0-9]+\b/);
      expect(text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
      expect(text).not.toMatch(/[\u200B-\u200F\u2060\uFEFF]/);
    });
  }

  it('when the fallbacks name people, dates and the customer then they read as the blocks do', () => {
    expect(fallbacks['outcome: override']).toBe('You may commit CG-3: approved by override by <@U0LEE>.');
    expect(fallbacks.parent).toContain(
      'from <@U0SAM> for America/New_York *Ltd*: 10 units of Widgets by Fri 15 Jan 2027',
    );
    expect(fallbacks['outcome: approved']).toBe(
      'You may commit CG-3 to America/New_York *Ltd*: deliver by Fri 15 Jan 2027.',
    );
    expect(fallbacks['counter DM']).toContain('proposes Fri 5 Feb 2027 instead of Fri 15 Jan 2027');
  });
});
