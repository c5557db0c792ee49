// The scheduler loop itself: overlapping ticks share one run, a failing task is logged and does
// not stop the others, and nothing runs after stop().
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';

describe('Scheduler', () => {
  it('when ticks overlap, a task fails and the scheduler stops then runs are shared, failures logged, and stop is final', async () => {
    const lines: string[] = [];
    const ran: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const scheduler = new Scheduler({
      tasks: [
        {
          name: 'slow',
          run: async () => {
            ran.push('slow');
            await gate;
          },
        },
        {
          name: 'broken',
          run: () => {
            throw new Error('boom');
          },
        },
        { name: 'after', run: () => ran.push('after') },
      ],
      logger: createLogger('error', (l) => lines.push(l)),
    });
    const a = scheduler.tick();
    const b = scheduler.tick();
    expect(a).toBe(b);
    release();
    await a;
    expect(ran).toEqual(['slow', 'after']);
    expect(lines.some((l) => l.includes('scheduled task failed') && l.includes('broken'))).toBe(true);
    await scheduler.stop();
    await scheduler.tick();
    expect(ran).toEqual(['slow', 'after']);
  });
});
