import { describe, expect, it } from 'vitest';
import { clockOnBuffer, isShareable, SharedClockState } from '../../src/jobs/shared-clock.js';
import { systemClock } from '../../src/services/ports.js';
import { FixedClock, OffsetClock } from '../support/fixed-clock.js';

describe('the shared clock (what the outbox worker thread reads)', () => {
  it('when the time stands still or runs shifted, before or after 1970, then a reader on the buffer sees the same instant', () => {
    const state = new SharedClockState({ at: Date.parse('2026-11-23T15:00:00Z') });
    const reader = clockOnBuffer(state.buffer);
    expect(reader.now().toISOString()).toBe('2026-11-23T15:00:00.000Z');
    state.stand(Date.parse('1969-07-20T20:17:40Z'));
    expect(reader.now().toISOString()).toBe('1969-07-20T20:17:40.000Z');
    state.run(-365 * 86_400_000);
    const lag = Date.now() - reader.now().getTime();
    expect(lag).toBeGreaterThanOrEqual(365 * 86_400_000 - 5);
    expect(lag).toBeLessThanOrEqual(365 * 86_400_000 + 5_000);
  });

  it("when a test's clock moves then a reader sees it, and each move is announced (the runtime kicks the worker)", () => {
    const clock = new OffsetClock('2026-11-23T15:00:00Z');
    const reader = clockOnBuffer(clock.shared.buffer);
    let moves = 0;
    const stop = clock.shared.onMove(() => moves++);
    clock.freeze();
    const frozen = clock.now().getTime();
    expect(reader.now().getTime()).toBe(frozen);
    clock.jump(3_600_000);
    expect(reader.now().getTime()).toBe(frozen + 3_600_000);
    clock.resume();
    expect(moves).toBe(3);
    stop();
    clock.jump(1);
    expect(moves).toBe(3);

    const fixed = new FixedClock('2026-12-01T00:00:00Z');
    fixed.advance(90_000);
    expect(clockOnBuffer(fixed.shared.buffer).now().toISOString()).toBe('2026-12-01T00:01:30.000Z');
  });

  it('when a clock is given to the runtime then only shared ones can reach the worker', () => {
    expect(isShareable(new FixedClock('2026-12-01T00:00:00Z'))).toBe(true);
    expect(isShareable(systemClock)).toBe(false);
    expect(isShareable({ now: () => new Date(0) })).toBe(false);
  });
});
