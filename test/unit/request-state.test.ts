import { describe, expect, it } from 'vitest';
import { type CommitRequest, decide, type SignOff } from '../../src/domain/request.js';

const at = new Date('2026-11-23T15:00:00Z');

function signOff(id: number, functionId: string, overrides: Partial<SignOff> = {}): SignOff {
  return {
    id,
    functionId,
    label: functionId[0]?.toUpperCase() + functionId.slice(1),
    owners: [`U_${functionId.toUpperCase()}1`, `U_${functionId.toUpperCase()}2`],
    approvalsNeeded: 1,
    status: 'pending',
    requiredBy: ['always required'],
    approvals: [],
    rejection: null,
    askedAt: new Date('2026-11-23T14:00:00Z'),
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
    createdAt: new Date('2026-11-23T14:00:00Z'),
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

const approve = (signOffId: number, actorId: string) => ({
  signOffId,
  actorId,
  at,
  verdict: { kind: 'approve' as const },
});
const reject = (signOffId: number, actorId: string, reason = 'Line 2 is full') => ({
  signOffId,
  actorId,
  at,
  verdict: { kind: 'reject' as const, reason },
});

describe('deciding a sign-off', () => {
  it('when one of two functions approves then the request stays pending', () => {
    const r = decide(request([signOff(1, 'operations'), signOff(2, 'quality')]), approve(1, 'U_OPERATIONS1'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.status).toBe('pending');
    expect(r.signOff).toMatchObject({
      status: 'approved',
      decidedAt: at,
      approvals: [{ userId: 'U_OPERATIONS1', at, conditions: null }],
    });
    expect(r.events.map((e) => e.type)).toEqual(['signoff.approved']);
  });

  it('when the last function approves then the request is approved and closed', () => {
    const start = request([
      signOff(1, 'operations', {
        status: 'approved',
        approvals: [{ userId: 'U_OPERATIONS1', at, conditions: null }],
      }),
      signOff(2, 'quality'),
    ]);
    const r = decide(start, approve(2, 'U_QUALITY2'));
    expect(r.ok && r.request.status).toBe('approved');
    expect(r.ok && r.request.closedAt).toEqual(at);
    expect(r.ok && r.events.map((e) => e.type)).toEqual(['signoff.approved', 'request.approved']);
  });

  it('when any function rejects then the request is rejected with the reason', () => {
    const r = decide(
      request([signOff(1, 'operations'), signOff(2, 'finance')]),
      reject(2, 'U_FINANCE1', '  net 90 is too long '),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.status).toBe('rejected');
    expect(r.signOff.rejection).toEqual({ userId: 'U_FINANCE1', at, reason: 'net 90 is too long' });
    expect(r.events.map((e) => e.type)).toEqual(['signoff.rejected', 'request.rejected']);
  });

  it('when the clicker is not an owner of that function then it is refused and names the owners', () => {
    const r = decide(request([signOff(1, 'operations')]), approve(1, 'U_QUALITY1'));
    expect(r).toEqual({
      ok: false,
      reason: 'not_owner',
      owners: ['U_OPERATIONS1', 'U_OPERATIONS2'],
      label: 'Operations',
    });
  });

  it('when the seller is also an owner then they cannot decide their own request', () => {
    const r = decide(
      request([signOff(1, 'operations')], { sellerId: 'U_OPERATIONS1' }),
      approve(1, 'U_OPERATIONS1'),
    );
    expect(r).toMatchObject({ ok: false, reason: 'own_request' });
    const other = decide(
      request([signOff(1, 'operations')], { sellerId: 'U_OPERATIONS1' }),
      approve(1, 'U_OPERATIONS2'),
    );
    expect(other.ok).toBe(true);
  });

  it('when the sign-off was already decided then a second decision is refused', () => {
    const first = decide(
      request([signOff(1, 'operations'), signOff(2, 'quality')]),
      approve(1, 'U_OPERATIONS1'),
    );
    if (!first.ok) throw new Error('expected ok');
    expect(decide(first.request, approve(1, 'U_OPERATIONS2'))).toMatchObject({
      ok: false,
      reason: 'already_decided',
    });
    expect(decide(first.request, reject(1, 'U_OPERATIONS2'))).toMatchObject({
      ok: false,
      reason: 'already_decided',
    });
  });

  it('when the request is closed then no further decision is accepted', () => {
    const rejected = decide(
      request([signOff(1, 'operations'), signOff(2, 'quality')]),
      reject(1, 'U_OPERATIONS1'),
    );
    if (!rejected.ok) throw new Error('expected ok');
    expect(decide(rejected.request, approve(2, 'U_QUALITY1'))).toEqual({
      ok: false,
      reason: 'request_closed',
      status: 'rejected',
    });
  });

  it('when a rejection has no reason then it is refused', () => {
    expect(decide(request([signOff(1, 'operations')]), reject(1, 'U_OPERATIONS1', '   '))).toEqual({
      ok: false,
      reason: 'reason_required',
    });
  });

  it('when the button is for an older version then it is out of date', () => {
    const r = decide(request([signOff(1, 'operations')], { version: 2 }), {
      ...approve(1, 'U_OPERATIONS1'),
      version: 1,
    });
    expect(r).toEqual({ ok: false, reason: 'out_of_date', current: 2 });
  });

  it('when the sign-off does not belong to the request then it is unknown', () => {
    expect(decide(request([signOff(1, 'operations')]), approve(99, 'U_OPERATIONS1'))).toEqual({
      ok: false,
      reason: 'unknown_signoff',
    });
  });

  describe('with a quorum of two', () => {
    const finance = () => signOff(1, 'finance', { approvalsNeeded: 2 });

    it('when one owner approves then the function still waits for a second owner', () => {
      const r = decide(request([finance()]), approve(1, 'U_FINANCE1'));
      expect(r.ok && r.signOff.status).toBe('pending');
      expect(r.ok && r.request.status).toBe('pending');
      expect(r.ok && r.events[0]).toMatchObject({ type: 'signoff.approved', complete: false });
    });

    it('when the same owner approves twice then it counts once', () => {
      const once = decide(request([finance()]), approve(1, 'U_FINANCE1'));
      if (!once.ok) throw new Error('expected ok');
      expect(decide(once.request, approve(1, 'U_FINANCE1'))).toMatchObject({
        ok: false,
        reason: 'already_approved_by_you',
      });
    });

    it('when two distinct owners approve then the function and the request are approved', () => {
      const once = decide(request([finance()]), approve(1, 'U_FINANCE1'));
      if (!once.ok) throw new Error('expected ok');
      const twice = decide(once.request, approve(1, 'U_FINANCE2'));
      expect(twice.ok && twice.signOff.status).toBe('approved');
      expect(twice.ok && twice.request.status).toBe('approved');
    });

    it('when one owner approved and another rejects then the rejection wins', () => {
      const once = decide(request([finance()]), approve(1, 'U_FINANCE1'));
      if (!once.ok) throw new Error('expected ok');
      const r = decide(once.request, reject(1, 'U_FINANCE2'));
      expect(r.ok && r.request.status).toBe('rejected');
    });
  });
});
