// Posts a week's digest: the messages (first to the digest channel, the rest in its thread) and
// the trend chart attached in that thread. Progress is saved after each step in the job's run
// row, so a retry after a crash or a Slack error carries on where it stopped instead of posting
// the digest twice.
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { JobRunProgress } from '../db/schedule-repo.js';
import type { IsoDate } from '../domain/calendar.js';
import type { AppLogger } from '../logger.js';
import { DIGEST_JOB } from '../services/digest-schedule.js';
import { buildTrend, buildWeeklyDigest, type DigestDeps } from '../services/weekly-digest.js';
import { PermanentDeliveryError } from './delivery/slack-errors.js';
import { renderTrendChart } from './digest-chart.js';
import { buildDigestMessages, chartComment } from './views/digest.js';

export interface DigestPosterDeps {
  readonly client: WebClient;
  readonly config: Config;
  readonly digest: DigestDeps;
  /** Absent for an on-demand post (the CLI): then nothing is resumed or recorded. */
  readonly runs?: JobRunProgress;
  readonly logger: AppLogger;
}

interface Progress {
  ts?: string;
  parts?: number;
  chart?: 'done' | 'failed';
}

export function createDigestPoster(deps: DigestPosterDeps) {
  const { client, config, runs, logger } = deps;
  return async function postDigest(weekStart: IsoDate): Promise<{ ts: string; messages: number }> {
    const progress: Progress = { ...((runs?.progress(DIGEST_JOB, weekStart) as Progress | null) ?? {}) };
    const save = (finished: boolean) =>
      runs?.saveProgress(DIGEST_JOB, weekStart, { ...progress }, finished ? deps.digest.clock.now() : null);
    const digest = buildWeeklyDigest(deps.digest, weekStart);
    const messages = buildDigestMessages(digest, { currency: config.currency, timeZone: config.timezone });
    const quiet = { unfurl_links: false, unfurl_media: false } as const;
    for (let i = progress.parts ?? 0; i < messages.length; i++) {
      const message = messages[i];
      if (!message) continue;
      const res = await client.chat.postMessage({
        channel: config.channels.digest,
        ...(progress.ts ? { thread_ts: progress.ts } : {}),
        ...message,
        ...quiet,
      });
      if (!res.ts) throw new PermanentDeliveryError('no_ts_in_response');
      progress.ts ??= res.ts;
      progress.parts = i + 1;
      save(false);
    }
    const ts = progress.ts ?? '';
    if (!progress.chart) {
      let png: Buffer | null = null;
      try {
        png = await renderTrendChart({
          weeks: buildTrend(deps.digest, weekStart),
          functions: Object.values(config.functions).map((f) => ({ id: f.id, label: f.label })),
        });
      } catch (error) {
        // The figures are already posted; a chart that cannot be drawn must not hold them back.
        logger.error('digest chart could not be rendered', { weekStart }, error);
        progress.chart = 'failed';
      }
      if (png) {
        await client.files.uploadV2({
          channel_id: config.channels.digest,
          thread_ts: ts,
          file: png,
          filename: `commit-gate-digest-${weekStart}.png`,
          title: `Trend to ${digest.weekEnd}`,
          initial_comment: chartComment(digest),
        });
        progress.chart = 'done';
      }
    }
    save(true);
    return { ts, messages: messages.length };
  };
}
