// Every promise surface against Slack's Block Kit limits, with the longest inputs a person can
// type (and mrkdwn in them), plus the sentences people read.
import { describe, expect, it } from 'vitest';
import { type CommitPromise, deliver, promiseFromClearance, slip } from '../../src/domain/promise.js';
import type { HomeData } from '../../src/services/home.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { LIMITS } from '../../src/slack/limits.js';
import { buildHomeView } from '../../src/slack/views/home.js';
import {
  buildDueAsk,
  buildLateModal,
  buildOnTrackAsk,
  buildPartDeliveryModal,
  buildPromiseList,
  buildPromiseNotice,
  buildPromiseReminder,
  buildSellerToldDm,
  promiseLine,
} from '../../src/slack/views/promises.js';
import type { RenderContext } from '../../src/slack/views/render-context.js';
import { assertValidHome, assertValidMessage, assertValidModal } from '../support/block-kit.js';

const ctx: RenderContext = {
  currency: 'USD',
  productLines: [{ id: 'widgets', name: 'Widgets', unit: 'units' }],
};
const at = new Date('2026-12-14T15:00:00Z');
const long = (n: number) => `<!channel> *${'w'.repeat(n)}*`;

function promise(id: number, customer = long(150)): CommitPromise {
  return promiseFromClearance({
    requestId: id,
    sellerId: 'U0SELLER',
    customer,
    productLineId: 'widgets',
    quantity: 1_000_000_000,
    valueMinor: 99_999_999_999,
    paymentTermsDays: 365,
    deliveryDate: '2026-12-21',
    at,
    day: '2026-12-14',
    via: 'signoffs',
  });
}

function slipped(id: number, customer?: string): CommitPromise {
  const r = slip(promise(id, customer), {
    by: 'U0OPS1',
    at,
    today: '2026-12-15',
    expectedOn: '2026-12-28',
    reason: long(2000),
  });
  if (!r.ok) throw new Error(r.reason);
  return r.promise;
}

function part(id: number): CommitPromise {
  const r = deliver(promise(id), {
    by: 'U0OPS1',
    at,
    today: '2026-12-21',
    deliveredOn: '2026-12-21',
    quantity: 400,
    restExpectedOn: '2027-01-04',
    restReason: long(2000),
  });
  if (!r.ok) throw new Error(r.reason);
  return r.promise;
}

describe('promise surfaces', () => {
  it('when every promise message is built with the longest inputs then each is within the limits and escaped', () => {
    const owners = Array.from({ length: 40 }, (_, i) => `U0OWNER${i}`);
    const messages = [
      buildOnTrackAsk(promise(1), owners, 2, ctx),
      buildDueAsk(promise(1), owners, ctx),
      buildDueAsk(part(2), owners, ctx),
      buildPromiseReminder(slipped(3), owners, ctx),
      buildSellerToldDm(slipped(3), ctx, 'https://slack.com/archives/C0/p1'),
      buildSellerToldDm(part(2), ctx, null),
      buildPromiseNotice(
        slipped(3),
        {
          type: 'promise.slipped',
          actorId: 'U0OPS1',
          data: { expectedOn: '2026-12-28', promisedOn: '2026-12-21', reason: long(2000) },
        },
        ctx,
      ),
    ];
    for (const m of messages) {
      assertValidMessage(m);
      expect(JSON.stringify(m)).not.toContain('<!channel>');
    }
  });

  it('when the modals are built then they are within the limits and name the fields of INTERFACE.md', () => {
    const meta = { r: 12, channel: 'C0REQUESTS', thread: '1700000000.000100' };
    const partModal = buildPartDeliveryModal(meta, promise(12), '2026-12-21', ctx);
    const late = buildLateModal(meta, promise(12), ctx);
    assertValidModal(partModal);
    assertValidModal(late);
    const labels = (v: { blocks: readonly unknown[] }) =>
      v.blocks.flatMap((b) =>
        (b as { label?: { text: string } }).label ? [(b as { label: { text: string } }).label.text] : [],
      );
    expect(labels(partModal)).toEqual(['Delivered on', 'Quantity delivered', 'New delivery date']);
    expect(labels(late)).toEqual(['New delivery date', 'Reason']);
  });

  it('when 200 promises are listed then the list stays within 50 blocks and says how many more', () => {
    const list = Array.from({ length: 200 }, (_, i) => slipped(i + 1, long(900)));
    const m = buildPromiseList(list, 'late', '2026-12-29', ctx);
    assertValidMessage(m);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(m)).toContain('more.');
  });

  it('when Home is full everywhere and has promises then it stays within 100 blocks with the promise buttons', () => {
    const data: HomeData = {
      userId: 'U0OPS1',
      functions: ['Operations'],
      waiting: { total: 0, items: [] },
      mine: { openTotal: 0, requests: [] },
      board: null,
      promises: {
        today: '2026-12-22',
        confirmer: true,
        toConfirm: { total: 300, items: Array.from({ length: 10 }, (_, i) => slipped(i + 1)) },
        mine: { total: 40, items: Array.from({ length: 10 }, (_, i) => part(100 + i)) },
      },
    };
    const view = buildHomeView(data, ctx);
    assertValidHome(view);
    const json = JSON.stringify(view);
    expect(json).toContain('Promises to confirm (300)');
    expect(json).toContain(ACTIONS.promiseDeliveredPart);
    expect(json).toContain('Your promises (40 open)');
    expect(json).toContain('more promises');
  });

  it('when a promise is delivered on its day, late, in part or slipped then its line says so', () => {
    const p = promise(1, 'Acme');
    const on = deliver(p, { by: 'U', at, today: '2026-12-18', deliveredOn: '2026-12-18' });
    const lateD = deliver(p, { by: 'U', at, today: '2026-12-23', deliveredOn: '2026-12-23' });
    expect(on.ok && promiseLine(on.promise, ctx)).toBe(
      'Promised for Mon 21 Dec · delivered Fri 18 Dec, on time in full',
    );
    expect(lateD.ok && promiseLine(lateD.promise, ctx)).toBe(
      'Promised for Mon 21 Dec · delivered Wed 23 Dec, 2 days late',
    );
    expect(promiseLine(p, ctx)).toBe('Promised for Mon 21 Dec · open');
    expect(promiseLine(p, ctx, '2026-12-22')).toBe('Promised for Mon 21 Dec · overdue');
    expect(promiseLine(slipped(1), ctx)).toBe('Promised for Mon 21 Dec · at risk, expected Mon 28 Dec');
    expect(promiseLine(part(1), ctx)).toBe(
      'Promised for Mon 21 Dec · 400 units of 1,000,000,000 delivered, the rest expected Mon 4 Jan',
    );
  });
});
