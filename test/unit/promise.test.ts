import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/domain/calendar.js';
import {
  type CommitPromise,
  cancel,
  confirmOnTrack,
  deliver,
  deliveredQuantity,
  dueOn,
  isOnTimeInFull,
  isOverdueOn,
  isPaymentOverdue,
  markOverdue,
  openQuantity,
  paidMinor,
  pay,
  paymentDueOn,
  promiseFromClearance,
  reportIssue,
  slip,
  slipDays,
  type TransitionResult,
} from '../../src/domain/promise.js';

const at = new Date('2026-12-14T15:00:00Z');
const act = (today: string) => ({ by: 'UOPS', at, today });

function promise(overrides: Partial<Parameters<typeof promiseFromClearance>[0]> = {}): CommitPromise {
  return promiseFromClearance({
    requestId: 7,
    sellerId: 'USELLER',
    customer: 'Acme',
    productLineId: 'widgets',
    quantity: 100,
    valueMinor: 500_000,
    paymentTermsDays: 30,
    deliveryDate: '2026-12-21',
    at,
    day: '2026-12-14',
    via: 'signoffs',
    ...overrides,
  });
}

function ok(r: TransitionResult): CommitPromise {
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.promise;
}

describe('promise from clearance', () => {
  it('when a request is cleared then the promise is open with the delivery date as promised and no expected date', () => {
    const p = promise();
    expect(p).toMatchObject({
      state: 'open',
      promisedOn: '2026-12-21',
      expectedOn: null,
      clearedOn: '2026-12-14',
    });
    expect(openQuantity(p)).toBe(100);
    expect(dueOn(p)).toBe('2026-12-21');
  });

  it('when a request is cleared after its own delivery date then the promise starts overdue', () => {
    expect(promise({ deliveryDate: '2026-12-10' }).state).toBe('overdue');
  });

  it('when the clearance instant is late evening in New York then its day is the New York day, not the UTC one', () => {
    const evening = new Date('2026-12-15T03:30:00Z'); // 22:30 on 14 Dec in New York
    expect(localDate(evening, 'America/New_York')).toBe('2026-12-14');
    expect(localDate(evening, 'UTC')).toBe('2026-12-15');
    const p = promise({ at: evening, day: localDate(evening, 'America/New_York') });
    // A delivery on the New York clearance day is not "before clearance".
    expect(deliver(p, { ...act('2026-12-14'), deliveredOn: '2026-12-14' }).ok).toBe(true);
  });
});

describe('deliveries and OTIF', () => {
  it('when delivered in full on the promised day then it is on time in full with 0 slip days', () => {
    const p = ok(deliver(promise(), { ...act('2026-12-21'), deliveredOn: '2026-12-21' }));
    expect(p.state).toBe('delivered');
    expect(isOnTimeInFull(p)).toBe(true);
    expect(slipDays(p)).toBe(0);
  });

  it('when delivered in full a day after the promised day then it is not on time and slipped 1 day', () => {
    const r = deliver(promise(), { ...act('2026-12-22'), deliveredOn: '2026-12-22' });
    const p = ok(r);
    expect(isOnTimeInFull(p)).toBe(false);
    expect(slipDays(p)).toBe(1);
    expect(r.ok && r.events[0]).toMatchObject({ type: 'promise.delivered', inFull: true, onTime: false });
  });

  it('when delivered early then it is on time and slip days are 0, not negative', () => {
    const p = ok(deliver(promise(), { ...act('2026-12-18'), deliveredOn: '2026-12-18' }));
    expect(isOnTimeInFull(p)).toBe(true);
    expect(slipDays(p)).toBe(0);
  });

  it('when part is delivered on the promised day then it is not in full, and the rest keeps its own expected date', () => {
    const r = deliver(promise(), {
      ...act('2026-12-21'),
      deliveredOn: '2026-12-21',
      quantity: 60,
      restExpectedOn: '2026-12-28',
    });
    const p = ok(r);
    expect(p.state).toBe('partly_delivered');
    expect(isOnTimeInFull(p)).toBe(false);
    expect(slipDays(p)).toBeNull();
    expect(openQuantity(p)).toBe(40);
    expect(p.promisedOn).toBe('2026-12-21');
    expect(p.expectedOn).toBe('2026-12-28');
    expect(r.ok && r.events.map((e) => e.type)).toEqual(['promise.delivered', 'promise.slipped']);
  });

  it('when part deliveries add up to the whole quantity then it is delivered, judged by the last one', () => {
    const a = ok(deliver(promise(), { ...act('2026-12-20'), deliveredOn: '2026-12-20', quantity: 60 }));
    const b = ok(deliver(a, { ...act('2026-12-23'), deliveredOn: '2026-12-23', quantity: 40 }));
    expect(deliveredQuantity(b)).toBe(100);
    expect(b.state).toBe('delivered');
    expect(isOnTimeInFull(b)).toBe(false);
    expect(slipDays(b)).toBe(2);
  });

  it('when no quantity is given then the whole open quantity is delivered', () => {
    const a = ok(deliver(promise(), { ...act('2026-12-20'), deliveredOn: '2026-12-20', quantity: 30 }));
    const b = ok(deliver(a, { ...act('2026-12-21'), deliveredOn: '2026-12-21' }));
    expect(b.deliveries.map((d) => d.quantity)).toEqual([30, 70]);
  });

  it('when more than is open is delivered then it is refused with what is open', () => {
    const a = ok(deliver(promise(), { ...act('2026-12-20'), deliveredOn: '2026-12-20', quantity: 60 }));
    expect(deliver(a, { ...act('2026-12-20'), deliveredOn: '2026-12-20', quantity: 41 })).toEqual({
      ok: false,
      reason: 'over_open_quantity',
      open: 40,
    });
  });

  it('when the delivery day is before clearance, in the future, or not a date then it is refused', () => {
    const p = promise();
    expect(deliver(p, { ...act('2026-12-20'), deliveredOn: '2026-12-13' })).toMatchObject({
      ok: false,
      reason: 'before_clearance',
    });
    expect(deliver(p, { ...act('2026-12-20'), deliveredOn: '2026-12-21' })).toMatchObject({
      ok: false,
      reason: 'in_future',
    });
    expect(deliver(p, { ...act('2026-12-20'), deliveredOn: '2026-02-30' })).toMatchObject({
      ok: false,
      reason: 'invalid',
      field: 'deliveredOn',
    });
    expect(deliver(p, { ...act('2026-12-20'), deliveredOn: '2026-12-20', quantity: 0 })).toMatchObject({
      ok: false,
      reason: 'invalid',
      field: 'quantity',
    });
  });

  it('when the promise is delivered or cancelled then delivering again is refused', () => {
    const done = ok(deliver(promise(), { ...act('2026-12-20'), deliveredOn: '2026-12-20' }));
    expect(deliver(done, { ...act('2026-12-20'), deliveredOn: '2026-12-20' })).toMatchObject({
      reason: 'already_delivered',
    });
    const gone = ok(cancel(promise(), { ...act('2026-12-15'), reason: 'customer went elsewhere' }));
    expect(deliver(gone, { ...act('2026-12-20'), deliveredOn: '2026-12-20' })).toMatchObject({
      reason: 'cancelled',
    });
  });
});

describe('slips', () => {
  it('when a slip is recorded then the promised date stays and the expected date is set beside it', () => {
    const r = slip(promise(), { ...act('2026-12-16'), expectedOn: '2026-12-23', reason: 'supplier late' });
    const p = ok(r);
    expect(p).toMatchObject({ state: 'at_risk', promisedOn: '2026-12-21', expectedOn: '2026-12-23' });
    expect(dueOn(p)).toBe('2026-12-23');
    expect(r.ok && r.events[0]).toMatchObject({
      type: 'promise.slipped',
      promisedOn: '2026-12-21',
      previousExpectedOn: null,
      expectedOn: '2026-12-23',
      reason: 'supplier late',
    });
  });

  it('when a slip has no reason, a date not after the promised one, in the past or before clearance then it is refused', () => {
    const p = promise();
    expect(slip(p, { ...act('2026-12-16'), expectedOn: '2026-12-23', reason: '  ' })).toMatchObject({
      reason: 'invalid',
      field: 'reason',
    });
    expect(slip(p, { ...act('2026-12-16'), expectedOn: '2026-12-21', reason: 'x' })).toMatchObject({
      reason: 'not_later',
    });
    expect(slip(p, { ...act('2026-12-24'), expectedOn: '2026-12-23', reason: 'x' })).toMatchObject({
      reason: 'in_past',
    });
    expect(slip(p, { ...act('2026-12-10'), expectedOn: '2026-12-13', reason: 'x' })).toMatchObject({
      reason: 'before_clearance',
    });
  });

  it('when an overdue promise gets a new date then it is at risk again, due on that date', () => {
    const late = ok(markOverdue(promise(), { at, today: '2026-12-22' }));
    const p = ok(slip(late, { ...act('2026-12-22'), expectedOn: '2026-12-28', reason: 'truck broke down' }));
    expect(p.state).toBe('at_risk');
    expect(isOverdueOn(p, '2026-12-28')).toBe(false);
    expect(isOverdueOn(p, '2026-12-29')).toBe(true);
  });

  it('when a slipped promise is delivered by its expected date then it is delivered but not on time', () => {
    const s = ok(slip(promise(), { ...act('2026-12-16'), expectedOn: '2026-12-23', reason: 'x' }));
    const p = ok(deliver(s, { ...act('2026-12-23'), deliveredOn: '2026-12-23' }));
    expect(p.state).toBe('delivered');
    expect(isOnTimeInFull(p)).toBe(false);
    expect(slipDays(p)).toBe(2);
  });
});

describe('overdue', () => {
  it('when the due date is today then it is not overdue; the day after it is', () => {
    expect(markOverdue(promise(), { at, today: '2026-12-21' })).toMatchObject({
      ok: false,
      reason: 'not_due',
    });
    const r = markOverdue(promise(), { at, today: '2026-12-22' });
    expect(ok(r).state).toBe('overdue');
    expect(r.ok && r.events[0]).toEqual({
      type: 'promise.overdue',
      at,
      dueOn: '2026-12-21',
      day: '2026-12-22',
    });
  });

  it('when the promise is delivered or part-delivered then the schedule does not mark it overdue', () => {
    const done = ok(deliver(promise(), { ...act('2026-12-20'), deliveredOn: '2026-12-20' }));
    expect(markOverdue(done, { at, today: '2026-12-25' }).ok).toBe(false);
    const part = ok(deliver(promise(), { ...act('2026-12-20'), deliveredOn: '2026-12-20', quantity: 10 }));
    expect(markOverdue(part, { at, today: '2026-12-25' }).ok).toBe(false);
    expect(isOverdueOn(part, '2026-12-25')).toBe(true);
  });
});

describe('quality issues, payments, cancellation, on track', () => {
  it('when nothing was delivered then a quality issue is refused; once delivered it is recorded', () => {
    const input = {
      ...act('2026-12-22'),
      reportedOn: '2026-12-22',
      kind: 'rework' as const,
      note: 'scratched',
    };
    expect(reportIssue(promise(), input)).toMatchObject({ ok: false, reason: 'not_delivered' });
    const d = ok(deliver(promise(), { ...act('2026-12-21'), deliveredOn: '2026-12-21' }));
    const p = ok(reportIssue(d, { ...input, quantity: 5 }));
    expect(p.issues).toHaveLength(1);
    expect(reportIssue(d, { ...input, quantity: 101 })).toMatchObject({ reason: 'over_delivered_quantity' });
    expect(reportIssue(d, { ...input, note: '' })).toMatchObject({ reason: 'invalid', field: 'note' });
  });

  it('when paid without an amount then the whole open value is paid; more than open is refused', () => {
    const half = ok(pay(promise(), { ...act('2026-12-20'), paidOn: '2026-12-20', amountMinor: 200_000 }));
    expect(paidMinor(half)).toBe(200_000);
    expect(pay(half, { ...act('2026-12-20'), paidOn: '2026-12-20', amountMinor: 300_001 })).toMatchObject({
      reason: 'over_open_value',
      openMinor: 300_000,
    });
    const full = ok(pay(half, { ...act('2026-12-21'), paidOn: '2026-12-21' }));
    expect(paidMinor(full)).toBe(500_000);
    expect(pay(full, { ...act('2026-12-21'), paidOn: '2026-12-21' })).toMatchObject({
      reason: 'already_paid',
    });
  });

  it('when a cancelled promise is paid then it is refused', () => {
    const gone = ok(cancel(promise(), { ...act('2026-12-15'), reason: 'order cancelled' }));
    expect(pay(gone, { ...act('2026-12-16'), paidOn: '2026-12-16' })).toMatchObject({ reason: 'cancelled' });
    expect(openQuantity(gone)).toBe(0);
  });

  it('when delivered in full then payment is due after the terms and overdue the day after that', () => {
    const d = ok(deliver(promise(), { ...act('2026-12-21'), deliveredOn: '2026-12-21' }));
    expect(paymentDueOn(promise())).toBeNull();
    expect(paymentDueOn(d)).toBe('2027-01-20');
    expect(isPaymentOverdue(d, '2027-01-20')).toBe(false);
    expect(isPaymentOverdue(d, '2027-01-21')).toBe(true);
    const paid = ok(pay(d, { ...act('2027-01-21'), paidOn: '2027-01-21' }));
    expect(isPaymentOverdue(paid, '2027-01-22')).toBe(false);
  });

  it('when a cancel has no reason or the promise is delivered then it is refused', () => {
    expect(cancel(promise(), { ...act('2026-12-15'), reason: '' })).toMatchObject({
      reason: 'invalid',
      field: 'reason',
    });
    const d = ok(deliver(promise(), { ...act('2026-12-21'), deliveredOn: '2026-12-21' }));
    expect(cancel(d, { ...act('2026-12-22'), reason: 'x' })).toMatchObject({ reason: 'already_delivered' });
  });

  it('when a confirmer says on track then the state is unchanged and the event names the due date', () => {
    const r = confirmOnTrack(promise(), act('2026-12-17'));
    expect(ok(r).state).toBe('open');
    expect(r.ok && r.events[0]).toMatchObject({ type: 'promise.on_track', dueOn: '2026-12-21' });
    const gone = ok(cancel(promise(), { ...act('2026-12-15'), reason: 'x' }));
    expect(confirmOnTrack(gone, act('2026-12-17'))).toMatchObject({ reason: 'cancelled' });
  });
});
