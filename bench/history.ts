// Named measurements taken at every history size. Each is an async function given a seeded
// database (and the bot running on it); the runner times many calls and compares sizes.
//
// To add one after a feature lands, append to HISTORY_MEASUREMENTS, for example:
//   { name: 'capacity check', run: async (h) => { checkCapacity(h.services, {...}); } },
//   { name: 'render one Home tab', run: async (h) => { buildHome(await loadHome(h.services, h.pick.seller())); } },
//   { name: "build one week's digest", run: async (h) => { buildDigest(h.services, h.lastWeek); } },
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/create-db.js';
import { checkCanDecide } from '../src/services/decide-signoff.js';
import type { ServiceDeps } from '../src/services/deps.js';
import type { Clock, RequestStore } from '../src/services/ports.js';
import { type RenderContext, summaryLine } from '../src/slack/views/render-context.js';
import { buildParentMessage } from '../src/slack/views/request-messages.js';
import { commandRequest, send } from './lib/slack.js';

export interface HistoryContext {
  /** Requests stored before the bot started. */
  readonly size: number;
  /** The bench's own connection to the bot's database file (WAL: reads never block the bot). */
  readonly db: Db;
  readonly store: RequestStore;
  /** Service dependencies on that connection, with a clock fixed at the seed's "now". */
  readonly services: ServiceDeps;
  readonly config: Config;
  readonly clock: Clock;
  readonly ctx: RenderContext;
  /** The week before the seed's "now", for digest-like measurements ([start, end) in UTC ms). */
  readonly lastWeek: { readonly start: Date; readonly end: Date };
  /** The running bot (child process) and a response_url on the Slack stand-in. */
  readonly bot: { readonly url: string; readonly responseUrl: string };
  /** Deterministic pickers over the seeded data. */
  readonly pick: {
    readonly seller: () => string;
    /** A request id: recent ones are what people open; old ones test cold pages. */
    readonly requestId: (age: 'recent' | 'any') => number;
    /** A pending sign-off and one of its owners. */
    readonly pendingSignOff: () => { signOffId: number; ownerId: string };
  };
}

export interface HistoryMeasurement {
  readonly name: string;
  /** Timed calls per size (default 300, after a warm-up of a tenth of that). */
  readonly iterations?: number;
  readonly run: (h: HistoryContext) => Promise<void>;
}

export const HISTORY_MEASUREMENTS: HistoryMeasurement[] = [
  {
    name: 'signed /commit help, one at a time over HTTP',
    iterations: 200,
    run: async (h) => {
      const res = await send(h.bot.url, commandRequest('help', h.pick.seller(), h.bot.responseUrl));
      if (res.status !== 200) throw new Error(`/commit help answered ${res.status}`);
    },
  },
  {
    name: 'load one recent request (store.loadRequest)',
    run: async (h) => {
      if (!h.store.loadRequest(h.pick.requestId('recent'))) throw new Error('request not found');
    },
  },
  {
    name: 'load any request (store.loadRequest)',
    run: async (h) => {
      if (!h.store.loadRequest(h.pick.requestId('any'))) throw new Error('request not found');
    },
  },
  {
    name: 'may this owner decide? (checkCanDecide, the Reject click)',
    run: async (h) => {
      const { signOffId, ownerId } = h.pick.pendingSignOff();
      checkCanDecide(h.services, { signOffId, actorId: ownerId });
    },
  },
  {
    name: 'render one request message (load + buildParentMessage)',
    run: async (h) => {
      const request = h.store.loadRequest(h.pick.requestId('recent'));
      if (!request) throw new Error('request not found');
      buildParentMessage(request, h.ctx);
      summaryLine(request, h.ctx);
    },
  },
];
