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
  // Issue #4/#17: last week's digest, figures and Block Kit (goal < 50 ms at 1,000,000 requests),
  // through the week cache as the bot reads it (db/digest-week-cache.ts), in its three states.
  {
    name: "build one week's digest, the Monday after a late write into it (the week just ended counted, the 8 before kept)",
    iterations: 30,
    run: async (h) => {
      forgetKeptWeeks(h, 'scored');
      lastWeeksDigest(h);
    },
  },
  {
    name: "build one week's digest, nothing kept (the first digest after an install or upgrade)",
    iterations: 30,
    run: async (h) => {
      forgetKeptWeeks(h, 'all');
      lastWeeksDigest(h);
    },
  },
  {
    name: "build one week's digest, every ended week kept (the scheduled digest: the worker counted the week ahead; a retry, /commit digest, the board)",
    iterations: 30,
    run: async (h) => {
      lastWeeksDigest(h);
    },
  },
  {
    // Issue #19: the digest poster's other synchronous stretches, each one block of the bot's loop.
    name: "the digest's 8-week trend, the Monday after (buildTrend: the week just ended counted, the 7 before kept)",
    iterations: 10,
    run: async (h) => {
      forgetKeptWeeks(h, 'scored');
      buildTrend(
        { reader: cachedReader(h), config: h.config },
        localDate(h.lastWeek.start, h.config.timezone),
      );
    },
  },
  {
    name: "the digest's trend and chart, the Monday after (buildTrend + renderTrendChart: Vega to SVG, resvg to PNG; modules loaded)",
    iterations: 5,
    run: async (h) => {
      forgetKeptWeeks(h, 'scored');
      const weeks = buildTrend(
        { reader: cachedReader(h), config: h.config },
        localDate(h.lastWeek.start, h.config.timezone),
      );
      await renderTrendChart({
        weeks,
        functions: Object.values(h.config.functions).map((f) => ({ id: f.id, label: f.label })),
      });
    },
  },
];

/** Last week's digest and its Block Kit, as the poster builds them (week cache on). */
function lastWeeksDigest(h: HistoryContext): void {
  const reader = cachedReader(h);
  const digest = buildWeeklyDigest(
    { reader, config: h.config, clock: h.clock },
    localDate(h.lastWeek.start, h.config.timezone),
  );
  buildDigestMessages(digest, { currency: h.config.currency, timeZone: h.config.timezone });
}

/** The digest reader as the bot makes it: ended weeks kept in digest_weeks. */
function cachedReader(h: HistoryContext) {
  return createDigestReader(h.db, { weekCache: { clock: h.clock, timeZone: h.config.timezone } });
}

/** Deletes kept weeks (on the bench's copy): all of them, or those of the week the digest scores. */
function forgetKeptWeeks(h: HistoryContext, which: 'all' | 'scored'): void {
  if (which === 'all') h.db.$client.prepare('DELETE FROM digest_weeks').run();
  else {
    h.db.$client
      .prepare('DELETE FROM digest_weeks WHERE first_day = ?')
      .run(localDate(h.lastWeek.start, h.config.timezone));
  }
}
