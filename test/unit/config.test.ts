import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, parseEnv } from '../../src/config.js';
import { exampleConfigObject } from '../support/config.js';

function configError(raw: unknown): string {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

function withKey(path: string[], value: unknown): Record<string, unknown> {
  const raw = exampleConfigObject();
  let node: Record<string, unknown> = raw;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return raw;
}

describe('config file', () => {
  it('when the INTERFACE.md example is parsed then every key and default is there', () => {
    const config = parseConfig(exampleConfigObject());
    expect(config.functions.finance).toEqual({
      id: 'finance',
      label: 'Finance',
      owners: ['U0FIN1', 'U0FIN2'],
      approvals: 2,
    });
    expect(config.functions.quality?.approvals).toBe(1);
    expect(config.digest).toEqual({ weekday: 'mon', time: '09:00' });
    expect(config.reminders.business_hours.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(Object.isFrozen(config.functions)).toBe(true);
  });

  it('when optional sections are missing then the documented defaults apply', () => {
    const raw = exampleConfigObject();
    delete raw.digest;
    delete raw.reminders;
    delete raw.leadership;
    const config = parseConfig(raw);
    expect(config.digest).toEqual({ weekday: 'mon', time: '09:00' });
    expect(config.reminders).toEqual({
      remind_after_hours: 8,
      escalate_after_hours: 24,
      expire_after_days: 14,
      business_hours: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    });
    expect(config.leadership).toEqual([]);
  });

  it.each([
    [
      ['functions', 'finance', 'owners'],
      [],
      'config: functions.finance.owners: expected at least one Slack user id',
    ],
    [
      ['functions', 'finance', 'owners'],
      ['bob'],
      'config: functions.finance.owners.0: expected a Slack user id (U…/W…) or user group id',
    ],
    [['timezone'], 'Mars/Olympus', 'config: timezone: expected an IANA time zone such as America/New_York'],
    [['currency'], 'usd', 'config: currency: expected an ISO 4217 code such as USD'],
    [['currency'], 'XYZ', 'config: currency: unknown ISO 4217 currency'],
    [['channels', 'requests'], undefined, 'config: channels.requests: '],
    [['digest', 'time'], '9am', 'config: digest.time: expected a 24-hour time "HH:MM"'],
    [['digest', 'weekday'], 'someday', 'config: digest.weekday: expected a weekday such as monday'],
    [['product_lines'], [], 'config: product_lines: expected at least one product line'],
    [['functions'], {}, 'config: functions: expected at least one function'],
    [['leadership'], ['S0GROUP'], 'config: leadership.0: expected a Slack user id'],
    [
      ['rules'],
      [{ require: ['legal'] }],
      'config: rules.0.require.0: unknown function "legal" (known: operations, quality, finance, people)',
    ],
    [
      ['rules'],
      [{ when: { value_over: 5 }, require: ['finance'] }],
      'config: rules.0.when: unknown key "value_over"',
    ],
    [
      ['rules'],
      [{ when: { product_line: ['sprockets'] }, require: ['quality'] }],
      'config: rules.0.when.product_line.0: unknown product line "sprockets"',
    ],
    [
      ['functions', 'quality', 'approvals'],
      2,
      'config: functions.quality.approvals: needs 2 distinct owners but only 1 listed',
    ],
    [
      ['reminders', 'business_hours', 'end'],
      '08:00',
      'config: reminders.business_hours.end: start must be before end',
    ],
    [['surprise'], true, 'config: unknown key "surprise"'],
  ])('when %j is %j then the error names the path', (path, value, expected) => {
    expect(configError(withKey(path as string[], value))).toContain(expected);
  });

  it('when the file is missing or not YAML then the error names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-config-'));
    expect(() => loadConfig(join(dir, 'nope.yml'))).toThrow(/^config: .*nope\.yml: file not found/);
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'timezone: [unclosed');
    expect(() => loadConfig(bad)).toThrow(/^config: .*bad\.yml: invalid YAML/);
  });

  it('when the shipped example file is loaded then it is valid', () => {
    const config = loadConfig(new URL('../../commit-gate.example.yml', import.meta.url).pathname);
    expect(Object.keys(config.functions)).toEqual(['operations', 'quality', 'finance', 'people']);
  });
});

describe('environment', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' };

  it('when only the bot token and signing secret are set then HTTP mode with defaults', () => {
    expect(parseEnv(base)).toMatchObject({
      mode: 'http',
      PORT: 3000,
      DATABASE_PATH: 'data/commit-gate.db',
      COMMIT_GATE_CONFIG: 'commit-gate.yml',
      LOG_LEVEL: 'info',
      SLACK_API_URL: 'https://slack.com/api/',
    });
  });

  it('when an app token is set then Socket Mode, and no signing secret is needed', () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1' }).mode).toBe('socket');
  });

  it('when SLACK_API_URL has no trailing slash then one is added', () => {
    expect(parseEnv({ ...base, SLACK_API_URL: 'http://127.0.0.1:9/api' }).SLACK_API_URL).toBe(
      'http://127.0.0.1:9/api/',
    );
  });

  it.each([
    [{}, 'env: SLACK_BOT_TOKEN: required'],
    [{ SLACK_BOT_TOKEN: '   ' }, 'env: SLACK_BOT_TOKEN: required'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, 'env: SLACK_BOT_TOKEN: expected a bot token starting with xoxb-'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'env: SLACK_SIGNING_SECRET: required in HTTP mode'],
    [
      { ...base, SLACK_APP_TOKEN: 'xoxb-2' },
      'env: SLACK_APP_TOKEN: expected an app-level token starting with xapp-',
    ],
    [{ ...base, PORT: 'eighty' }, 'env: PORT: expected a port number'],
    [{ ...base, PORT: '70000' }, 'env: PORT: expected a port number'],
    [{ ...base, LOG_LEVEL: 'verbose' }, 'env: LOG_LEVEL: expected one of debug, info, warn, error'],
    [{ ...base, SLACK_API_URL: 'ftp://x' }, 'env: SLACK_API_URL: expected an http(s) URL'],
  ])('when the environment is %j then start-up names the variable', (env, expected) => {
    expect(() => parseEnv(env)).toThrow(expected);
  });

  it('when a token is invalid then the error message does not contain the secret', () => {
    let message = '';
    try {
      parseEnv({ SLACK_BOT_TOKEN: 'xoxp-very-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^env: SLACK_BOT_TOKEN: /);
    expect(message).not.toContain('very-secret');
  });
});

describe('config: capacity that decides (load, when.capacity, fast_lane)', () => {
  const lines = (extra: Record<string, unknown>) => {
    const raw = exampleConfigObject();
    const pl = (raw.product_lines as Record<string, unknown>[])[0] ?? {};
    (raw.product_lines as Record<string, unknown>[])[0] = { ...pl, ...extra };
    return raw;
  };

  it('when load is not given then it is due_week; spread is accepted', () => {
    expect(parseConfig(exampleConfigObject()).product_lines[0]?.load).toBe('due_week');
    expect(parseConfig(lines({ load: 'spread' })).product_lines[0]?.load).toBe('spread');
  });

  it('when load is unknown then the error names the path and the choices', () => {
    expect(configError(lines({ load: 'evenly' }))).toBe(
      'config: product_lines.0.load: expected one of due_week, spread',
    );
  });

  it('when a rule says capacity: over then it is kept as a list; a list is accepted too', () => {
    const one = withKey(['rules'], [{ when: { capacity: 'over' }, require: ['operations'] }]);
    expect(parseConfig(one).rules[0]?.when?.capacity).toEqual(['over']);
    const two = withKey(['rules'], [{ when: { capacity: ['tight', 'over'] }, require: ['operations'] }]);
    expect(parseConfig(two).rules[0]?.when?.capacity).toEqual(['tight', 'over']);
  });

  it('when a rule says capacity: full then the error names the path and the choices', () => {
    const raw = withKey(['rules'], [{ when: { capacity: 'full' }, require: ['operations'] }]);
    expect(configError(raw)).toMatch(/^config: rules\.0\.when\.capacity: expected one of fits, tight, over/);
  });

  it('when fast_lane is absent then there is no lane; when given then every ceiling is kept', () => {
    expect(parseConfig(exampleConfigObject()).fast_lane).toBeUndefined();
    const lane = {
      max_value: 5000,
      max_discount_percent: 5,
      max_payment_terms_days: 30,
      product_lines: ['widgets'],
    };
    expect(parseConfig(withKey(['fast_lane'], lane)).fast_lane).toEqual(lane);
  });

  it.each([
    [{ max_value: -1 }, 'config: fast_lane.max_value: Too small: expected number to be >=0'],
    [
      { max_payment_terms_days: 2.5 },
      'config: fast_lane.max_payment_terms_days: Invalid input: expected int, received number',
    ],
    [{ product_lines: ['bolts'] }, 'config: fast_lane.product_lines.0: unknown product line "bolts"'],
    [{ max_days: 3 }, 'config: fast_lane: unknown key "max_days"'],
  ])('when fast_lane is %j then start-up names the path', (lane, expected) => {
    expect(configError(withKey(['fast_lane'], lane))).toBe(expected);
  });
});
