// npm run db:backup -- PATH: a consistent copy of the live database while the bot keeps writing,
// and the copy restores (opens, migrates, holds the requests).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb } from '../../src/db/create-db.js';
import { Harness } from '../support/harness.js';
import { childEnv } from '../support/processes.js';

const root = new URL('../..', import.meta.url).pathname;
let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.stop();
});

function backup(target: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'db:backup', '--', target], {
      cwd: root,
      env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: h.dbPath }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run db:backup', () => {
  it('when run while the bot is taking requests then the copy is consistent and restores with every request stored before it began', async () => {
    await h.submitRequest('U0SELLER', { customer: 'Before the backup' });
    const target = join(h.dir, 'backups', 'cg-copy.db');
    const running = backup(target);
    // The bot keeps writing while the backup runs.
    for (let i = 0; i < 5; i++)
      expect((await h.submitRequest('U0SELLER', { customer: `During ${i}` })).status).toBe(200);
    const result = await running;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^backed up .* to .*cg-copy\.db \(\d+ pages, integrity ok\)\n$/);

    // Restore = put the copy where DATABASE_PATH points and start; createDb opens and migrates it.
    const restored = createDb(target);
    try {
      expect(restored.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      const customers = restored.$client.prepare('SELECT customer FROM requests ORDER BY id').pluck().all();
      expect(customers[0]).toBe('Before the backup');
      // Whatever else it holds is a prefix of what was written: never half a transaction.
      const signOffs = restored.$client.prepare('SELECT count(*) FROM sign_offs').pluck().get();
      expect(signOffs).toBe(customers.length);
    } finally {
      closeDb(restored);
    }
  });

  it('when the target exists or is missing then it refuses with one line and exit 1', () => {
    const existing = h.dbPath;
    const r = spawnSync('npm', ['run', '--silent', 'db:backup', '--', existing], {
      cwd: root,
      env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: h.dbPath }),
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`backup: ${existing}: already exists; choose a new path`);
    const none = spawnSync('npm', ['run', '--silent', 'db:backup'], {
      cwd: root,
      env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: h.dbPath }),
      encoding: 'utf8',
    });
    expect(none.status).toBe(1);
    expect(none.stderr.trim()).toBe('usage: npm run db:backup -- PATH');
  });
});
