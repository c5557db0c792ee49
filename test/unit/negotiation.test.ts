import { describe, expect, it } from 'vitest';
import { actingFor, validateAway } from '../../src/domain/delegation.js';
import {
  acceptCounter,
  declineCounter,
  override,
  proposeDate,
  requestChanges,
  withdraw,
} from '../../src/domain/negotiation.js';
import type { CommitRequest, SignOff } from '../../src/domain/request.js';
import { decide } from '../../src/domain/request.js';
import { inputsOf, planRevision } from '../../src/domain/revision.js';

const at = new Date('2026-11-23T15:00:00Z');

function signOff(id: number, functionId: string, overrides: Partial<SignOff> = {}): SignOff {
  return {
    id,
    functionId,
    label: functionId,
    owners: [`U_${functionId.toUpperCase()}`],
    approvalsNeeded: 1,
    status: 'pending',
    requiredBy: ['always required'],
    approvals: [],
    rejection: null,
    askedAt: at,
    decidedAt: null,
    ...overrides,
  };
}

function request(signOffs: SignOff[], overrides: Partial<CommitRequest> = {}): CommitRequest {
  return {
    id: 42,
    version: 1,
    sellerId: 'U_SELLER',
    status: 'pending',
    createdAt: at,
    closedAt: null,
    facts: {
      customer: 'Acme',
      productLineId: 'widgets',
      quantity: 120,
      valueMinor: 7_500_000,
      deliveryDate: '2026-12-15',
      paymentTermsDays: 60,
      discountPercent: 0,
      specialRequirements: null,
      dealReference: null,
    },
    signOffs,
    ...overrides,
  };
}

const twoFunctions = () => request([signOff(1, 'ops'), signOff(2, 'qa')]);

describe('proposing a date', () => {
  it('when the date is not later than the requested one then it is refused', () => {
    const r = proposeDate(twoFunctions(), {
      signOffId: 1,
      actorId: 'U_OPS',
      date: '2026-12-15',
      note: null,
      at,
    });
    expect(r).toMatchObject({ ok: false, reason: 'date_not_later' });
  });

  it('when the seller accepts then the date moves, that function approves and the other stays pending', () => {
    const proposed = proposeDate(twoFunctions(), {
      signOffId: 1,
      actorId: 'U_OPS',
      date: '2026-12-20',
      note: 'line 2',
      at,
    });
    if (!proposed.ok) throw new Error(proposed.reason);
    expect(
      decide(proposed.request, { signOffId: 1, actorId: 'U_OPS', verdict: { kind: 'approve' }, at }),
    ).toMatchObject({
      ok: false,
      reason: 'awaiting_seller',
    });
    expect(acceptCounter(proposed.request, { signOffId: 1, actorId: 'U_OPS', at })).toMatchObject({
      ok: false,
      reason: 'not_seller',
    });
    const accepted = acceptCounter(proposed.request, { signOffId: 1, actorId: 'U_SELLER', at });
    if (!accepted.ok) throw new Error(accepted.reason);
    expect(accepted.request.facts.deliveryDate).toBe('2026-12-20');
    expect(accepted.request.signOffs.map((s) => s.status)).toEqual(['approved', 'pending']);
    expect(accepted.request.status).toBe('pending');
    expect(acceptCounter(accepted.request, { signOffId: 1, actorId: 'U_SELLER', at })).toMatchObject({
      ok: false,
      reason: 'no_proposal',
    });
  });

  it("when the seller accepts a date that is still over capacity then the date moves but the sign-off stays pending without the proposer's approval", () => {
    const proposed = proposeDate(twoFunctions(), {
      signOffId: 1,
      actorId: 'U_OPS',
      date: '2026-12-20',
      note: null,
      at,
    });
    if (!proposed.ok) throw new Error(proposed.reason);
    const accepted = acceptCounter(proposed.request, {
      signOffId: 1,
      actorId: 'U_SELLER',
      at,
      overAtNewDate: true,
    });
    if (!accepted.ok) throw new Error(accepted.reason);
    expect(accepted.request.facts.deliveryDate).toBe('2026-12-20');
    expect(accepted.request.signOffs[0]).toMatchObject({ status: 'pending', approvals: [], proposal: null });
    expect(accepted.request.status).toBe('pending');
    expect(accepted.events).toEqual([
      expect.objectContaining({ type: 'counter.accepted', overCapacity: true }),
    ]);
  });

  it('when the seller declines then the request is rejected with the proposal as the reason', () => {
    const proposed = proposeDate(twoFunctions(), {
      signOffId: 2,
      actorId: 'U_QA',
      date: '2027-01-05',
      note: null,
      at,
    });
    if (!proposed.ok) throw new Error(proposed.reason);
    const declined = declineCounter(proposed.request, { signOffId: 2, actorId: 'U_SELLER', at });
    if (!declined.ok) throw new Error(declined.reason);
    expect(declined.request.status).toBe('rejected');
    expect(declined.request.signOffs[1]?.rejection?.reason).toContain('2027-01-05 was proposed');
    expect(declined.events.map((e) => e.type)).toEqual(['counter.declined', 'request.rejected']);
  });
});

describe('withdraw, override, changes', () => {
  it('when someone other than the seller withdraws then it is refused; the seller may, once', () => {
    expect(withdraw(twoFunctions(), { actorId: 'U_OPS', reason: null, at })).toMatchObject({
      reason: 'not_seller',
    });
    const done = withdraw(twoFunctions(), { actorId: 'U_SELLER', reason: ' lost ', at });
    if (!done.ok) throw new Error(done.reason);
    expect(done.request).toMatchObject({ status: 'withdrawn', withdrawReason: 'lost' });
    expect(withdraw(done.request, { actorId: 'U_SELLER', reason: null, at })).toMatchObject({
      reason: 'request_closed',
    });
  });

  it('when a non-leader overrides, or the request is not rejected, or no reason is given then it is refused', () => {
    const rejected = request([signOff(1, 'ops', { status: 'rejected' })], { status: 'rejected' });
    const leadership = ['U_CEO'];
    expect(override(rejected, { actorId: 'U_OPS', reason: 'x', at, leadership })).toMatchObject({
      reason: 'not_leadership',
    });
    expect(override(twoFunctions(), { actorId: 'U_CEO', reason: 'x', at, leadership })).toMatchObject({
      reason: 'not_rejected',
    });
    expect(override(rejected, { actorId: 'U_CEO', reason: ' ', at, leadership })).toMatchObject({
      reason: 'reason_required',
    });
    const ok = override(rejected, { actorId: 'U_CEO', reason: 'strategic', at, leadership });
    expect(ok).toMatchObject({ ok: true, request: { status: 'approved', override: { userId: 'U_CEO' } } });
  });

  it('when a non-owner asks for changes then it is refused; an owner needs a reason', () => {
    expect(requestChanges(twoFunctions(), { signOffId: 1, actorId: 'U_QA', reason: 'x', at })).toMatchObject({
      reason: 'not_owner',
    });
    expect(requestChanges(twoFunctions(), { signOffId: 1, actorId: 'U_OPS', reason: '', at })).toMatchObject({
      reason: 'reason_required',
    });
  });
});

describe('planning a revision', () => {
  const rules = [
    { require: ['ops'] },
    { when: { product_line: ['widgets'] }, require: ['qa'] },
    { when: { value_at_least: 50000 }, require: ['fin'] },
  ];
  const req = (functionId: string) => ({
    functionId,
    label: functionId,
    owners: [`U_${functionId.toUpperCase()}`],
    approvalsNeeded: 1,
    requiredBy: ['x'],
  });

  it('when rules name conditions then a function rests only on those fields; unconditional on every material one', () => {
    expect([...inputsOf('qa', rules)]).toEqual(['productLineId']);
    expect(inputsOf('ops', rules).has('dealReference')).toBe(false);
    expect(inputsOf('ops', rules).has('quantity')).toBe(true);
  });

  it('when only the value changes then finance is asked again, quality kept, and an untouched approval stands', () => {
    const before = request([
      signOff(1, 'ops', { status: 'approved' }),
      signOff(2, 'qa', { status: 'approved' }),
      signOff(3, 'fin'),
    ]);
    const plan = planRevision(before, {
      actorId: 'U_SELLER',
      version: 1,
      facts: { ...before.facts, valueMinor: 9_000_000 },
      required: [req('ops'), req('qa'), req('fin')],
      rules,
    });
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.version).toBe(2);
    expect(plan.reset.map((r) => r.functionId)).toEqual(['ops', 'fin']);
    expect(plan.keep.map((s) => s.functionId)).toEqual(['qa']);
    expect(plan.changes).toEqual([{ field: 'valueMinor', from: 7_500_000, to: 9_000_000 }]);
  });

  it('when the product line changes then a function no longer required is retired and a new one added', () => {
    const before = request([signOff(1, 'ops'), signOff(2, 'qa')]);
    const plan = planRevision(before, {
      actorId: 'U_SELLER',
      version: 1,
      facts: { ...before.facts, productLineId: 'gadgets' },
      required: [req('ops'), req('fin')],
      rules,
    });
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.retire.map((s) => s.functionId)).toEqual(['qa']);
    expect(plan.add.map((s) => s.functionId)).toEqual(['fin']);
  });

  it('when the version is stale, nothing changed, or someone else revises then it is refused', () => {
    const before = twoFunctions();
    const base = { actorId: 'U_SELLER', version: 1, facts: before.facts, required: [], rules };
    expect(planRevision(before, base)).toMatchObject({ reason: 'no_changes' });
    expect(planRevision(before, { ...base, version: 0 })).toMatchObject({ reason: 'out_of_date' });
    expect(planRevision(before, { ...base, actorId: 'U_OPS' })).toMatchObject({ reason: 'not_seller' });
  });
});

describe('delegates and groups', () => {
  const dir = {
    groupMembers: (id: string) => (id === 'S_QA' ? ['U_QA7'] : []),
    delegations: [{ ownerId: 'U_QA7', delegateId: 'U_DEL', startDay: '2026-11-23', endDay: '2026-11-30' }],
  };

  it('when a user is a group member, a delegate of one, or neither then they act as owner, on behalf, or not at all', () => {
    expect(actingFor(['S_QA'], 'U_QA7', dir)).toEqual({ onBehalfOf: null });
    expect(actingFor(['S_QA'], 'U_DEL', dir)).toEqual({ onBehalfOf: 'U_QA7' });
    expect(actingFor(['S_QA'], 'U_OTHER', dir)).toBeNull();
  });

  it('when away dates are wrong then the period is refused with the reason', () => {
    const base = {
      ownerId: 'U_A',
      delegateId: 'U_B',
      startDay: '2026-11-24',
      endDay: '2026-11-30',
      today: '2026-11-23',
    };
    expect(validateAway(base).ok).toBe(true);
    expect(validateAway({ ...base, endDay: '2026-11-20' })).toMatchObject({ reason: 'end_before_start' });
    expect(validateAway({ ...base, startDay: '2026-11-01', endDay: '2026-11-02' })).toMatchObject({
      reason: 'in_the_past',
    });
    expect(validateAway({ ...base, delegateId: 'U_A' })).toMatchObject({ reason: 'self' });
    expect(validateAway({ ...base, startDay: 'monday' })).toMatchObject({ reason: 'bad_dates' });
  });
});

describe('a revision while a date is proposed', () => {
  it('when a sign-off has an open proposal then the revision asks it again even if its inputs did not change', () => {
    const before = request([
      signOff(1, 'qa', { proposal: { userId: 'U_QA', at, date: '2026-12-20', note: null } }),
    ]);
    const plan = planRevision(before, {
      actorId: 'U_SELLER',
      version: 1,
      facts: { ...before.facts, dealReference: 'OPP-1' },
      required: [{ functionId: 'qa', label: 'qa', owners: ['U_QA'], approvalsNeeded: 1, requiredBy: ['x'] }],
      rules: [{ when: { product_line: ['widgets'] }, require: ['qa'] }],
    });
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.reset.map((r) => r.id)).toEqual([1]);
  });
});
