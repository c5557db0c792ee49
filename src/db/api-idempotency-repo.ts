// Stored answers of HTTP API writes that carried an `external_id` (src/api/server.ts).
import type { Db } from './create-db.js';

export interface StoredAnswer {
  readonly operation: string;
  readonly status: number;
  readonly body: string;
}

export interface ApiIdempotencyRepo {
  find(externalId: string): StoredAnswer | null;
  /** Call inside the transaction of the write it answers. */
  save(externalId: string, answer: StoredAnswer, at: Date): void;
}

export function createApiIdempotencyRepo(db: Db): ApiIdempotencyRepo {
  const sqlite = db.$client;
  const find = sqlite.prepare<[string], StoredAnswer>(
    'SELECT operation, status, body FROM api_idempotency WHERE external_id = ?',
  );
  const insert = sqlite.prepare<[string, string, number, string, number]>(
    'INSERT INTO api_idempotency (external_id, operation, status, body, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  return {
    find: (externalId) => find.get(externalId) ?? null,
    save(externalId, answer, at) {
      insert.run(externalId, answer.operation, answer.status, answer.body, at.getTime());
    },
  };
}
