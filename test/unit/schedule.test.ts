// When the digest is due, when a sign-off's reminder and escalation are due, when a request
// expires: local wall-clock rules, across nights, weekends and daylight-saving changes.
import { describe, expect, it } from 'vitest';
import { addBusinessHours, businessTimeline } from '../../src/domain/business-hours.js';
import { expiresAt, isExpired, latestDigestDue, waitingDue } from '../../src/domain/schedule.js';

const NY = 'America/New_York';
const slot = { weekday: 'mon', time: '09:00' } as const;
const hours = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } as const;
const t = { remindAfterHours: 8, escalateAfterHours: 24, businessHours: hours, timeZone: NY };

describe('latestDigestDue', () => {
  it('when it is one minute before Monday 09:00 local then the week before last is the latest due', () => {
    expect(latestDigestDue(new Date('2026-11-23T13:59:00Z'), slot, NY)).toEqual({
      period: '2026-11-09',
      dueAt: new Date('2026-11-16T14:00:00Z'),
    });
  });

  it('when it is Monday 09:00 local exactly then last week becomes due', () => {
    expect(latestDigestDue(new Date('2026-11-23T14:00:00Z'), slot, NY)).toEqual({
      period: '2026-11-16',
      dueAt: new Date('2026-11-23T14:00:00Z'),
    });
  });

  it('when the week contains the autumn DST change then Monday 09:00 is 14:00Z, not 13:00Z', () => {
    // Clocks went back on Sun 1 Nov 2026: the Monday after is EST (UTC−5).
    expect(latestDigestDue(new Date('2026-11-02T13:30:00Z'), slot, NY).period).toBe('2026-10-19');
    expect(latestDigestDue(new Date('2026-11-02T14:00:00Z'), slot, NY)).toEqual({
      period: '2026-10-26',
      dueAt: new Date('2026-11-02T14:00:00Z'),
    });
  });

  it('when the week contains the spring DST change then Monday 09:00 is 13:00Z', () => {
    // Clocks go forward on Sun 8 Mar 2026: Monday 9 Mar is EDT (UTC−4).
    expect(latestDigestDue(new Date('2026-03-09T13:00:00Z'), slot, NY)).toEqual({
      period: '2026-03-02',
      dueAt: new Date('2026-03-09T13:00:00Z'),
    });
  });

  it('when the slot is Friday 16:30 then the week that ended the Sunday before is reported', () => {
    expect(latestDigestDue(new Date('2026-11-27T21:30:00Z'), { weekday: 'fri', time: '16:30' }, NY)).toEqual({
      period: '2026-11-16',
      dueAt: new Date('2026-11-27T21:30:00Z'),
    });
  });
});

describe('waitingDue', () => {
  const asked = new Date('2026-11-20T20:00:00Z'); // Fri 15:00 local
  const at = (iso: string) =>
    waitingDue({ askedAt: asked, remindedAt: null, escalatedAt: null }, new Date(iso), t);

  it('when a sign-off is asked Friday 15:00 then the night and the weekend do not count', () => {
    // Fri 2 h; Mon 6 h more reaches 8 h at Mon 15:00 local (20:00Z).
    expect(at('2026-11-23T19:59:00Z')).toEqual({ remind: false, escalate: false });
    expect(at('2026-11-23T20:00:00Z')).toEqual({ remind: true, escalate: false });
    // 24 h: Fri 2 + Mon 8 + Tue 8 + Wed 6 → Wed 15:00 local.
    expect(at('2026-11-25T19:59:00Z')).toEqual({ remind: true, escalate: false });
    expect(at('2026-11-25T20:00:00Z')).toEqual({ remind: true, escalate: true });
  });

  it('when a reminder or escalation already went out then it is not due again', () => {
    const now = new Date('2026-12-01T20:00:00Z');
    expect(waitingDue({ askedAt: asked, remindedAt: now, escalatedAt: null }, now, t)).toEqual({
      remind: false,
      escalate: true,
    });
    expect(waitingDue({ askedAt: asked, remindedAt: now, escalatedAt: now }, now, t)).toEqual({
      remind: false,
      escalate: false,
    });
  });
});

describe('expiresAt', () => {
  it('when a request was made at 10:00 local then it expires 14 calendar days later at 10:00 local, across DST', () => {
    // Tue 27 Oct 2026 10:00 EDT (14:00Z) → Tue 10 Nov 10:00 EST (15:00Z).
    expect(expiresAt(new Date('2026-10-27T14:00:00Z'), 14, 'America/New_York')).toEqual(
      new Date('2026-11-10T15:00:00Z'),
    );
  });
});

describe('the shortcuts the scheduler takes every minute', () => {
  // A small deterministic generator: the same cases every run.
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  // Both 2026 daylight-saving changes in New York sit inside this stretch.
  const from = Date.UTC(2026, 1, 20);
  const span = 280 * 24 * 3_600_000;
  const allDay = {
    start: '00:00',
    end: '23:59',
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  } as const;

  it('when asked at random instants, across DST, with or without a timeline, then waitingDue agrees with the business-hours walk', () => {
    for (const businessHours of [hours, allDay]) {
      const timeline = businessTimeline(businessHours, NY, '2026-02-19', '2026-12-05');
      for (const [remindAfterHours, escalateAfterHours] of [
        [1, 2],
        [8, 24],
        [24, 72],
      ] as const) {
        const th = { remindAfterHours, escalateAfterHours, businessHours, timeZone: NY };
        for (let i = 0; i < 300; i++) {
          const askedAt = new Date(from + Math.floor(next() * span));
          const now = new Date(askedAt.getTime() + Math.floor(next() * 5 * 24 * 3_600_000));
          const walk = (h: number) =>
            addBusinessHours(askedAt, h, businessHours, NY).getTime() <= now.getTime();
          const expected = { remind: walk(remindAfterHours), escalate: walk(escalateAfterHours) };
          const signOff = { askedAt, remindedAt: null, escalatedAt: null };
          expect(waitingDue(signOff, now, th)).toEqual(expected);
          expect(waitingDue(signOff, now, th, timeline)).toEqual(expected);
        }
      }
    }
  });

  it('when asked at random instants, across DST, then isExpired agrees with expiresAt', () => {
    for (const days of [1, 14]) {
      for (let i = 0; i < 1000; i++) {
        const createdAt = new Date(from + Math.floor(next() * span));
        // Mostly within a few hours of the expiry, where a shortcut would go wrong first.
        const around = expiresAt(createdAt, days, NY).getTime();
        const now = new Date(around + Math.floor((next() - 0.5) * 6 * 3_600_000));
        expect(isExpired(createdAt, days, NY, now)).toBe(now.getTime() >= around);
      }
    }
  });
});
