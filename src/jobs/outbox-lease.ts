// Who holds an outbox row while delivering it, and when a holder is known to be gone. Several
// processes may share one DATABASE_PATH (an overlapping deploy, a second replica): each claims
// rows with a lease (db/outbox-repo.ts claimDue) before calling Slack.
import { hostname } from 'node:os';

/**
 * How long a claim holds without renewal. The dispatcher renews its leases every third of this
 * while a batch is in flight, so a delivery may take as long as it needs (several Web API calls of
 * up to 10 s each, a settle wait); 60 s leaves two missed renewals of slack for a busy event loop.
 * A process killed mid-delivery holds its rows at most this long for others on other hosts, far
 * below OUTBOX_STUCK_AFTER_MS; one restarted on the same host takes them back at once (ownerIsGone).
 */
export const OUTBOX_LEASE_MS = 60_000;

/** This process's name in `claimed_by`: host, pid and start time (a pid is reused, the pair is not). */
export function leaseOwner(): string {
  return `${hostname()}:${process.pid}:${Math.round(performance.timeOrigin)}`;
}

/**
 * True when `owner` is certainly not running: a process on this host that has exited, or an
 * earlier life of this very pid (a container restarted keeps its hostname and is pid 1 again).
 * Owners on other hosts are never judged: their leases simply run out.
 */
export function ownerIsGone(owner: string, me: string = leaseOwner()): boolean {
  const parse = (o: string) => {
    const parts = o.split(':');
    const started = parts.pop();
    const pid = Number(parts.pop());
    return { host: parts.join(':'), pid, started };
  };
  const them = parse(owner);
  const self = parse(me);
  if (them.host !== self.host || !Number.isInteger(them.pid) || them.pid <= 0) return false;
  if (them.pid === self.pid) return them.started !== self.started;
  return !alive(them.pid);
}

function alive(pid: number): boolean {
  try {
    // Signal 0 only asks whether the process exists.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user; ESRCH: no such process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
