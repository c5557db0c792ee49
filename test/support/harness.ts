// Starts the real bot in-process on a random port, with a temporary SQLite file and the local
// Slack stand-in, and drives it the way Slack does: signed HTTP requests in, Web API calls out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackStandIn, type SlackStandInOptions } from '../../dev/slack-stand-in.js';
import type { Config } from '../../src/config.js';
import { parseEnv } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type Runtime, startRuntime } from '../../src/runtime.js';
import { CALLBACKS, REQUEST_BLOCKS } from '../../src/slack/ids.js';
import { exampleConfig } from './config.js';
import { OffsetClock } from './fixed-clock.js';
import { blockAction, stateValue, viewSubmission } from './fixtures.js';
import { SlackClientSim } from './signed-requests.js';

export const SIGNING_SECRET = 'test-signing-secret-not-real';
export const BOT_TOKEN = 'xoxb-test-bot-token';

export interface HarnessOptions {
  readonly config?: Config;
  /** "Now" when the bot starts; it then runs at real speed. */
  readonly start?: string;
  readonly mode?: 'http' | 'socket';
  /** Web API timeout of the bot's client (default 10 s): short values exercise timeouts. */
  readonly slackTimeoutMs?: number;
  /** Run the scheduled jobs (digest, reminders, expiry); off unless a test is about them. */
  readonly schedule?: boolean;
  /** COMMIT_GATE_API_TOKEN: turns the HTTP API on. */
  readonly apiToken?: string;
  /** The Slack stand-in's users (users.info, users.lookupByEmail). */
  readonly users?: SlackStandInOptions['users'];
  /** The folder for the database (default: a new temporary one), e.g. a small tmpfs. */
  readonly dir?: string;
  /**
   * Where the outbox dispatcher runs. Default 'in-process': the same dispatcher, notifier and
   * poster on the bot's own thread. Starting the worker thread loads the whole program a second
   * time through tsx (about 3.3 s of CPU per start on a slow two-core machine, most of the
   * suite's time), so only tests about the two threads, and the ones that start the shipped
   * program as a process, run it: 'worker'.
   */
  readonly outbox?: 'worker' | 'in-process';
}

interface BootExtra {
  readonly slackTimeoutMs?: number | undefined;
  readonly apiToken?: string | undefined;
  readonly outbox?: 'worker' | 'in-process' | undefined;
}

const extraOf = (o: HarnessOptions): BootExtra => ({
  slackTimeoutMs: o.slackTimeoutMs,
  apiToken: o.apiToken,
  outbox: o.outbox,
});

export class Harness {
  private constructor(
    readonly standIn: SlackStandIn,
    public runtime: Runtime,
    public slack: SlackClientSim,
    readonly clock: OffsetClock,
    readonly config: Config,
    readonly dir: string,
    readonly logs: string[],
    private readonly mode: 'http' | 'socket',
    private readonly schedule: boolean,
    private readonly extra: BootExtra = {},
  ) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const standIn = await SlackStandIn.start(options.users ? { users: options.users } : {});
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'commit-gate-e2e-'));
    const config = options.config ?? exampleConfig();
    const clock = new OffsetClock(options.start ?? '2026-11-23T15:00:00Z');
    const logs: string[] = [];
    const mode = options.mode ?? 'http';
    const schedule = options.schedule ?? false;
    const runtime = await Harness.boot(standIn, dir, config, clock, logs, mode, schedule, extraOf(options));
    const slack = new SlackClientSim({
      baseUrl: `http://127.0.0.1:${runtime.port}`,
      signingSecret: SIGNING_SECRET,
      standIn,
    });
    return new Harness(standIn, runtime, slack, clock, config, dir, logs, mode, schedule, extraOf(options));
  }

  private static boot(
    standIn: SlackStandIn,
    dir: string,
    config: Config,
    clock: OffsetClock,
    logs: string[],
    mode: 'http' | 'socket',
    schedule: boolean,
    extra: BootExtra,
  ): Promise<Runtime> {
    const { slackTimeoutMs, apiToken, outbox } = extra;
    const env = parseEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      ...(mode === 'socket' ? { SLACK_APP_TOKEN: 'xapp-test-app-token' } : {}),
      SLACK_API_URL: standIn.apiUrl,
      PORT: '0',
      DATABASE_PATH: join(dir, 'commit-gate.db'),
      LOG_LEVEL: 'debug',
      ...(apiToken === undefined ? {} : { COMMIT_GATE_API_TOKEN: apiToken }),
    });
    return startRuntime({
      env,
      config,
      clock,
      logger: createLogger('debug', (line) => logs.push(line)),
      outbox: outbox ?? 'in-process',
      // With outbox: 'worker', as in production, the worker's lines join the same list.
      workerLogs: (line) => logs.push(line),
      pollMs: 25,
      baseBackoffMs: 20,
      ...(slackTimeoutMs === undefined ? {} : { slackTimeoutMs }),
      schedule,
      // Tests tick the scheduler themselves (runtime.scheduler.tick()); the timer only backs it up.
      scheduleMs: 3_600_000,
    });
  }

  get dbPath(): string {
    return join(this.dir, 'commit-gate.db');
  }

  /** Stops the bot and starts it again on the same database (a deploy, or a crash). */
  async restart(): Promise<void> {
    await this.runtime.stop();
    this.runtime = await Harness.boot(
      this.standIn,
      this.dir,
      this.config,
      this.clock,
      this.logs,
      this.mode,
      this.schedule,
      this.extra,
    );
    this.slack = new SlackClientSim({
      baseUrl: `http://127.0.0.1:${this.runtime.port}`,
      signingSecret: SIGNING_SECRET,
      standIn: this.standIn,
    });
  }

  async stop(): Promise<void> {
    await this.runtime.stop();
    await this.standIn.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Fills the request modal the way Slack would submit it. */
  requestValues(values: Partial<Record<keyof typeof REQUEST_BLOCKS, string | null>>) {
    const v = {
      customer: 'Acme Corp',
      productLineId: 'gadgets',
      quantity: '10',
      value: '10000',
      deliveryDate: '2027-02-01',
      paymentTermsDays: '30',
      discountPercent: '0',
      specialRequirements: null,
      dealReference: null,
      ...values,
    };
    const input = (id: string) => `${id}_input`;
    return {
      [REQUEST_BLOCKS.customer]: { [input(REQUEST_BLOCKS.customer)]: stateValue.text(v.customer) },
      [REQUEST_BLOCKS.productLineId]: {
        [input(REQUEST_BLOCKS.productLineId)]: stateValue.select(v.productLineId),
      },
      [REQUEST_BLOCKS.quantity]: { [input(REQUEST_BLOCKS.quantity)]: stateValue.number(v.quantity) },
      [REQUEST_BLOCKS.value]: { [input(REQUEST_BLOCKS.value)]: stateValue.text(v.value) },
      [REQUEST_BLOCKS.deliveryDate]: {
        [input(REQUEST_BLOCKS.deliveryDate)]: stateValue.date(v.deliveryDate),
      },
      [REQUEST_BLOCKS.paymentTermsDays]: {
        [input(REQUEST_BLOCKS.paymentTermsDays)]: stateValue.number(v.paymentTermsDays),
      },
      [REQUEST_BLOCKS.discountPercent]: {
        [input(REQUEST_BLOCKS.discountPercent)]: stateValue.number(v.discountPercent),
      },
      [REQUEST_BLOCKS.specialRequirements]: {
        [input(REQUEST_BLOCKS.specialRequirements)]: stateValue.text(v.specialRequirements),
      },
      [REQUEST_BLOCKS.dealReference]: {
        [input(REQUEST_BLOCKS.dealReference)]: stateValue.text(v.dealReference),
      },
    };
  }

  /** Submits the request modal as `userId`; returns the HTTP response (the ack). */
  submitRequest(
    userId: string,
    values: Parameters<Harness['requestValues']>[0] = {},
    channel: string | null = 'C0SALES',
  ) {
    return this.slack.interaction(
      viewSubmission({
        userId,
        callbackId: CALLBACKS.requestModal,
        privateMetadata: JSON.stringify({ channel }),
        values: this.requestValues(values),
      }),
    );
  }

  /** Clicks a button on a thread message, as Slack sends block_actions for a thread reply. */
  click(userId: string, actionId: string, value: string, messageTs: string) {
    const parent = this.standIn.messages(this.config.channels.requests).find((m) => !m.thread_ts);
    return this.slack.interaction(
      blockAction({
        userId,
        actionId,
        value,
        channelId: this.config.channels.requests,
        messageTs,
        threadTs: parent?.ts,
      }),
    );
  }

  /** Calls the HTTP API as a system of record would: JSON in, JSON out, the harness's token. */
  async api(
    method: string,
    path: string,
    body?: unknown,
    options: {
      readonly token?: string | null;
      readonly raw?: string;
      readonly headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse> {
    const token = options.token === undefined ? this.extra.apiToken : options.token;
    const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const res = await fetch(`http://127.0.0.1:${this.runtime.port}${path}`, {
      method,
      headers: {
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      json: text ? (JSON.parse(text) as unknown) : undefined,
    };
  }
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Read it through the route's answer schema (src/api/schemas.ts): that also checks its shape. */
  readonly json: unknown;
}
