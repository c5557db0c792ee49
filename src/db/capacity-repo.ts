import { eq } from 'drizzle-orm';
import type { CapacityCheck, CapacityOverride, DayLoad, LoadStatus, SplitPart } from '../domain/capacity.js';
import { splitLoad } from '../domain/capacity-plan.js';
import type { CapacityStore } from '../services/ports.js';
import type { Db } from './create-db.js';
import { capacityOverrides, events, requests } from './schema.js';

export function createCapacityStore(db: Db): CapacityStore {
  const sqlite = db.$client;
  // Plain prepared statements: the check runs on every submit, and this keeps it to one indexed
  // range read of requests_open_load_idx. The `status IN (…)` term must match the partial
  // index's WHERE exactly for SQLite to use it (https://sqlite.org/partialindex.html#queries).
  const loadStatement = sqlite.prepare<[string, string, string, number]>(
    `SELECT delivery_date AS deliveryDate, status, SUM(quantity) AS quantity
       FROM requests INDEXED BY requests_open_load_idx
      WHERE product_line_id = ? AND delivery_date >= ? AND delivery_date < ?
        AND status IN ('pending', 'approved') AND id != ?
      GROUP BY delivery_date, status`,
  );

  // The CTP search only needs a week's total: one SUM, about half the work of the grouped read.
  const totalStatement = sqlite.prepare<[string, string, string, number]>(
    `SELECT COALESCE(SUM(quantity), 0) FROM requests INDEXED BY requests_open_load_idx
      WHERE product_line_id = ? AND delivery_date >= ? AND delivery_date < ?
        AND status IN ('pending', 'approved') AND id != ?`,
  );
  // Requests on an accepted split plan: the statements above count their whole quantity on the
  // delivery date (the last part's); these rows move it to the parts' own weeks. A part is never
  // after the delivery date, so every split request with a part in a range is due on or after it.
  const splitStatement = sqlite.prepare<[string, string, number]>(
    `SELECT delivery_date AS deliveryDate, status, quantity, split_plan AS plan
       FROM requests INDEXED BY requests_open_split_idx
      WHERE product_line_id = ? AND delivery_date >= ? AND split_plan IS NOT NULL
        AND status IN ('pending', 'approved') AND id != ?`,
  );
  const splitCorrections = (productLineId: string, from: string, toExclusive: string, exclude: number) =>
    (
      splitStatement.all(productLineId, from, exclude) as {
        deliveryDate: string;
        status: LoadStatus;
        quantity: number;
        plan: string;
      }[]
    ).flatMap((r): DayLoad[] => [
      ...(r.deliveryDate < toExclusive
        ? [{ deliveryDate: r.deliveryDate, status: r.status, quantity: -r.quantity }]
        : []),
      ...splitLoad(JSON.parse(r.plan) as SplitPart[], r.status).filter(
        (p) => p.deliveryDate >= from && p.deliveryDate < toExclusive,
      ),
    ]);
  const pendingStatement = sqlite.prepare<[string, string, string]>(
    `SELECT id AS requestId, quantity FROM requests INDEXED BY requests_open_load_idx
      WHERE product_line_id = ? AND delivery_date >= ? AND delivery_date < ? AND status IN ('pending', 'approved')
        AND status = 'pending' ORDER BY id`,
  );
  const overridesStatement = sqlite.prepare<[string, string, string]>(
    `SELECT week_start AS weekStart, capacity FROM capacity_overrides
      WHERE product_line_id = ? AND week_start >= ? AND week_start < ?`,
  );

  return {
    loadByDay(productLineId, from, toExclusive, excludeRequestId) {
      const rows = loadStatement.all(productLineId, from, toExclusive, excludeRequestId ?? -1) as {
        deliveryDate: string;
        status: LoadStatus;
        quantity: number;
      }[];
      return [
        ...rows.map(
          (r): DayLoad => ({ deliveryDate: r.deliveryDate, status: r.status, quantity: r.quantity }),
        ),
        ...splitCorrections(productLineId, from, toExclusive, excludeRequestId ?? -1),
      ];
    },

    openLoad(productLineId, from, toExclusive, excludeRequestId) {
      const exclude = excludeRequestId ?? -1;
      const total = totalStatement.pluck().get(productLineId, from, toExclusive, exclude) as number;
      return splitCorrections(productLineId, from, toExclusive, exclude).reduce(
        (t, r) => t + r.quantity,
        total,
      );
    },

    pendingBetween(productLineId, from, toExclusive) {
      return pendingStatement.all(productLineId, from, toExclusive) as {
        requestId: number;
        quantity: number;
      }[];
    },

    overrides(productLineId, fromWeek, toWeekExclusive): CapacityOverride[] {
      return overridesStatement.all(productLineId, fromWeek, toWeekExclusive) as CapacityOverride[];
    },

    setOverride(input) {
      const values = {
        productLineId: input.productLineId,
        weekStart: input.weekStart,
        capacity: input.capacity,
        setBy: input.setBy,
        setAt: input.at,
      };
      db.insert(capacityOverrides)
        .values(values)
        .onConflictDoUpdate({
          target: [capacityOverrides.productLineId, capacityOverrides.weekStart],
          set: { capacity: values.capacity, setBy: values.setBy, setAt: values.setAt },
        })
        .run();
      db.insert(events)
        .values({
          requestId: null,
          type: 'capacity.overridden',
          actorId: input.setBy,
          at: input.at,
          data: { productLineId: input.productLineId, weekStart: input.weekStart, capacity: input.capacity },
        })
        .run();
    },

    saveCheck(requestId: number, check: CapacityCheck | null) {
      db.update(requests).set({ capacityCheck: check }).where(eq(requests.id, requestId)).run();
    },
  };
}
