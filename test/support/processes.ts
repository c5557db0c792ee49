// Every process a test starts carries a marker in its environment, inherited by whatever it starts
// in turn (npm → sh → node, tsx → node). test/support/global-setup.ts looks for the marker in
// /proc when the suite ends: a survivor fails the run and is killed, so no bot outlives `npm test`
// holding a port or a deleted database file.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export const MARKER = 'COMMIT_GATE_TEST_CHILD';
/** Set by the global setup in the runner's environment, which the test workers inherit. */
export const RUN_ID_VARIABLE = 'COMMIT_GATE_TEST_RUN_ID';

/** Runs TypeScript with node itself (tsx as a loader): the child's pid is the bot's pid. */
export const NODE_TSX = ['--import', 'tsx'] as const;

/** `env` plus the marker of this test run; use it for every spawn and spawnSync in test/. */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const runId = process.env[RUN_ID_VARIABLE];
  if (!runId) throw new Error(`${RUN_ID_VARIABLE} is unset: run the tests through vitest.config.ts`);
  return { ...env, [MARKER]: runId };
}

export interface Survivor {
  readonly pid: number;
  readonly command: string;
}

/** Live processes carrying the marker of run `runId`. Linux (/proc) only; elsewhere none. */
export function processesOfRun(runId: string): Survivor[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const needle = `${MARKER}=${runId}`;
  const found: Survivor[] = [];
  for (const pid of pids) {
    let environ: string;
    let command: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
    } catch {
      continue; // gone meanwhile, or another user's process
    }
    // A zombie has an empty environ and holds nothing; its parent reaps it.
    if (environ.split('\0').includes(needle)) found.push({ pid: Number(pid), command });
  }
  return found;
}

/** True while a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of processes with `path` open (Linux /proc); the crash test kills the database's holder. */
export function processesHolding(path: string): number[] {
  const holders: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile, or another user's process
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      if (target === path || target === `${path} (deleted)`) {
        holders.push(Number(pid));
        break;
      }
    }
  }
  return holders;
}

/** Resolves true when nothing listens on `port` (binding it succeeds). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
