// Seeds a database with realistic history, straight through the project's schema: createDb runs
// the real migrations, column names come from src/db/schema.ts, and rows go in with prepared
// statements in large transactions. Seeded files are cached under bench/.cache/, keyed by size and
// a hash of the migrations and of this file, so re-runs skip the work.
//
// The history has a constant pace (REQUESTS_PER_WEEK): a bigger history is a longer past, not a
// busier present. The last weeks look the same at any size (same pending queues, same weekly
// volume), so any figure that grows with size is a real scaling problem.
//
// Run alone: `npx tsx bench/seed.ts 1000000`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { parseConfig } from '../src/config.js';
import { createCapacityStore } from '../src/db/capacity-repo.js';
import { closeDb, createDb, MIGRATIONS_FOLDER } from '../src/db/create-db.js';
import { createOutbox } from '../src/db/outbox-repo.js';
import { createPromiseStore } from '../src/db/promise-repo.js';
import { createRequestStore } from '../src/db/request-repo.js';
import { createReminderStore } from '../src/db/schedule-repo.js';
import { approvals, events, outbox, requests, signOffs } from '../src/db/schema.js';
import { OUTBOX_KEEP_DELIVERED_MS } from '../src/jobs/outbox-prune.js';
import { runReminders } from '../src/services/reminders.js';
import { exampleConfigObject } from '../test/support/config.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Where seeded databases are kept (`BENCH_CACHE_DIR` to keep a branch's seeds apart from another's). */
export const CACHE_DIR = process.env.BENCH_CACHE_DIR ?? join(here, '.cache');

/** The newest seeded request is created just before this instant; history runs backwards from it. */
export const SEED_ANCHOR = new Date('2026-11-23T12:00:00Z');
export const REQUESTS_PER_WEEK = 1000;
const WEEK_MS = 7 * 24 * 3600 * 1000;
const SPACING_MS = WEEK_MS / REQUESTS_PER_WEEK;
/** Requests younger than this may still be pending; older ones are all closed. */
const OPEN_WINDOW_MS = 14 * 24 * 3600 * 1000;
const BATCH = 20_000;

export const SELLERS = Array.from({ length: 200 }, (_, i) => `U0SELL${String(i).padStart(3, '0')}`);
const CUSTOMERS = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Industries',
  'Stark Manufacturing',
  'Wayne Logistics',
  'Hooli',
  'Vandelay Imports',
  'Soylent & Co',
  'Tyrell Systems',
  'Cyberdyne',
  'Wonka Foods',
  'Oscorp',
  'Massive Dynamic',
  'Aperture Labs',
  'Gringotts & Sons',
];
/** Functions as in the example config (INTERFACE.md), with their owners. */
const FUNCTIONS = {
  operations: { label: 'Operations', owners: ['U0OPS1', 'U0OPS2'], approvals: 1 },
  quality: { label: 'Quality', owners: ['U0QA1'], approvals: 1 },
  finance: { label: 'Finance', owners: ['U0FIN1', 'U0FIN2'], approvals: 2 },
  people: { label: 'People', owners: ['U0HR1'], approvals: 1 },
} as const;
type FunctionId = keyof typeof FUNCTIONS;

export interface SeedInfo {
  readonly path: string;
  readonly size: number;
  readonly seconds: number | null;
  readonly cached: boolean;
  readonly bytes: number;
}

/** A hash of everything that shapes the seeded file: migrations (the schema) and this generator. */
export function schemaHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()) {
    hash.update(file.slice(MIGRATIONS_FOLDER.length));
    hash.update(readFileSync(file));
  }
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex').slice(0, 12);
}

/** Returns a seeded database of `size` requests, from the cache when it is there. */
export function seededDb(size: number, log: (line: string) => void = () => undefined): SeedInfo {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `history-${size}-${schemaHash()}.db`);
  if (existsSync(path)) return { path, size, seconds: null, cached: true, bytes: fileSize(path) };
  // Old caches (another size's are kept; another schema's are useless) go, so the folder stays small.
  for (const old of readdirSync(CACHE_DIR))
    if (old.startsWith(`history-${size}-`)) rmSync(join(CACHE_DIR, old), { force: true });
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  const started = performance.now();
  log(`seeding ${size.toLocaleString('en-US')} requests into ${path} ...`);
  seed(tmp, size);
  renameSync(tmp, path);
  const seconds = (performance.now() - started) / 1000;
  log(`seeded ${size.toLocaleString('en-US')} requests in ${seconds.toFixed(1)} s`);
  return { path, size, seconds, cached: false, bytes: fileSize(path) };
}

function fileSize(path: string): number {
  return statSync(path).size;
}

/** `INSERT INTO <table> (<columns of these properties>) VALUES (?, …)`, names from schema.ts. */
function insertSql(table: SQLiteTable, properties: readonly string[]): string {
  const config = getTableConfig(table);
  const byProperty = new Map(
    Object.entries(table as unknown as Record<string, { name?: string }>).flatMap(([key, col]) =>
      config.columns.some((c) => c === col) ? [[key, (col as { name: string }).name] as const] : [],
    ),
  );
  const names = properties.map((p) => {
    const name = byProperty.get(p);
    if (!name) throw new Error(`seed: ${config.name} has no column for property ${p}`);
    return `"${name}"`;
  });
  return `INSERT INTO "${config.name}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
}

/** A small, fast, seeded PRNG (mulberry32): the same size always yields the same history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function seed(path: string, size: number): void {
  const db = createDb(path);
  const sqlite = db.$client;
  // Bulk-load settings for this one-off writer; the bot's own connection sets its pragmas again.
  // Out of WAL for the load: one big transaction then writes each page once, not twice.
  sqlite.pragma('journal_mode = MEMORY');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -524288');
  sqlite.pragma('temp_store = MEMORY');
  // Indexes are dropped and recreated from the migrations' own SQL: building them once at the end
  // is several times faster than keeping them up to date row by row.
  const indexes = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);

  const insertRequest = sqlite.prepare(
    insertSql(requests, [
      'id',
      'version',
      'sellerId',
      'status',
      'customer',
      'productLineId',
      'quantity',
      'valueMinor',
      'currency',
      'deliveryDate',
      'paymentTermsDays',
      'discountPercent',
      'specialRequirements',
      'dealReference',
      'sourceChannelId',
      'createdAt',
      'updatedAt',
      'closedAt',
      'channelId',
      'messageTs',
    ]),
  );
  const insertSignOff = sqlite.prepare(
    insertSql(signOffs, [
      'id',
      'requestId',
      'functionId',
      'label',
      'owners',
      'approvalsNeeded',
      'status',
      'requiredBy',
      'askedAt',
      'decidedAt',
      'rejectedBy',
      'rejectionReason',
      'messageTs',
    ]),
  );
  const insertApproval = sqlite.prepare(insertSql(approvals, ['signOffId', 'userId', 'at', 'conditions']));
  const insertEvent = sqlite.prepare(
    insertSql(events, ['requestId', 'signOffId', 'type', 'actorId', 'at', 'data']),
  );
  const insertOutbox = sqlite.prepare(
    insertSql(outbox, [
      'orderingKey',
      'kind',
      'payload',
      'status',
      'attempts',
      'nextAttemptAt',
      'createdAt',
      'deliveredAt',
    ]),
  );

  const rand = prng(size);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const ownersJson = Object.fromEntries(
    Object.entries(FUNCTIONS).map(([id, f]) => [id, JSON.stringify(f.owners)]),
  ) as Record<FunctionId, string>;
  const first = SEED_ANCHOR.getTime() - size * SPACING_MS;
  let signOffId = 0;

  // A running bot keeps delivered rows for OUTBOX_KEEP_DELIVERED_MS (jobs/outbox-prune.ts), so
  // the seeded history holds only those: the steady state, not years of rows to prune at start.
  const keptFrom = SEED_ANCHOR.getTime() - OUTBOX_KEEP_DELIVERED_MS;
  const done = (key: string, kind: string, payload: object, at: number) => {
    if (at + 150 >= keptFrom)
      insertOutbox.run(key, kind, JSON.stringify(payload), 'done', 1, at, at, at + 150);
  };

  const writeOne = (id: number) => {
    const createdAt = Math.round(first + (id - 1) * SPACING_MS + rand() * SPACING_MS * 0.5);
    const age = SEED_ANCHOR.getTime() - createdAt;
    const widgets = rand() < 0.5;
    const productLineId = widgets ? 'widgets' : 'gadgets';
    const quantity = 10 + Math.floor(rand() * 990);
    const valueMinor = (1000 + Math.floor(rand() * 120_000)) * 100;
    const paymentTermsDays = rand() < 0.8 ? 30 : 60;
    const discountPercent = rand() < 0.85 ? Math.floor(rand() * 10) : 15 + Math.floor(rand() * 10);
    const leadDays = (widgets ? 21 : 35) + Math.floor(rand() * 60) - 10;
    const deliveryDate = isoDay(createdAt + leadDays * 86_400_000);
    const sellerId = pick(SELLERS);
    const customer = pick(CUSTOMERS);
    const dealReference = rand() < 0.6 ? `DEAL-${100_000 + id}` : null;
    const specialRequirements = rand() < 0.2 ? 'Custom finish and labelled pallets' : null;

    const required: { fn: FunctionId; why: string[] }[] = [{ fn: 'operations', why: ['always'] }];
    if (widgets) required.push({ fn: 'quality', why: ['product line is Widgets'] });
    const financeWhy = [
      ...(valueMinor >= 5_000_000 ? ['value at least $50,000.00'] : []),
      ...(paymentTermsDays > 30 ? ['payment terms over 30 days'] : []),
      ...(discountPercent > 15 ? ['discount over 15%'] : []),
    ];
    if (financeWhy.length) required.push({ fn: 'finance', why: financeWhy });
    if (leadDays < (widgets ? 21 : 35)) {
      required[0]?.why.push('lead time shorter than standard');
      required.push({ fn: 'people', why: ['lead time shorter than standard'] });
    }

    // The outcome: recent requests may still be open; older ones are all closed.
    const roll = rand();
    const status =
      age < OPEN_WINDOW_MS && roll < 0.6
        ? 'pending'
        : roll < 0.8
          ? 'approved'
          : roll < 0.92
            ? 'rejected'
            : roll < 0.97
              ? 'withdrawn'
              : 'expired';
    const decidedAt = createdAt + Math.floor((1 + rand() * 30) * 3600 * 1000);
    const closedAt = status === 'pending' ? null : decidedAt;
    const ts = (at: number, n: number) => `${Math.floor(at / 1000)}.${String(n).padStart(6, '0')}`;
    const parentTs = ts(createdAt, id % 1_000_000);
    const key = `request:${id}`;
    insertRequest.run(
      id,
      1,
      sellerId,
      status,
      customer,
      productLineId,
      quantity,
      valueMinor,
      'USD',
      deliveryDate,
      paymentTermsDays,
      discountPercent,
      specialRequirements,
      dealReference,
      'C0SALES',
      createdAt,
      closedAt ?? createdAt,
      closedAt,
      'C0REQUESTS',
      parentTs,
    );
    const facts = {
      customer,
      productLineId,
      quantity,
      valueMinor,
      deliveryDate,
      paymentTermsDays,
      discountPercent,
      specialRequirements,
      dealReference,
    };
    insertEvent.run(id, null, 'request.submitted', sellerId, createdAt, JSON.stringify({ facts }));
    done(key, 'parent.post', { kind: 'parent.post', requestId: id }, createdAt);

    const rejectedIndex = status === 'rejected' ? Math.floor(rand() * required.length) : -1;
    required.forEach((r, index) => {
      const fn = FUNCTIONS[r.fn];
      const soId = ++signOffId;
      // Approved requests have every sign-off approved; a rejected one has one rejection, the
      // sign-offs before it approved; withdrawn, expired and pending ones leave some undecided.
      const soStatus =
        status === 'approved' || (status === 'rejected' && index < rejectedIndex)
          ? 'approved'
          : index === rejectedIndex
            ? 'rejected'
            : status === 'pending' && index === 0 && rand() < 0.3 && required.length > 1
              ? 'approved'
              : 'pending';
      const soDecidedAt = soStatus === 'pending' ? null : decidedAt - (required.length - index) * 60_000;
      const rejectedBy = soStatus === 'rejected' ? fn.owners[0] : null;
      insertSignOff.run(
        soId,
        id,
        r.fn,
        fn.label,
        ownersJson[r.fn],
        fn.approvals,
        soStatus,
        JSON.stringify(r.why),
        createdAt,
        soDecidedAt,
        rejectedBy,
        rejectedBy ? 'No capacity in that week' : null,
        ts(createdAt, (id * 7 + index + 1) % 1_000_000),
      );
      done(key, 'signoff.post', { kind: 'signoff.post', requestId: id, signOffId: soId }, createdAt);
      if (soStatus === 'approved' && soDecidedAt !== null) {
        for (const owner of fn.owners.slice(0, fn.approvals)) {
          const conditions = rand() < 0.1 ? 'Ship in two lots' : null;
          insertApproval.run(soId, owner, soDecidedAt, conditions);
          insertEvent.run(
            id,
            soId,
            'signoff.approved',
            owner,
            soDecidedAt,
            JSON.stringify({ conditions, complete: true }),
          );
        }
      } else if (soStatus === 'rejected' && soDecidedAt !== null) {
        insertEvent.run(
          id,
          soId,
          'signoff.rejected',
          rejectedBy,
          soDecidedAt,
          JSON.stringify({ reason: 'No capacity in that week' }),
        );
      }
      if (soDecidedAt !== null) {
        done(key, 'signoff.update', { kind: 'signoff.update', requestId: id, signOffId: soId }, soDecidedAt);
        done(key, 'parent.update', { kind: 'parent.update', requestId: id }, soDecidedAt);
      }
    });
    if (closedAt !== null) {
      const data = status === 'withdrawn' ? { reason: 'Customer went elsewhere' } : {};
      const actor = status === 'withdrawn' ? sellerId : null;
      insertEvent.run(id, null, `request.${status}`, actor, closedAt, JSON.stringify(data));
      done(key, 'seller.outcome', { kind: 'seller.outcome', requestId: id }, closedAt);
    }
  };

  const batch = sqlite.transaction((from: number, to: number) => {
    for (let id = from; id <= to; id++) writeOne(id);
  });
  for (let from = 1; from <= size; from += BATCH) batch(from, Math.min(size, from + BATCH - 1));
  for (const index of indexes) sqlite.exec(index.sql);
  // What a bot running all along has done by the anchor: the open queue's reminders and
  // escalations, by the real service at the anchor, and their DMs delivered. Without it every
  // copy's first start caught up on thousands at once (at 100,000: 2,004 reminders and 1,629
  // escalations, 12 s to healthy on a loaded machine, two thirds of it in runReminders), which a
  // bot restarted after a short downtime never does. bench/loop.ts measures a catch-up on purpose.
  runReminders({
    store: createRequestStore(db),
    outbox: createOutbox(db),
    capacity: createCapacityStore(db),
    promises: createPromiseStore(db),
    config: parseConfig(exampleConfigObject()),
    clock: { now: () => SEED_ANCHOR },
    onNotify: () => undefined,
    reminders: createReminderStore(db),
  });
  sqlite
    .prepare(`UPDATE outbox SET status = 'done', attempts = 1, delivered_at = ? WHERE status = 'pending'`)
    .run(SEED_ANCHOR.getTime());
  sqlite.exec('ANALYZE');
  sqlite.pragma('journal_mode = WAL');
  closeDb(db);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = Number(process.argv[2] ?? 10_000);
  const info = seededDb(size, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(info)}\n`);
}
