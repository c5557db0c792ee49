// Fails the run when a process a test started is still alive at the end (see processes.ts), and
// kills it, so a broken test cannot leave bots running after `npm test`.
import { randomUUID } from 'node:crypto';
import { processesOfRun, RUN_ID_VARIABLE } from './processes.js';

export default function setup(): () => Promise<void> {
  const runId = randomUUID();
  process.env[RUN_ID_VARIABLE] = runId;
  return async () => {
    // A child killed by a test's afterEach may need a moment to be reaped.
    let survivors = processesOfRun(runId);
    for (let i = 0; i < 40 && survivors.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      survivors = processesOfRun(runId);
    }
    if (survivors.length === 0) return;
    for (const s of survivors) {
      try {
        process.kill(s.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    throw new Error(
      `processes started by the tests outlived them (killed now):\n${survivors.map((s) => `  ${s.pid} ${s.command}`).join('\n')}`,
    );
  };
}
