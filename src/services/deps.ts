import type { Config } from '../config.js';
import type {
  CapacityStore,
  Clock,
  DelegationStore,
  GroupDirectory,
  Outbox,
  PromiseStore,
  RequestStore,
} from './ports.js';

/** What every service needs; passed in by the composition root (main.ts) or a test. */
export interface ServiceDeps {
  readonly store: RequestStore;
  /** Where notifications are queued, inside `store.transaction` (same connection). */
  readonly outbox: Outbox;
  /** Capacity figures, on the same database connection as `store` (so inside its transactions). */
  readonly capacity: CapacityStore;
  /** Promises (one per cleared request), on the same connection as `store`. */
  readonly promises: PromiseStore;
  readonly config: Config;
  readonly clock: Clock;
  /** Called after a transaction that enqueued notifications has committed. */
  readonly onNotify: () => void;
  /** Out-of-office delegations (absent: nobody delegates). */
  readonly delegations?: DelegationStore;
  /** User group members for owners given as S… ids (absent: groups have no members). */
  readonly groups?: GroupDirectory;
}
