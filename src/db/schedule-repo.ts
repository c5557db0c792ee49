// The scheduler's rows: job runs (one per job and period) and the reminder/escalation/expiry
// claims. Every claim is a conditional write, so only one tick or process ever wins it.
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Notification } from '../services/notifications.js';
import type { JobRunStore, Outbox, ReminderStore, WaitingSignOff } from '../services/ports.js';
import type { Db } from './create-db.js';
import { createOutbox } from './outbox-repo.js';
import { jobRuns, requests, signOffs } from './schema.js';

export interface JobRunProgress {
  /** Progress of a run's delivery (e.g. the digest's first message ts and parts posted). */
  progress(job: string, period: string): Record<string, unknown> | null;
  saveProgress(job: string, period: string, progress: Record<string, unknown>, finishedAt: Date | null): void;
}

const FIRST_SEEN = 'first_seen';

export function createJobRunStore(db: Db, outbox: Outbox = createOutbox(db)): JobRunStore & JobRunProgress {
  const sqlite = db.$client;
  return {
    firstSeen(job: string, at: Date): Date {
      // A row with the reserved period 'first_seen' marks when the job first ran here.
      db.insert(jobRuns)
        .values({ job, period: FIRST_SEEN, claimedAt: at, progress: {}, finishedAt: at })
        .onConflictDoNothing()
        .run();
      const row = db
        .select({ at: jobRuns.claimedAt })
        .from(jobRuns)
        .where(and(eq(jobRuns.job, job), eq(jobRuns.period, FIRST_SEEN)))
        .get();
      return row?.at ?? at;
    },

    claim(job: string, period: string, at: Date, then: readonly Notification[]): boolean {
      return sqlite
        .transaction(() => {
          // job_runs_job_period_idx (UNIQUE): the second insert of the same run changes nothing.
          const inserted = db
            .insert(jobRuns)
            .values({ job, period, claimedAt: at, progress: {} })
            .onConflictDoNothing()
            .run().changes;
          if (inserted !== 1) return false;
          outbox.enqueue(then, at);
          return true;
        })
        .immediate();
    },

    progress(job: string, period: string): Record<string, unknown> | null {
      const row = db
        .select({ progress: jobRuns.progress })
        .from(jobRuns)
        .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period)))
        .get();
      return row?.progress ?? null;
    },

    saveProgress(
      job: string,
      period: string,
      progress: Record<string, unknown>,
      finishedAt: Date | null,
    ): void {
      db.update(jobRuns)
        .set({ progress, finishedAt })
        .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period)))
        .run();
    },
  };
}

export function createReminderStore(db: Db): ReminderStore {
  const pendingIds = () =>
    // requests_status_idx
    db
      .select({ id: requests.id, createdAt: requests.createdAt })
      .from(requests)
      .where(eq(requests.status, 'pending'))
      .all();
  return {
    pendingRequests: pendingIds,

    waitingSignOffs(): WaitingSignOff[] {
      const ids = pendingIds().map((r) => r.id);
      const out: WaitingSignOff[] = [];
      for (let i = 0; i < ids.length; i += 900) {
        out.push(
          ...db
            .select({
              signOffId: signOffs.id,
              requestId: signOffs.requestId,
              functionId: signOffs.functionId,
              askedAt: signOffs.askedAt,
              remindedAt: signOffs.remindedAt,
              escalatedAt: signOffs.escalatedAt,
            })
            .from(signOffs)
            // sign_offs_request_function_idx
            .where(
              and(
                inArray(signOffs.requestId, ids.slice(i, i + 900)),
                eq(signOffs.status, 'pending'),
                or(isNull(signOffs.remindedAt), isNull(signOffs.escalatedAt)),
              ),
            )
            .all(),
        );
      }
      return out;
    },

    markReminded(signOffId: number, at: Date): boolean {
      return (
        db
          .update(signOffs)
          .set({ remindedAt: at })
          .where(and(eq(signOffs.id, signOffId), isNull(signOffs.remindedAt), eq(signOffs.status, 'pending')))
          .run().changes === 1
      );
    },

    markEscalated(signOffId: number, at: Date): boolean {
      return (
        db
          .update(signOffs)
          .set({ escalatedAt: at })
          .where(
            and(eq(signOffs.id, signOffId), isNull(signOffs.escalatedAt), eq(signOffs.status, 'pending')),
          )
          .run().changes === 1
      );
    },

    markExpired(requestId: number, at: Date): boolean {
      return (
        db
          .update(requests)
          .set({ status: 'expired', closedAt: at, updatedAt: at })
          .where(and(eq(requests.id, requestId), eq(requests.status, 'pending')))
          .run().changes === 1
      );
    },
  };
}
