// Operator commands: `migrate` (npm run db:migrate), `backup PATH` (npm run db:backup -- PATH),
// `outbox-retry [CG-N]` (npm run outbox:retry); more arrive with their issues.
import { existsSync } from 'node:fs';
import { ConfigError, parseEnv } from './config.js';
import { backupDatabase } from './db/backup.js';
import { closeDb, createDb } from './db/create-db.js';
import { createOutboxRepo } from './db/outbox-repo.js';
import { parseRequestRef } from './domain/request.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function databasePath(): string {
  // migrate needs only DATABASE_PATH: a machine preparing a volume may not have Slack tokens.
  try {
    return parseEnv({
      SLACK_BOT_TOKEN: 'xoxb-unused',
      SLACK_APP_TOKEN: 'xapp-unused',
      DATABASE_PATH: process.env.DATABASE_PATH,
    }).DATABASE_PATH;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'migrate': {
    const path = databasePath();
    try {
      const db = createDb(path);
      closeDb(db);
    } catch (error) {
      fail(`migrate: ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    process.stdout.write(`migrated ${path}\n`);
    break;
  }
  case 'backup': {
    const [target] = args;
    if (!target) fail('usage: npm run db:backup -- PATH');
    const path = databasePath();
    if (!existsSync(path)) fail(`backup: ${path}: no such database`);
    if (existsSync(target)) fail(`backup: ${target}: already exists; choose a new path`);
    try {
      const result = await backupDatabase(path, target);
      process.stdout.write(`backed up ${path} to ${target} (${result.pages} pages, integrity ok)\n`);
    } catch (error) {
      fail(`backup: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    break;
  }
  case 'outbox-retry': {
    // After the cause of a given-up delivery is fixed (the bot invited, a scope granted).
    const [ref] = args;
    const requestId = ref === undefined ? undefined : parseRequestRef(ref);
    if (requestId === null) fail('usage: npm run outbox:retry [-- CG-N]');
    const db = createDb(databasePath());
    try {
      const n = createOutboxRepo(db).requeueFailed(requestId);
      process.stdout.write(`requeued ${n} failed deliveries; the running bot sends them within seconds\n`);
    } finally {
      closeDb(db);
    }
    break;
  }
  default:
    fail(`usage: cli.ts migrate | backup PATH | outbox-retry [CG-N]`);
}
