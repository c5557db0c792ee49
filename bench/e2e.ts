// End to end under load: from a submitted request (view_submission sent) to the last owner being
// asked in the thread (the stand-in receiving chat.postMessage with thread_ts), and from the last
// approval click sent to the seller being told (chat.postMessage in the seller's DM). The stand-in
// answers at once, so the figures are the bot's own cost (HTTP, SQLite, outbox, rendering).
// The approvals are sent as single clicks at a steady `clicksPerSecond` (the 10 a second),
// and each click is also timed to its sign-off message in the thread being updated (chat.update).
import type Database from 'better-sqlite3';
import type { RecordedCall } from '../dev/slack-stand-in.js';
import { ACTIONS } from '../src/slack/ids.js';
import { type ChildServer, outboxIdle } from './lib/processes.js';
import { approveRequest, mixedRequest, send, submitRequest } from './lib/slack.js';
import { type Summary, summarize } from './lib/stats.js';

export interface EndToEndResult {
  readonly requests: number;
  /** Arrivals per second (open loop): new requests, then new requests' approvals. */
  readonly perSecond: number;
  /** Submitted → last sign-off message posted in the thread, ms. */
  readonly submitToLastAsk: Summary;
  /** Last approval click sent → outcome DM posted to the seller, ms. */
  readonly lastApprovalToSellerTold: Summary;
  /** Clicks a second in the approval phase (open loop). */
  readonly clicksPerSecond: number;
  /** Approve click sent → its sign-off message in the thread updated (chat.update), ms. */
  readonly clickToThreadUpdated: Summary;
  readonly failures: number;
}

export interface EndToEndOptions {
  readonly bot: ChildServer;
  readonly db: Database.Database;
  readonly requests: number;
  readonly perSecond: number;
  /** Approve clicks a second (default 10). */
  readonly clicksPerSecond?: number;
  readonly responseUrl: string;
  readonly requestsChannel: string;
  /** Routes the stand-in's calls to this run while it lasts. */
  readonly listen: (onCall: ((call: RecordedCall) => void) | null) => void;
}

/** Open loop: starts `work` for each item at a steady rate, whether or not earlier ones finished. */
async function paced<T>(items: readonly T[], perSecond: number, work: (item: T) => Promise<void>) {
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (const [i, item] of items.entries()) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(work(item));
  }
  await Promise.all(running);
}

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`end-to-end: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface SignOffRow {
  request_id: number;
  id: number;
  owners: string;
  approvals_needed: number;
  message_ts: string | null;
  parent_ts: string | null;
  button_key: string;
}

export async function runEndToEnd(o: EndToEndOptions): Promise<EndToEndResult> {
  const askedAt = new Map<string, number>();
  const toldAt = new Map<number, number>();
  // Per sign-off message: when its pending click was sent, and how long until the thread showed it.
  const clickedAt = new Map<string, number>();
  const threadUpdated: number[] = [];
  o.listen((call) => {
    if (call.response.ok !== true) return;
    const now = performance.now();
    if (call.method === 'chat.update') {
      const ts = String(call.args.ts);
      const sent = clickedAt.get(ts);
      if (sent !== undefined) {
        clickedAt.delete(ts);
        threadUpdated.push(now - sent);
      }
      return;
    }
    if (call.method !== 'chat.postMessage') return;
    if (typeof call.args.thread_ts === 'string') {
      askedAt.set(String(call.response.ts), now);
    } else if (String(call.args.channel).startsWith('D')) {
      const id = /CG-(\d+)/.exec(String(call.args.text))?.[1];
      if (id) toldAt.set(Number(id), now);
    }
  });
  let failures = 0;
  try {
    // 1. Sellers submit requests at a steady pace.
    const submittedAt = new Map<number, number>();
    const seq = Array.from({ length: o.requests }, (_, n) => n);
    await paced(seq, o.perSecond, async (n) => {
      const request = submitRequest(`U0E2E${n % 50}`, mixedRequest(n));
      const sentAt = performance.now();
      const res = await send(o.bot.url, request);
      const id = /CG-(\d+)/.exec(res.body)?.[1];
      if (res.status !== 200 || !id) failures++;
      else submittedAt.set(Number(id), sentAt);
    });
    await outboxIdle(o.bot);
    const ids = [...submittedAt.keys()];
    const rows = o.db
      .prepare(
        `SELECT s.request_id, s.id, s.owners, s.approvals_needed, s.message_ts, r.message_ts AS parent_ts, r.button_key
         FROM sign_offs s JOIN requests r ON r.id = s.request_id
         WHERE s.request_id BETWEEN ? AND ? ORDER BY s.id`,
      )
      .all(Math.min(...ids), Math.max(...ids)) as SignOffRow[];
    const byRequest = new Map<number, SignOffRow[]>();
    for (const row of rows) byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), row]);
    await until(
      () => rows.every((r) => r.message_ts !== null && askedAt.has(r.message_ts)),
      'every sign-off to be asked',
    );
    const submitToLastAsk = ids.map((id) => {
      const last = Math.max(...(byRequest.get(id) ?? []).map((r) => askedAt.get(r.message_ts ?? '') ?? 0));
      return last - (submittedAt.get(id) ?? 0);
    });

    // 2. Owners approve every sign-off of each request, one click at a time at a steady pace; the
    // last click of a request closes it. A second click on a message waits for the first's update.
    const lastClickAt = new Map<number, number>();
    const clicksPerSecond = o.clicksPerSecond ?? 10;
    const allClicks = ids.flatMap((id) =>
      (byRequest.get(id) ?? []).flatMap((s) =>
        (JSON.parse(s.owners) as string[]).slice(0, s.approvals_needed).map((userId) => ({ id, s, userId })),
      ),
    );
    await paced(allClicks, clicksPerSecond, async ({ id, s, userId }) => {
      {
        const ts = s.message_ts ?? '';
        await until(() => !clickedAt.has(ts), 'the previous click on the message to show');
        const request = approveRequest(
          {
            signOffId: s.id,
            version: 1,
            key: s.button_key,
            userId,
            channelId: o.requestsChannel,
            messageTs: s.message_ts ?? '',
            threadTs: s.parent_ts ?? '',
          },
          ACTIONS.approve,
          o.responseUrl,
        );
        const sentAt = performance.now();
        lastClickAt.set(id, sentAt);
        clickedAt.set(ts, sentAt);
        const res = await send(o.bot.url, request);
        if (res.status !== 200) failures++;
      }
    });
    await until(() => ids.every((id) => toldAt.has(id)), 'every seller to be told');
    await until(() => clickedAt.size === 0, 'every clicked message to be updated');
    const lastApprovalToSellerTold = ids.map((id) => (toldAt.get(id) ?? 0) - (lastClickAt.get(id) ?? 0));
    await outboxIdle(o.bot);
    return {
      requests: ids.length,
      perSecond: o.perSecond,
      submitToLastAsk: summarize(submitToLastAsk),
      lastApprovalToSellerTold: summarize(lastApprovalToSellerTold),
      clicksPerSecond,
      clickToThreadUpdated: summarize(threadUpdated),
      failures,
    };
  } finally {
    o.listen(null);
  }
}
