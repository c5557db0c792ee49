// The webhook's wire format (INTERFACE.md "Outbound webhooks"): names, body and signature.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/api/webhooks/signature.js';
import { subscribersOf, webhookBodyOf, webhookTypeOf } from '../../src/domain/webhook.js';

describe('webhook events', () => {
  it('when a request is approved then receivers know it as request.cleared; other names are the history’s', () => {
    expect(webhookTypeOf('request.approved')).toBe('request.cleared');
    expect(webhookTypeOf('promise.delivered')).toBe('promise.delivered');
    const hooks = [
      { url: 'https://a.example/h', events: ['request.cleared', 'promise.paid'] },
      { url: 'https://b.example/h', events: ['promise.paid'] },
    ];
    expect(subscribersOf(hooks, 'request.approved')).toEqual(['https://a.example/h']);
    expect(subscribersOf(hooks, 'promise.paid')).toEqual(['https://a.example/h', 'https://b.example/h']);
    expect(subscribersOf(hooks, 'signoff.approved')).toEqual([]);
  });

  it('when an event is sent then its body carries the event id, type, instant and snake_case data', () => {
    const body = webhookBodyOf({
      id: 812,
      requestId: 12,
      type: 'promise.delivered',
      actorId: 'api',
      at: new Date('2026-11-23T15:04:05Z'),
      data: {
        actorId: 'api',
        deliveredOn: '2026-11-23',
        quantity: 4,
        inFull: false,
        nested: { openQuantity: 6 },
      },
    });
    expect(body).toEqual({
      id: 'evt_812',
      type: 'promise.delivered',
      created_at: '2026-11-23T15:04:05.000Z',
      data: {
        reference: 'CG-12',
        actor: 'api',
        delivered_on: '2026-11-23',
        quantity: 4,
        in_full: false,
        nested: { open_quantity: 6 },
      },
    });
  });
});

describe('webhook signature', () => {
  const secret = 'a-secret-of-some-length';
  const body = '{"id":"evt_1"}';

  it('when signed then it is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1_700_000_000, body)).toBe(`v1=${expected}`);
  });

  it('when verified then a wrong body, secret, signature or a stale timestamp fails', () => {
    const signature = signWebhook(secret, 1_700_000_000, body);
    const ok = { signature, timestamp: '1700000000' };
    expect(verifyWebhook(secret, ok, body, 1_700_000_100)).toBe(true);
    expect(verifyWebhook(secret, ok, `${body} `, 1_700_000_100)).toBe(false);
    expect(verifyWebhook('another-secret-here', ok, body, 1_700_000_100)).toBe(false);
    expect(
      verifyWebhook(secret, { ...ok, signature: `${signature.slice(0, -1)}0` }, body, 1_700_000_100),
    ).toBe(signature.endsWith('0'));
    expect(verifyWebhook(secret, ok, body, 1_700_000_301)).toBe(false);
    expect(verifyWebhook(secret, ok, body, 1_699_999_699)).toBe(false);
    expect(
      verifyWebhook(secret, { signature: undefined, timestamp: '1700000000' }, body, 1_700_000_000),
    ).toBe(false);
  });
});
