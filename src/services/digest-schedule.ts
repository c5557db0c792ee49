// Claims the weekly digest run when its slot has come. The claim (a job_runs row with a UNIQUE
// job + period) and the outbox row that posts the digest are written in one transaction: a
// restart, two ticks at once or two processes all try, and exactly one succeeds.
import { latestDigestDue } from '../domain/schedule.js';
import type { ServiceDeps } from './deps.js';
import type { JobRunStore } from './ports.js';

export const DIGEST_JOB = 'weekly_digest';

export function runDueDigest(
  deps: Pick<ServiceDeps, 'config' | 'clock' | 'onNotify'> & { readonly jobRuns: JobRunStore },
): { readonly period: string; readonly claimed: boolean } {
  const { config, clock, jobRuns } = deps;
  const now = clock.now();
  // Only the latest slot is made up after downtime: several stale digests at once help nobody.
  const { period, dueAt } = latestDigestDue(now, config.digest, config.timezone);
  // A slot that was due before this database ever ran the job was not missed, it predates the
  // install: a new team's first start must not post last week's (empty) digest.
  if (dueAt.getTime() < jobRuns.firstSeen(DIGEST_JOB, now).getTime()) return { period, claimed: false };
  const claimed = jobRuns.claim(DIGEST_JOB, period, now, [{ kind: 'digest.post', weekStart: period }]);
  if (claimed) deps.onNotify();
  return { period, claimed };
}
