// The README's configuration reference is what operators follow; it must list exactly the keys
// the zod schemas accept, so a new key cannot ship undocumented and a removed one cannot linger.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, envSchema } from '../../src/config.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

interface ZodDef {
  readonly type: string;
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly element?: unknown;
  readonly valueType?: unknown;
}

/** zod 4 keeps a schema's structure in `_zod.def`; the public API has no generic walker. */
const defOf = (schema: unknown): ZodDef => (schema as { _zod: { def: ZodDef } })._zod.def;

/**
 * Every key path the schema accepts, containers included, written as the README writes them:
 * `reminders.business_hours.start`, `functions.<id>.label`, `rules[].when.product_line`.
 */
function keyPaths(schema: unknown, path = ''): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
      return keyPaths(def.innerType, path);
    case 'pipe':
      return keyPaths(def.in, path);
    case 'array':
      return keyPaths(def.element, `${path}[]`);
    case 'record':
      return keyPaths(def.valueType, `${path}.<id>`);
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, value]) => {
        const child = path ? `${path}.${key}` : key;
        return [child, ...keyPaths(value, child)];
      });
    default:
      return [];
  }
}

/** The README section under `## title`, up to the next `## ` heading. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The backticked first cells of the table rows under `### title` in that text. */
function tableKeys(text: string, title: string): string[] {
  const start = text.indexOf(`\n### ${title}\n`);
  if (start < 0) throw new Error(`README has no "### ${title}" table`);
  const end = text.indexOf('\n### ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');
}

describe('README configuration reference', () => {
  const reference = section('Configuration reference');

  it('when the walker reads the config schema then it finds nested, map and list keys', () => {
    expect(keyPaths(configSchema)).toEqual(
      expect.arrayContaining([
        'timezone',
        'reminders.business_hours.days',
        'functions.<id>.approvals',
        'product_lines[].lead_time_days',
        'rules[].when.value_at_least',
      ]),
    );
  });

  it('when the config schema accepts a key then the config table documents it, and only those', () => {
    const documented = tableKeys(reference, 'Config file');
    expect(documented.filter((k, i) => documented.indexOf(k) !== i)).toEqual([]);
    expect([...documented].sort()).toEqual([...keyPaths(configSchema)].sort());
  });

  it('when the environment schema accepts a variable then the environment table documents it, and only those', () => {
    const documented = tableKeys(reference, 'Environment variables');
    expect([...documented].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('when a config key has a default then the table shows that default', () => {
    const defaults: Record<string, string> = {
      'digest.weekday': 'monday',
      'digest.time': '"09:00"',
      'reminders.remind_after_hours': '8',
      'reminders.escalate_after_hours': '24',
      'reminders.expire_after_days': '14',
      'functions.<id>.approvals': '1',
      'product_lines[].unit': 'units',
    };
    for (const [key, value] of Object.entries(defaults)) {
      const row = reference.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row, key).toContain(`| \`${value}\` |`);
    }
    // The same defaults, from the schema itself: a changed default fails here first.
    const parsed = configSchema.parse({
      timezone: 'UTC',
      currency: 'USD',
      channels: { requests: 'C0A', digest: 'C0B' },
      functions: { ops: { label: 'Ops', owners: ['U0A'] } },
      product_lines: [{ id: 'p', name: 'P', lead_time_days: 1 }],
    });
    expect(parsed.digest).toEqual({ weekday: 'mon', time: '09:00' });
    expect(parsed.reminders).toMatchObject({
      remind_after_hours: 8,
      escalate_after_hours: 24,
      expire_after_days: 14,
    });
    expect(parsed.functions.ops?.approvals).toBe(1);
    expect(parsed.product_lines[0]?.unit).toBe('units');
  });

  it('when operators look for a section then the headings other features add to are there', () => {
    for (const heading of [
      'Quick start',
      'Install the Slack app from manifest.yml',
      'Configuration reference',
      'Running in Docker',
      'Operations and failure',
      'Troubleshooting',
      'Decision vocabulary',
      'Capacity',
      'Weekly digest',
      'App Home',
      'Benchmarks',
    ])
      expect(README).toContain(`\n## ${heading}\n`);
  });
});
