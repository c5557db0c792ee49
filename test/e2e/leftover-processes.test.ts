// The suite's guard against processes that outlive it (test/support/global-setup.ts): it must see
// a child, and the child's own children, by the marker they inherit.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv, isAlive, processesOfRun, RUN_ID_VARIABLE } from '../support/processes.js';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

describe('processes started by the tests', () => {
  it('when a test starts a shell that starts a sleeper then both are found by the run marker, and neither once killed', async () => {
    const runId = process.env[RUN_ID_VARIABLE] ?? '';
    const shell = spawn('sh', ['-c', 'sleep 30 & echo $!; wait'], {
      env: childEnv({ PATH: process.env.PATH }),
    });
    const sleeper = await new Promise<number>((resolve) =>
      shell.stdout.once('data', (d: Buffer) => resolve(Number.parseInt(d.toString(), 10))),
    );
    if (shell.pid === undefined) throw new Error('no pid');
    started.push(sleeper, shell.pid);
    const pids = processesOfRun(runId).map((p) => p.pid);
    expect(pids).toEqual(expect.arrayContaining([shell.pid, sleeper]));

    const exited = new Promise((resolve) => shell.once('exit', resolve));
    process.kill(sleeper, 'SIGKILL');
    await exited;
    await expect.poll(() => processesOfRun(runId).map((p) => p.pid)).not.toContain(sleeper);
    expect(processesOfRun(runId).map((p) => p.pid)).not.toContain(shell.pid);
  });
});
