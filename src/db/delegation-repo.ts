import { and, eq, gte, isNull, lte } from 'drizzle-orm';
import type { Delegation } from '../domain/delegation.js';
import type { DelegationStore } from '../services/ports.js';
import type { Db } from './create-db.js';
import { delegations } from './schema.js';

export function createDelegationStore(db: Db): DelegationStore {
  return {
    add(d: Delegation, at: Date): void {
      db.insert(delegations)
        .values({ ...d, createdAt: at })
        .run();
    },
    endAll(ownerId: string, today: string, at: Date): number {
      return db
        .update(delegations)
        .set({ endedAt: at })
        .where(
          and(eq(delegations.ownerId, ownerId), isNull(delegations.endedAt), gte(delegations.endDay, today)),
        )
        .run().changes;
    },
    activeOn(day: string): Delegation[] {
      return db
        .select({
          ownerId: delegations.ownerId,
          delegateId: delegations.delegateId,
          startDay: delegations.startDay,
          endDay: delegations.endDay,
        })
        .from(delegations)
        .where(and(gte(delegations.endDay, day), lte(delegations.startDay, day), isNull(delegations.endedAt)))
        .all();
    },
  };
}
