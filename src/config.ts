// The one place that reads the environment and the YAML config file. Both are parsed with zod
// once, in main.ts / cli.ts, into frozen typed objects passed down; nothing else reads process.env.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WEEKDAYS } from './domain/business-hours.js';
import { CAPACITY_LEVELS, LOAD_RULES } from './domain/capacity.js';

export class ConfigError extends Error {
  readonly code = 'config_error';
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const required = () => z.string({ error: 'required' }).trim().min(1, 'required');

export const envSchema = z.object({
  SLACK_BOT_TOKEN: required().refine((v) => v.startsWith('xoxb-'), {
    message: 'expected a bot token starting with xoxb-',
  }),
  SLACK_SIGNING_SECRET: z.string().trim().min(1).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .min(1)
    .refine((v) => v.startsWith('xapp-'), { message: 'expected an app-level token starting with xapp-' })
    .optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .default('https://slack.com/api/')
    .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
  PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a port number')
    .min(0, 'expected a port number')
    .max(65535, 'expected a port number')
    .default(3000),
  DATABASE_PATH: z.string().trim().min(1).default('data/commit-gate.db'),
  COMMIT_GATE_CONFIG: z.string().trim().min(1).default('commit-gate.yml'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /**
   * Turns the HTTP API (/api/v1/) on; unset, every /api/ path is 404. Long enough that guessing
   * is hopeless: it is the only thing between the Internet and the systems-of-record writes.
   */
  COMMIT_GATE_API_TOKEN: z.string().trim().min(24, 'expected at least 24 characters').optional(),
});

export type Env = Readonly<z.infer<typeof envSchema>> & { readonly mode: 'socket' | 'http' };

/** Parses the environment. Empty strings count as unset (a common .env mistake). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([k, v]) => k in envSchema.shape && v !== undefined && v.trim() !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(formatIssue('env', parsed.error));
  const env = parsed.data;
  const mode = env.SLACK_APP_TOKEN ? 'socket' : 'http';
  if (mode === 'http' && !env.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'env: SLACK_SIGNING_SECRET: required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  return Object.freeze({ ...env, mode });
}

// ---------------------------------------------------------------------------------------------
// The YAML config file (INTERFACE.md "Config file").

const LONG_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time "HH:MM"');
const slackId = (what: string, pattern: RegExp) =>
  z.string().trim().regex(pattern, `expected a Slack ${what} id`);
const ownerId = slackId('user id (U…/W…) or user group', /^[UWS][A-Z0-9]{2,}$/);
const userId = slackId('user', /^[UW][A-Z0-9]{2,}$/);
const channelId = z
  .string()
  .trim()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as "C0123ABCD", not a channel name');
const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a lower-case id (letters, digits, - or _, at most 32)');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isLocale(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false; // RangeError: not a well-formed language tag
  }
}

function isCurrency(code: string): boolean {
  return typeof Intl.supportedValuesOf === 'function'
    ? Intl.supportedValuesOf('currency').includes(code)
    : /^[A-Z]{3}$/.test(code);
}

const functionSchema = z.strictObject({
  label: z.string().trim().min(1, 'expected a label').max(40, 'expected at most 40 characters'),
  owners: z.array(ownerId).min(1, 'expected at least one Slack user id'),
  approvals: z.number().int().min(1, 'expected at least 1').default(1),
});

const productLineSchema = z.strictObject({
  id: identifier,
  name: z.string().trim().min(1).max(60),
  unit: z.string().trim().min(1).max(30).default('units'),
  lead_time_days: z.number().int().min(0).max(3650),
  capacity_per_week: z.number().int().positive().optional(),
  load: z.enum(LOAD_RULES, { error: `expected one of ${LOAD_RULES.join(', ')}` }).default('due_week'),
});

const capacityLevel = z.enum(CAPACITY_LEVELS, { error: `expected one of ${CAPACITY_LEVELS.join(', ')}` });

// `when` keys are a closed set: an unknown key is a config error (INTERFACE.md).
const whenSchema = z.strictObject({
  product_line: z.array(identifier).min(1).optional(),
  value_at_least: z.number().nonnegative().optional(),
  payment_terms_days_over: z.number().int().nonnegative().optional(),
  discount_percent_over: z.number().nonnegative().max(100).optional(),
  lead_time_shorter_than_standard: z.boolean().optional(),
  quantity_at_least: z.number().int().positive().optional(),
  has_special_requirements: z.boolean().optional(),
  // One verdict (`capacity: over`) or several (`capacity: [tight, over]`), kept as a list.
  capacity: z
    .union([capacityLevel, z.array(capacityLevel).min(1, 'expected at least one of fits, tight, over')], {
      error: `expected one of ${CAPACITY_LEVELS.join(', ')} (or a list of them)`,
    })
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
});

// Each key a ceiling; `max_value` in whole currency units like `value_at_least`.
const fastLaneSchema = z.strictObject({
  max_value: z.number().nonnegative().optional(),
  max_discount_percent: z.number().nonnegative().max(100).optional(),
  max_payment_terms_days: z.number().int().nonnegative().optional(),
  product_lines: z.array(identifier).min(1, 'expected at least one product line').optional(),
});

const ruleSchema = z.strictObject({
  when: whenSchema.optional(),
  require: z.array(identifier).min(1, 'expected at least one function'),
  reason: z.string().trim().min(1).max(200).optional(),
});

/**
 * The history's event names a webhook may ask for. `request.approved` is published as
 * `request.cleared` (INTERFACE.md), so the config names what receivers see.
 */
export const WEBHOOK_EVENTS = [
  'request.submitted',
  'request.cleared',
  'request.rejected',
  'request.withdrawn',
  'request.expired',
  'request.overridden',
  'request.revised',
  'signoff.approved',
  'signoff.rejected',
  'promise.on_track',
  'promise.slipped',
  'promise.delivered',
  'promise.issue_reported',
  'promise.paid',
  'promise.cancelled',
  'promise.overdue',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  secret: z.string().min(16, 'expected a secret of at least 16 characters'),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { error: `expected one of ${WEBHOOK_EVENTS.join(', ')}` }))
    .min(1, 'expected at least one event'),
});

export const configSchema = z
  .strictObject({
    timezone: z.string().refine(isTimeZone, 'expected an IANA time zone such as America/New_York'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD')
      .refine(isCurrency, 'unknown ISO 4217 currency'),
    locale: z
      .string()
      .trim()
      .refine(isLocale, 'expected a BCP 47 locale that this Node.js knows, such as en-US or de-DE')
      .default('en-US'),
    channels: z.strictObject({ requests: channelId, digest: channelId }),
    digest: z
      .strictObject({
        weekday: z
          .enum([...LONG_WEEKDAYS, ...WEEKDAYS], { error: 'expected a weekday such as monday' })
          .default('monday')
          .transform((d) => d.slice(0, 3) as (typeof WEEKDAYS)[number]),
        time: hhmm.default('09:00'),
      })
      .prefault({}),
    reminders: z
      .strictObject({
        remind_after_hours: z.number().positive().default(8),
        escalate_after_hours: z.number().positive().default(24),
        expire_after_days: z.number().int().positive().default(14),
        business_hours: z
          .strictObject({
            start: hhmm.default('09:00'),
            end: hhmm.default('17:00'),
            days: z
              .array(z.enum(WEEKDAYS, { error: 'expected mon, tue, wed, thu, fri, sat or sun' }))
              .min(1, 'expected at least one day')
              .default(['mon', 'tue', 'wed', 'thu', 'fri']),
          })
          .prefault({})
          .refine((b) => b.start < b.end, { message: 'start must be before end', path: ['end'] }),
      })
      .prefault({}),
    leadership: z.array(userId).default([]),
    functions: z
      .record(identifier, functionSchema)
      .refine((f) => Object.keys(f).length > 0, 'expected at least one function'),
    product_lines: z.array(productLineSchema).min(1, 'expected at least one product line'),
    rules: z.array(ruleSchema).default([]),
    fast_lane: fastLaneSchema.optional(),
    webhooks: z.array(webhookSchema).default([]),
    // INTERFACE.md "Promises": who confirms, reports quality, records payments; when to ask.
    // The function ids are optional: a default that names no configured function means nobody
    // of that function (see promiseRoles); an id given explicitly must exist.
    promises: z
      .strictObject({
        confirmed_by: identifier.optional(),
        quality_by: identifier.optional(),
        payments_by: identifier.optional(),
        ask_days_before: z
          .number()
          .int()
          .min(0, 'expected 0 or more')
          .max(20, 'expected at most 20')
          .default(2),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    for (const [id, fn] of Object.entries(cfg.functions)) {
      const distinctUsers = new Set(fn.owners.filter((o) => !o.startsWith('S')));
      const hasGroup = fn.owners.some((o) => o.startsWith('S'));
      // No owners at all is reported on `owners` already.
      if (!hasGroup && fn.owners.length > 0 && fn.approvals > distinctUsers.size) {
        ctx.addIssue({
          code: 'custom',
          path: ['functions', id, 'approvals'],
          message: `needs ${fn.approvals} distinct owners but only ${distinctUsers.size} listed`,
        });
      }
    }
    for (const key of ['confirmed_by', 'quality_by', 'payments_by'] as const) {
      const fn = cfg.promises[key];
      if (fn !== undefined && !(fn in cfg.functions)) {
        ctx.addIssue({
          code: 'custom',
          path: ['promises', key],
          message: `unknown function "${fn}" (known: ${Object.keys(cfg.functions).join(', ')})`,
        });
      }
    }
    const seen = new Set<string>();
    cfg.product_lines.forEach((pl, i) => {
      if (seen.has(pl.id))
        ctx.addIssue({ code: 'custom', path: ['product_lines', i, 'id'], message: 'duplicate id' });
      seen.add(pl.id);
    });
    cfg.fast_lane?.product_lines?.forEach((pl, j) => {
      if (!seen.has(pl))
        ctx.addIssue({
          code: 'custom',
          path: ['fast_lane', 'product_lines', j],
          message: `unknown product line "${pl}"`,
        });
    });
    cfg.rules.forEach((rule, i) => {
      rule.require.forEach((fn, j) => {
        if (!(fn in cfg.functions)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'require', j],
            message: `unknown function "${fn}" (known: ${Object.keys(cfg.functions).join(', ')})`,
          });
        }
      });
      rule.when?.product_line?.forEach((pl, j) => {
        if (!seen.has(pl)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'when', 'product_line', j],
            message: `unknown product line "${pl}"`,
          });
        }
      });
    });
  });

type RawConfig = z.infer<typeof configSchema>;
export type Weekday = (typeof WEEKDAYS)[number];
export type FunctionConfig = RawConfig['functions'][string] & { readonly id: string };
export type ProductLine = RawConfig['product_lines'][number];
export type Rule = RawConfig['rules'][number];
export type RuleCondition = NonNullable<Rule['when']>;
export type Config = Readonly<Omit<RawConfig, 'functions'>> & {
  readonly functions: Readonly<Record<string, FunctionConfig>>;
};

/** Parses an already-loaded YAML document (an object). */
export function parseConfig(raw: unknown): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatIssue('config', parsed.error));
  const functions = Object.fromEntries(
    Object.entries(parsed.data.functions).map(([id, f]) => [id, Object.freeze({ ...f, id })]),
  );
  return deepFreeze({ ...parsed.data, functions });
}

/** Reads and parses the YAML file. Errors name the file path or the config key, never a stack trace. */
export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot be read';
    throw new ConfigError(
      `config: ${path}: ${reason} (set COMMIT_GATE_CONFIG or copy commit-gate.example.yml)`,
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const line = err instanceof Error ? err.message.split('\n')[0] : 'invalid YAML';
    throw new ConfigError(`config: ${path}: invalid YAML: ${line}`);
  }
  return parseConfig(doc ?? {});
}

/** Every mistake at once, one line each, so a config with several is fixed in one go. */
function formatIssue(prefix: string, error: z.ZodError): string {
  // One line per key: a value failing two checks (a format, then a lookup) needs one fix.
  const byPath = new Map<string, string>();
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (!byPath.has(key)) byPath.set(key, issueLine(prefix, issue));
  }
  return byPath.size > 0 ? [...byPath.values()].join('\n') : `${prefix}: invalid`;
}

function issueLine(prefix: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && message.startsWith('Invalid input: expected')) {
    if (message.endsWith('undefined')) message = 'required';
    else if (message.endsWith('null')) message = emptyValueHint(path);
  }
  return path ? `${prefix}: ${path}: ${message}` : `${prefix}: ${message}`;
}

/**
 * YAML reads `requests: #sales` as an empty value: `#` starts a comment. Say so, and for a
 * channel say what works (a channel id; a quoted name is still not an id).
 */
function emptyValueHint(path: string): string {
  const hint = 'is empty (in YAML, # starts a comment: quote the value)';
  return path.startsWith('channels.')
    ? `${hint}; use the channel id, e.g. "C0123ABCD" (channel details → About, at the bottom)`
    : hint;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The promise roles with their defaults applied: a function id, or null when none is configured. */
export interface PromiseRoles {
  readonly confirmedBy: string | null;
  readonly qualityBy: string | null;
  readonly paymentsBy: string | null;
  readonly askDaysBefore: number;
}

export function promiseRoles(config: Pick<Config, 'promises' | 'functions'>): PromiseRoles {
  const pick = (given: string | undefined, fallback: string) =>
    given ?? (fallback in config.functions ? fallback : null);
  return {
    confirmedBy: pick(config.promises.confirmed_by, 'operations'),
    qualityBy: pick(config.promises.quality_by, 'quality'),
    paymentsBy: pick(config.promises.payments_by, 'finance'),
    askDaysBefore: config.promises.ask_days_before,
  };
}
