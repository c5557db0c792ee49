// Named measurements taken at every history size. Each is an async function given a seeded
// database (and the bot running on it); the runner times many calls and compares sizes.
//
// To add one after a feature lands, append to HISTORY_MEASUREMENTS.
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/create-db.js';
import { createDigestReader } from '../src/db/digest-repo.js';
import { createHomeRepo } from '../src/db/home-repo.js';
import { addDays, localDate } from '../src/domain/calendar.js';
import { checkCapacity } from '../src/services/capacity.js';
import { checkCanDecide } from '../src/services/decide-signoff.js';
import type { ServiceDeps } from '../src/services/deps.js';
import { buildHomeFor } from '../src/services/home.js';
import type { Clock, RequestStore } from '../src/services/ports.js';
import { buildTrend, buildWeeklyDigest } from '../src/services/weekly-digest.js';
import { renderTrendChart } from '../src/slack/digest-chart.js';
import { buildDigestMessages } from '../src/slack/views/digest.js';
import { buildHomeView } from '../src/slack/views/home.js';
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
  {
    // Issue #5: one available-to-promise check (indexed; goal < 5 ms at 1,000,000 requests). The
    // date is in the seeded open horizon, so the week holds real firm and tentative load.
    name: 'capacity check (checkCapacity, widgets, 3 weeks out)',
    run: async (h) => {
      const deliveryDate = addDays(localDate(h.clock.now(), h.config.timezone), 21);
      checkCapacity(h.services, { productLineId: 'widgets', quantity: 120, deliveryDate });
    },
  },
  {
    // Issue #7: an owner's Home tab (queue, their requests, empty states) built and rendered.
    name: 'render one Home tab (owner: buildHomeFor + buildHomeView)',
    iterations: 100,
    run: async (h) => {
      const { ownerId } = h.pick.pendingSignOff();
      buildHomeView(buildHomeFor({ services: h.services, home: createHomeRepo(h.db) }, ownerId), h.ctx);
    },
  },
  {
    // Issue #4: last week's digest, figures and Block Kit (goal < 100 ms at 1,000,000 requests).
    name: "build one week's digest (buildWeeklyDigest + buildDigestMessages)",
    iterations: 30,
    run: async (h) => {
      const digest = buildWeeklyDigest(
        { reader: createDigestReader(h.db), config: h.config, clock: h.clock },
        localDate(h.lastWeek.start, h.config.timezone),
      );
      buildDigestMessages(digest, { currency: h.config.currency, timeZone: h.config.timezone });
    },
  },
  {
    // Issue #19: the digest poster's other synchronous stretches, each one block of the bot's loop.
    name: "the digest's 8-week trend (buildTrend: eight weeks' rows and figures in one call)",
    iterations: 10,
    run: async (h) => {
      buildTrend(
        { reader: createDigestReader(h.db), config: h.config },
        localDate(h.lastWeek.start, h.config.timezone),
      );
    },
  },
  {
    name: "the digest's trend and chart (buildTrend + renderTrendChart: Vega to SVG, resvg to PNG; modules loaded)",
    iterations: 5,
    run: async (h) => {
      const weeks = buildTrend(
        { reader: createDigestReader(h.db), config: h.config },
        localDate(h.lastWeek.start, h.config.timezone),
      );
      await renderTrendChart({
        weeks,
        functions: Object.values(h.config.functions).map((f) => ({ id: f.id, label: f.label })),
      });
    },
  },
];
