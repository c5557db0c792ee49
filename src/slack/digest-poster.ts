// Posts a week's digest: the messages (first to the digest channel, the rest in its thread) and
// the trend chart attached in that thread. Progress is saved after each step in the job's run
// row, so a retry after a crash or a Slack error carries on where it stopped instead of posting
// the digest twice.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { JobRunProgress } from '../db/schedule-repo.js';
import type { IsoDate } from '../domain/calendar.js';
import type { AppLogger } from '../logger.js';
import { DIGEST_JOB } from '../services/digest-schedule.js';
import { buildTrend, buildWeeklyDigest, type DigestDeps } from '../services/weekly-digest.js';
import { PermanentDeliveryError } from './delivery/slack-errors.js';
import { renderTrendChart } from './digest-chart.js';
import { linksAltText } from './digest-chart-text.js';
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
    // The digest is one long synchronous computation: let waiting clicks and events through
    // between its phases instead of holding the event loop for the whole run.
    await yieldToEventLoop();
    const messages = buildDigestMessages(digest, {
      currency: config.currency,
      timeZone: config.timezone,
      locale: config.locale,
    });
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
      await yieldToEventLoop();
      // The digest's scoreboard already holds the links' eight weeks: not computed twice.
      const trend = buildTrend(deps.digest, weekStart, undefined, digest.scoreboard);
      await yieldToEventLoop();
      const functions = Object.values(config.functions).map((f) => ({ id: f.id, label: f.label }));
      try {
        png = await renderTrendChart({ weeks: trend, functions, locale: config.locale });
      } catch (error) {
        // The figures are already posted; a chart that cannot be drawn must not hold them back.
        logger.error('digest chart could not be rendered', { weekStart }, error);
        progress.chart = 'failed';
      }
      if (png) {
        await uploadChart(client, png, {
          channelId: config.channels.digest,
          threadTs: ts,
          filename: `commit-gate-digest-${weekStart}.png`,
          title: `Trend to ${digest.weekEnd}`,
          comment: chartComment(digest, config.locale),
          altText: linksAltText(trend, config.locale),
        });
        progress.chart = 'done';
      }
    }
    save(true);
    return { ts, messages: messages.length };
  };
}

/** Resolves after the I/O and timers already waiting have run. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const UploadUrl = z.object({ upload_url: z.string().url(), file_id: z.string().min(1) });
const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * files.uploadV2's three steps by hand, because the SDK sends the screen-reader text as
 * `alt_text` where files.getUploadURLExternal documents `alt_txt`.
 */
async function uploadChart(
  client: WebClient,
  png: Buffer,
  file: {
    channelId: string;
    threadTs: string;
    filename: string;
    title: string;
    comment: string;
    altText: string;
  },
): Promise<void> {
  const target = UploadUrl.parse(
    await client.apiCall('files.getUploadURLExternal', {
      filename: file.filename,
      length: png.length,
      alt_txt: file.altText,
    }),
  );
  const sent = await fetch(target.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: png,
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  if (!sent.ok) throw new Error(`chart upload answered HTTP ${sent.status}`);
  await client.files.completeUploadExternal({
    files: [{ id: target.file_id, title: file.title }],
    channel_id: file.channelId,
    thread_ts: file.threadTs,
    initial_comment: file.comment,
  });
}
