import type { Config } from '../config.js';
import type { Clock, DelegationStore, GroupDirectory, RequestStore } from './ports.js';

/** What every service needs; passed in by the composition root (main.ts) or a test. */
export interface ServiceDeps {
  readonly store: RequestStore;
  readonly config: Config;
  readonly clock: Clock;
  /** Called after a transaction that enqueued notifications has committed. */
  readonly onNotify: () => void;
  /** Out-of-office delegations (absent: nobody delegates). */
  readonly delegations?: DelegationStore;
  /** User group members for owners given as S… ids (absent: groups have no members). */
  readonly groups?: GroupDirectory;
}
