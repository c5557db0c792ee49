// The promise migrations on a database made by the previous schema (migrations 0000-0005, as a
// released bot left it): requests cleared before promises existed become promises.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../../src/db/create-db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The journal index of the promises migration: the schema before it is "the previous schema". */
function promisesIdx(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const entry = journal.entries.find((e) => /_promises$/.test(e.tag));
  if (!entry) throw new Error('no promises migration in the journal');
  return entry.idx;
}

/** A copy of migrations/ whose journal stops after `lastIdx` (the schema as released then). */
function migrationsUpTo(lastIdx: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-mig-'));
  dirs.push(dir);
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

function insertRequest(
  sqlite: Database.Database,
  r: {
    status: string;
    deliveryDate: string;
    closedAt: number | null;
    overriddenBy?: string;
    signOff?: boolean;
  },
): number {
  const info = sqlite
    .prepare(
      `INSERT INTO requests (seller_id, status, customer, product_line_id, quantity, value_minor, currency,
         delivery_date, payment_terms_days, discount_percent, created_at, updated_at, closed_at, overridden_by,
         override_reason, overridden_at)
       VALUES ('USELLER', ?, 'Acme', 'widgets', 40, 900000, 'USD', ?, 30, 0, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.status,
      r.deliveryDate,
      Date.parse('2026-11-02T10:00:00Z'),
      r.closedAt ?? Date.parse('2026-11-02T10:00:00Z'),
      r.closedAt,
      r.overriddenBy ?? null,
      r.overriddenBy ? 'strategic account' : null,
      r.overriddenBy ? r.closedAt : null,
    );
  const id = Number(info.lastInsertRowid);
  if (r.signOff)
    sqlite
      .prepare(
        `INSERT INTO sign_offs (request_id, function_id, label, owners, approvals_needed, status, required_by, asked_at)
         VALUES (?, 'finance', 'Finance', '["UFIN"]', 1, 'approved', '[]', ?)`,
      )
      .run(id, Date.parse('2026-11-02T10:00:00Z'));
  return id;
}

describe('promise migrations', () => {
  it('when a database made by the migrations before promises (0000-0005 and any released since) is migrated then every approved request gets a promise, overdue when its date passed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-db-'));
    dirs.push(dir);
    const sqlite = new Database(join(dir, 'old.db'));
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(promisesIdx() - 1) });
    expect(sqlite.prepare(`SELECT name FROM sqlite_master WHERE name = 'promises'`).get()).toBeUndefined();

    // 22:30 UTC on 3 Nov: the UTC day is the 3rd whatever the business zone.
    const closed = Date.parse('2026-11-03T22:30:00Z');
    const signedOff = insertRequest(sqlite, {
      status: 'approved',
      deliveryDate: '2999-01-15',
      closedAt: closed,
      signOff: true,
    });
    const past = insertRequest(sqlite, {
      status: 'approved',
      deliveryDate: '2000-01-10',
      closedAt: closed,
      signOff: true,
    });
    const override = insertRequest(sqlite, {
      status: 'approved',
      deliveryDate: '2999-02-01',
      closedAt: closed,
      overriddenBy: 'ULEAD',
      signOff: true,
    });
    const noSignOff = insertRequest(sqlite, {
      status: 'approved',
      deliveryDate: '2999-03-01',
      closedAt: closed,
    });
    const pending = insertRequest(sqlite, { status: 'pending', deliveryDate: '2999-03-01', closedAt: null });
    const rejected = insertRequest(sqlite, {
      status: 'rejected',
      deliveryDate: '2999-03-01',
      closedAt: closed,
    });

    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const rows = sqlite
      .prepare(
        `SELECT request_id AS id, state, cleared_via AS via, promised_on AS promisedOn, due_on AS dueOn,
                cleared_on AS clearedOn, cleared_at AS clearedAt, quantity, value_minor AS valueMinor
         FROM promises ORDER BY request_id`,
      )
      .all();
    expect(rows).toEqual([
      {
        id: signedOff,
        state: 'open',
        via: 'signoffs',
        promisedOn: '2999-01-15',
        dueOn: '2999-01-15',
        clearedOn: '2026-11-03',
        clearedAt: closed,
        quantity: 40,
        valueMinor: 900000,
      },
      {
        id: past,
        state: 'overdue',
        via: 'signoffs',
        promisedOn: '2000-01-10',
        dueOn: '2000-01-10',
        clearedOn: '2026-11-03',
        clearedAt: closed,
        quantity: 40,
        valueMinor: 900000,
      },
      {
        id: override,
        state: 'open',
        via: 'override',
        promisedOn: '2999-02-01',
        dueOn: '2999-02-01',
        clearedOn: '2026-11-03',
        clearedAt: closed,
        quantity: 40,
        valueMinor: 900000,
      },
      {
        id: noSignOff,
        state: 'open',
        via: 'no_signoff_needed',
        promisedOn: '2999-03-01',
        dueOn: '2999-03-01',
        clearedOn: '2026-11-03',
        clearedAt: closed,
        quantity: 40,
        valueMinor: 900000,
      },
    ]);
    expect(rows.map((r) => (r as { id: number }).id)).not.toContain(pending);
    expect(rows.map((r) => (r as { id: number }).id)).not.toContain(rejected);
    const overdueEvents = sqlite
      .prepare(`SELECT request_id AS id, data FROM events WHERE type = 'promise.overdue'`)
      .all() as { id: number; data: string }[];
    expect(overdueEvents.map((e) => e.id)).toEqual([past]);
    expect(JSON.parse(overdueEvents[0]?.data ?? '{}')).toMatchObject({
      dueOn: '2000-01-10',
      backfilled: true,
    });
    sqlite.close();
  });
});
