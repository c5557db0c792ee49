// manifest.yml is what people paste into api.slack.com/apps. These tests keep it valid against
// Slack's own JSON Schema, in step with the code (the slash command, Socket Mode), and honest
// about scopes: every Web API method the code calls is covered, and no scope is asked for that
// nothing uses (admins approve scopes at install; each one should be justified).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import * as ids from '../../src/slack/ids.js';
import { COMMAND } from '../../src/slack/ids.js';
import { SUBCOMMANDS } from '../../src/slack/listeners/commands/subcommands/index.js';
import { scopeOfCall, standInConversationType } from '../support/slack-scopes.js';

const MANIFEST_URL = new URL('../../manifest.yml', import.meta.url);
// Slack's manifest schema v1 (github.com/slackapi/manifest-schema), a draft-07 schema.
const SCHEMA_URL = new URL('../fixtures/slack/manifest.schema.1.0.0.json', import.meta.url);
const SRC_DIR = fileURLToPath(new URL('../../src/', import.meta.url));

interface Manifest {
  display_information: { name: string; description?: string; long_description?: string };
  features: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    bot_user?: { display_name: string; always_online?: boolean };
    slash_commands?: {
      command: string;
      url?: string;
      description: string;
      usage_hint?: string;
      should_escape?: boolean;
    }[];
    shortcuts?: { callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled?: boolean;
    interactivity?: { is_enabled: boolean; request_url?: string };
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
  };
}

/**
 * The bot scope each Web API method needs (docs.slack.dev/reference/methods/<method>, "Required
 * scopes"). `null`: no scope (views.* and auth.test work with any bot token; apps.connections.open
 * uses the app-level token's connections:write). A method missing here fails the test below: look
 * up its scope and add it, here and in manifest.yml.
 */
const METHOD_SCOPES: Readonly<Record<string, string | null>> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.scheduleMessage': 'chat:write',
  'conversations.open': 'im:write',
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
  'views.*': null,
  'usergroups.users.list': 'usergroups:read',
  'files.*': 'files:write',
  'users.info': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'auth.test': null,
  'apps.connections.open': null,
};

/** Scopes no Web API method needs; `commands` is required by the slash command itself. */
const NON_METHOD_SCOPES: Readonly<Record<string, (m: Manifest) => boolean>> = {
  commands: (m) => (m.features.slash_commands?.length ?? 0) > 0,
  // conversations.history / replies need the history scope of the conversation's type: groups
  // when channels.requests is private, im for the DMs the outbox posts (src/slack/delivery/presenters.ts).
  'groups:history': (m) => m.oauth_config.scopes.bot.includes('channels:history'),
  'im:history': (m) => m.oauth_config.scopes.bot.includes('channels:history'),
  // Slack grants users:read.email only with users:read (docs.slack.dev/reference/scopes/users.read.email).
  'users:read': (m) => m.oauth_config.scopes.bot.includes('users:read.email'),
  // conversations.open with several users opens a group DM (the escalation to leadership), and
  // the retry lookup reads its history: test/e2e/scopes.test.ts scores those calls as made.
  'mpim:write': (m) => m.oauth_config.scopes.bot.includes('im:write'),
  'mpim:history': (m) => m.oauth_config.scopes.bot.includes('channels:history'),
};

function scopeOf(method: string): string | null | undefined {
  if (method in METHOD_SCOPES) return METHOD_SCOPES[method];
  const wildcard = `${method.split('.')[0]}.*`;
  return wildcard in METHOD_SCOPES ? METHOD_SCOPES[wildcard] : undefined;
}

const NAMESPACES = 'chat|conversations|views|usergroups|files|users|auth|apps';
// `client.chat.postMessage(` (also `app.client…`, `this.client…`) and `'chat.postMessage'` as a
// string (client.apiCall, method names in the outbox). A log line such as 'views.open failed' does
// not match: the quote must close right after the method name.
const CALL_PATTERN = new RegExp(`\\bclient\\.((?:${NAMESPACES})(?:\\.[A-Za-z0-9]+)+)\\s*\\(`, 'g');
const STRING_PATTERN = new RegExp(`['"\`]((?:${NAMESPACES})(?:\\.[A-Za-z0-9]+)+)['"\`]`, 'g');

/** Every Web API method named in src/**\/*.ts, with the files that name it. */
function webApiMethodsIn(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  // The local Slack stand-in lives in dev/, outside src/: it *answers* Web API methods.
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const pattern of [CALL_PATTERN, STRING_PATTERN]) {
      for (const match of text.matchAll(pattern)) {
        const method = match[1];
        if (method === undefined) continue;
        found.set(method, [...new Set([...(found.get(method) ?? []), file])]);
      }
    }
  }
  return found;
}

type ListenerKind = 'command' | 'event' | 'action' | 'view' | 'shortcut' | 'options';

interface Listener {
  readonly kind: ListenerKind;
  /** The command, event type or id, when the argument is a literal or a constant of ids.ts. */
  readonly name: string | undefined;
  readonly source: string;
  readonly file: string;
}

// `app.command(COMMAND, …)`, `app.action<BlockAction<ButtonAction>>(ACTIONS.approve, …)`,
// `app.event('app_home_opened', …)`: the kind and the first argument's source text.
const LISTENER_PATTERN =
  /\bapp\.(command|event|action|view|shortcut|options)\s*(?:<[^(]*>)?\s*\(\s*([^,)]+?)\s*[,)]/g;
// Buttons registered through slack/listeners/shared.ts: `onButton(app, deps, ACTIONS.approve, …)`.
const BUTTON_PATTERN = /\bonButton\s*\(\s*app\s*,\s*\w+\s*,\s*([^,)]+?)\s*[,)]/g;

/** A string literal, or a constant (`COMMAND`, `ACTIONS.approve`) exported by src/slack/ids.ts. */
function resolveListenerArg(source: string): string | undefined {
  const literal = /^(['"`])([^'"`]*)\1$/.exec(source);
  if (literal) return literal[2];
  const constant = /^([A-Z_]+)(?:\.(\w+))?$/.exec(source);
  if (!constant) return undefined;
  const value: unknown = (ids as Record<string, unknown>)[constant[1] ?? ''];
  const member =
    constant[2] === undefined ? value : (value as Record<string, unknown> | undefined)?.[constant[2]];
  return typeof member === 'string' ? member : undefined;
}

/** Every Bolt listener registered in dir/**\/*.ts. */
function listenersIn(dir: string): Listener[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    return [
      ...[...text.matchAll(LISTENER_PATTERN)].map((m) => ({
        kind: m[1] as ListenerKind,
        source: m[2] ?? '',
      })),
      ...[...text.matchAll(BUTTON_PATTERN)].map((m) => ({ kind: 'action' as const, source: m[1] ?? '' })),
    ].map((l) => ({ ...l, name: resolveListenerArg(l.source), file }));
  });
}

const SLACK_DIR = fileURLToPath(new URL('../../src/slack/', import.meta.url));

let manifestText: string;
let manifest: Manifest;
let validate: ValidateFunction;

beforeAll(() => {
  manifestText = readFileSync(MANIFEST_URL, 'utf8');
  manifest = parseYaml(manifestText) as Manifest;
  // strict: false because Slack's schema uses a non-standard `regex` keyword (Ajv would reject it).
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is not installed; the schema's only format is `uri` on `$schema`, which we don't set.
  ajv.addFormat('uri', true);
  validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object);
});

const errorsOf = (data: unknown) => (validate(data) ? [] : (validate.errors ?? []));
const clone = <T>(value: T): T => structuredClone(value);

describe('manifest.yml against Slack’s manifest schema', () => {
  it('when manifest.yml is parsed then it is a v1 manifest that the schema accepts', () => {
    expect((manifest as unknown as { _metadata: { major_version: number } })._metadata.major_version).toBe(1);
    expect(errorsOf(manifest)).toEqual([]);
  });

  it('when the manifest has an unknown top-level key then the schema rejects it', () => {
    const broken = { ...clone(manifest), permissions: ['everything'] };
    expect(errorsOf(broken)).toContainEqual(
      expect.objectContaining({
        keyword: 'additionalProperties',
        params: { additionalProperty: 'permissions' },
      }),
    );
  });

  it('when a nested block has an unknown key then the schema rejects it', () => {
    const broken = clone(manifest);
    (broken.settings as Record<string, unknown>).socket_mode = true;
    expect(errorsOf(broken).length).toBeGreaterThan(0);
  });

  it('when the display name is longer than 35 characters then the schema rejects it', () => {
    const broken = clone(manifest);
    broken.display_information.name = 'commit-gate '.repeat(3);
    expect(broken.display_information.name.length).toBeGreaterThan(35);
    expect(errorsOf(broken)).toContainEqual(
      expect.objectContaining({ instancePath: '/display_information/name', keyword: 'maxLength' }),
    );
  });

  it('when the long description is under Slack’s 175-character minimum then the schema rejects it', () => {
    const broken = clone(manifest);
    broken.display_information.long_description = 'Too short.';
    expect(errorsOf(broken)).toContainEqual(
      expect.objectContaining({
        instancePath: '/display_information/long_description',
        keyword: 'minLength',
      }),
    );
  });
});

describe('manifest.yml and the code', () => {
  it('when Slack installs the app then its one slash command is the one the bot listens for', () => {
    const commands = manifest.features.slash_commands ?? [];
    expect(commands.map((c) => c.command)).toEqual([COMMAND]);
    // Mentions must arrive with their user id (<@U…|name>) for /commit away.
    expect(commands[0]?.should_escape).toBe(true);
    expect(commands[0]?.description.length).toBeGreaterThan(0);
  });

  it('when someone starts typing /commit then the usage hint names every subcommand', () => {
    const hint = manifest.features.slash_commands?.[0]?.usage_hint ?? '';
    for (const word of ['help', ...SUBCOMMANDS.map((s) => s.name)])
      expect(hint).toMatch(new RegExp(`\\b${word}\\b`));
    expect(SUBCOMMANDS.map((s) => s.name).sort()).toEqual([
      'away',
      'back',
      'cancel',
      'capacity',
      'delivered',
      'digest',
      'issue',
      'late',
      'paid',
      'promises',
      'show',
    ]);
  });

  it('when the manifest is used as shipped then Socket Mode is on and no request URL is set', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
    expect(manifest.settings.interactivity?.request_url).toBeUndefined();
    expect(manifest.settings.event_subscriptions?.request_url).toBeUndefined();
    expect(manifest.features.slash_commands?.every((c) => c.url === undefined)).toBe(true);
  });

  it('when someone needs HTTP mode then the comments say how, with the /slack/events URL', () => {
    const comments = manifestText
      .split('\n')
      .filter((line) => line.trimStart().startsWith('#'))
      .join('\n');
    expect(comments).toMatch(/socket_mode_enabled: false/);
    expect(comments).toMatch(/url: https:\/\/[^\s]+\/slack\/events/);
    expect(comments).toMatch(/request_url: https:\/\/[^\s]+\/slack\/events/);
    expect(comments).toMatch(/SLACK_SIGNING_SECRET/);
  });

  it('when the App Home is opened then Slack sends app_home_opened and the tabs are enabled', () => {
    expect(manifest.settings.event_subscriptions?.bot_events).toContain('app_home_opened');
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home?.messages_tab_enabled).toBe(true);
    expect(manifest.features.bot_user).toEqual({ display_name: 'commit-gate', always_online: true });
  });
});

describe('manifest.yml against the listeners registered in src/slack', () => {
  it('when src/slack is scanned then it finds the listeners the core gate is known to register', () => {
    const found = listenersIn(SLACK_DIR).map((l) => `${l.kind} ${l.name}`);
    // Guards the scanner itself: if these stop being found, the pattern is broken, not the code.
    expect(found).toEqual(
      expect.arrayContaining([
        `command ${COMMAND}`,
        `action ${ids.ACTIONS.approve}`,
        `view ${ids.CALLBACKS.requestModal}`,
      ]),
    );
  });

  it('when the code registers a slash command then manifest.yml declares it', () => {
    const declared = new Set((manifest.features.slash_commands ?? []).map((c) => c.command));
    const problems = listenersIn(SLACK_DIR)
      .filter((l) => l.kind === 'command')
      .filter((l) => l.name === undefined || !declared.has(l.name))
      .map((l) => `${l.file}: app.command(${l.source}) is not in features.slash_commands`);
    expect(problems).toEqual([]);
  });

  it('when the code listens for an event then manifest.yml subscribes the bot to it', () => {
    const declared = new Set(manifest.settings.event_subscriptions?.bot_events ?? []);
    const problems = listenersIn(SLACK_DIR)
      .filter((l) => l.kind === 'event')
      .filter((l) => l.name === undefined || !declared.has(l.name))
      .map((l) => `${l.file}: app.event(${l.source}) is not in settings.event_subscriptions.bot_events`);
    expect(problems).toEqual([]);
  });

  it('when the code registers a shortcut then manifest.yml declares its callback id', () => {
    const declared = new Set((manifest.features.shortcuts ?? []).map((s) => s.callback_id));
    const problems = listenersIn(SLACK_DIR)
      .filter((l) => l.kind === 'shortcut')
      .filter((l) => l.name === undefined || !declared.has(l.name))
      .map((l) => `${l.file}: app.shortcut(${l.source}) is not in features.shortcuts`);
    expect(problems).toEqual([]);
  });

  it('when the code handles buttons, modals, shortcuts or menus then interactivity is enabled', () => {
    const interactive = listenersIn(SLACK_DIR).filter((l) => l.kind !== 'command' && l.kind !== 'event');
    expect(interactive.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
  });

  it('when the scanner reads listener registrations then it resolves literals and ids.ts constants', () => {
    const dir = mkdtempSync(join(tmpdir(), 'commit-gate-listeners-'));
    try {
      writeFileSync(
        join(dir, 'sample.ts'),
        [
          'app.command(COMMAND, async () => {});',
          "app.event('app_home_opened', handler);",
          'app.action<BlockAction<ButtonAction>>(ACTIONS.reject, async (args) => {});',
          'app.view(CALLBACKS.rejectModal, handler);',
          'app.action(/^signoff_/, handler);',
          'app.error(async (error) => {});',
        ].join('\n'),
      );
      expect(listenersIn(dir).map((l) => [l.kind, l.name ?? l.source])).toEqual([
        ['command', '/commit'],
        ['event', 'app_home_opened'],
        ['action', 'signoff_reject'],
        ['view', 'reject_modal'],
        ['action', '/^signoff_/'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bot scopes against the Web API methods in src/', () => {
  it('when src/ is scanned then it finds the methods the core gate is known to call', () => {
    const methods = webApiMethodsIn(SRC_DIR);
    // Guards the scanner itself: if these stop being found, the patterns are broken, not the code.
    for (const known of ['chat.postMessage', 'chat.update', 'conversations.open', 'views.open']) {
      expect([...methods.keys()]).toContain(known);
    }
  });

  it('when the code calls a Web API method then its scope is declared in the manifest', () => {
    const declared = new Set(manifest.oauth_config.scopes.bot);
    const problems: string[] = [];
    for (const [method, files] of webApiMethodsIn(SRC_DIR)) {
      const scope = scopeOf(method);
      if (scope === undefined) {
        problems.push(`${method} (${files.join(', ')}): not in METHOD_SCOPES; add its scope`);
      } else if (scope !== null && !declared.has(scope)) {
        problems.push(`${method} (${files.join(', ')}): needs ${scope}, which manifest.yml does not declare`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('when the manifest declares a scope then some code uses it', () => {
    const used = new Set<string>();
    for (const method of webApiMethodsIn(SRC_DIR).keys()) {
      const scope = scopeOf(method);
      if (scope) used.add(scope);
    }
    const unused = manifest.oauth_config.scopes.bot.filter((scope) => {
      const needed = NON_METHOD_SCOPES[scope];
      return needed ? !needed(manifest) : !used.has(scope);
    });
    expect(unused).toEqual([]);
  });

  it('when the scanner reads calls, method-name strings and log lines then it finds only the methods', () => {
    const dir = mkdtempSync(join(tmpdir(), 'commit-gate-scan-'));
    try {
      mkdirSync(join(dir, 'nested'));
      writeFileSync(
        join(dir, 'nested', 'sample.ts'),
        [
          'await app.client.usergroups.users.list({ usergroup });',
          "await client.apiCall('files.uploadV2', {});",
          "log.error('views.open failed', error);",
          "const kind = 'signoff.update';",
        ].join('\n'),
      );
      writeFileSync(join(dir, 'notes.md'), 'client.chat.postMessage(');
      expect([...webApiMethodsIn(dir).keys()].sort()).toEqual(['files.uploadV2', 'usergroups.users.list']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the scope of a call, by how it is called', () => {
  const typeOf = (channel: string) => standInConversationType(channel, new Set(['C0PRIVATE']));
  it('when conversations.open names one user then im:write; several users then mpim:write', () => {
    expect(scopeOfCall('conversations.open', { users: 'U0SELLER' }, typeOf)).toBe('im:write');
    expect(scopeOfCall('conversations.open', { users: 'U0CEO,U0CFO' }, typeOf)).toBe('mpim:write');
  });

  it('when history is read then the scope follows the conversation type', () => {
    expect(scopeOfCall('conversations.history', { channel: 'C0REQUESTS' }, typeOf)).toBe('channels:history');
    expect(scopeOfCall('conversations.history', { channel: 'C0PRIVATE' }, typeOf)).toBe('groups:history');
    expect(scopeOfCall('conversations.replies', { channel: 'DU0SELLER' }, typeOf)).toBe('im:history');
    expect(scopeOfCall('conversations.history', { channel: 'GU0CEOU0CFO' }, typeOf)).toBe('mpim:history');
  });

  it('when each of those scopes is looked up then manifest.yml declares it', () => {
    for (const scope of [
      'im:write',
      'mpim:write',
      'channels:history',
      'groups:history',
      'im:history',
      'mpim:history',
    ])
      expect(manifest.oauth_config.scopes.bot, scope).toContain(scope);
  });
});
