// Structured JSON logs, one line each, implementing Bolt's Logger so Bolt's own messages share
// the format. Anything that looks like a Slack token or secret is redacted before it is written.
import type { Logger, LogLevel } from '@slack/bolt';
import type { LogLevel as ConfigLogLevel } from './config.js';

const ORDER: Record<ConfigLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const TOKEN = /\b(xox[abpors]|xapp)-[A-Za-z0-9-]+/g;
/** Fields whose values are secrets whatever they look like (a signing secret has no prefix). */
const SECRET_KEY = /token|secret|password|authorization|signature|cookie/i;

export interface AppLogger extends Logger {
  child(context: Record<string, unknown>): AppLogger;
}

export type LogSink = (line: string) => void;

export function redact(text: string): string {
  return text.replace(TOKEN, (_m, prefix: string) => `${prefix}-[redacted]`);
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { error: value.name, message: value.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return value;
}

export function createLogger(
  level: ConfigLogLevel,
  sink: LogSink = (line) => process.stderr.write(`${line}\n`),
  context: Record<string, unknown> = {},
  name = 'commit-gate',
): AppLogger {
  let current: ConfigLogLevel = level;
  const write = (lvl: ConfigLogLevel, args: unknown[]) => {
    if (ORDER[lvl] < ORDER[current]) return;
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const arg of args) {
      if (arg && typeof arg === 'object' && !(arg instanceof Error) && !Array.isArray(arg))
        Object.assign(fields, arg);
      else if (arg instanceof Error) Object.assign(fields, serialise(arg));
      else words.push(String(arg));
    }
    const line = JSON.stringify(
      { time: new Date().toISOString(), level: lvl, name, msg: words.join(' '), ...context, ...fields },
      (key, value: unknown) =>
        key && SECRET_KEY.test(key) && value !== null && typeof value !== 'object' ? '[redacted]' : value,
    );
    sink(redact(line));
  };
  return {
    debug: (...a: unknown[]) => write('debug', a),
    info: (...a: unknown[]) => write('info', a),
    warn: (...a: unknown[]) => write('warn', a),
    error: (...a: unknown[]) => write('error', a),
    setLevel: (l: LogLevel) => {
      current = l as ConfigLogLevel;
    },
    getLevel: () => current as LogLevel,
    setName: (n: string) => {
      name = n;
    },
    child: (extra) => createLogger(current, sink, { ...context, ...extra }, name),
  };
}
