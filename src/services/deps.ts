import type { Config } from '../config.js';
import type { Clock, RequestStore } from './ports.js';

/** What every service needs; passed in by the composition root (main.ts) or a test. */
export interface ServiceDeps {
  readonly store: RequestStore;
  readonly config: Config;
  readonly clock: Clock;
  /** Called after a transaction that enqueued notifications has committed. */
  readonly onNotify: () => void;
}
