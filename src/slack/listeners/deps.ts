import type { Config } from '../../config.js';
import type { AppLogger } from '../../logger.js';
import type { ServiceDeps } from '../../services/deps.js';
import type { HomeDeps } from '../../services/home.js';
import type { Clock } from '../../services/ports.js';
import type { DigestDeps } from '../../services/weekly-digest.js';
import type { RenderContext } from '../views/render-context.js';

export interface ListenerDeps {
  readonly services: ServiceDeps;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly ctx: RenderContext;
  readonly home: HomeDeps;
  /** Reads the weekly digest (`/commit digest`). */
  readonly digest?: DigestDeps;
}

export const APOLOGY =
  'Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.';
