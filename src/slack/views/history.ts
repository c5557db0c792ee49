// `/commit show CG-42`: the request as it stands, its versions and every decision, privately.
import type { KnownBlock } from '@slack/types';
import type { CommitPromise } from '../../domain/promise.js';
import { type CommitRequest, versionedRef } from '../../domain/request.js';
import type { StoredEvent } from '../../services/ports.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, mention } from '../mrkdwn.js';
import { describePromiseEvent, promiseLine } from './promises.js';
import { type RenderContext, summaryLine } from './render-context.js';
import type { SlackMessage } from './request-messages.js';

/** Slack renders the instant in the reader's own time zone; the fallback is UTC. */
function when(at: Date): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^{date_short} {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);

function describe(e: StoredEvent, request: CommitRequest, ctx: RenderContext): string {
  const who = !e.actorId
    ? 'commit-gate'
    : e.actorId === 'api' || e.actorId.startsWith('api:')
      ? `the HTTP API (${escapeText(e.actorId)})`
      : mention(e.actorId);
  const all = [...request.signOffs, ...(request.retiredSignOffs ?? [])];
  const label = escapeText(all.find((s) => s.id === e.signOffId)?.label ?? str(e.data.functionId));
  const onBehalf = typeof e.data.onBehalfOf === 'string' ? ` on behalf of ${mention(e.data.onBehalfOf)}` : '';
  const d = e.data;
  switch (e.type) {
    case 'request.submitted':
      return `${who} submitted the request`;
    case 'signoff.approved':
      return `${who} approved ${label}${onBehalf}${d.conditions ? ` with conditions: ${escapeText(str(d.conditions))}` : ''}`;
    case 'signoff.rejected':
      return `${who} rejected ${label}${onBehalf}: ${escapeText(str(d.reason))}`;
    case 'signoff.date_proposed':
      return `${who} proposed ${str(d.date)} for ${label}${onBehalf}${d.note ? `: ${escapeText(str(d.note))}` : ''}`;
    case 'signoff.changes_requested':
      return `${who} asked for changes for ${label}${onBehalf}: ${escapeText(str(d.reason))}`;
    case 'counter.accepted':
      return `${who} accepted ${str(d.date)} (${label})${
        d.overCapacity === true ? '; still over capacity there, so asked again' : ''
      }`;
    case 'counter.declined':
      return `${who} declined ${str(d.date)} (${label})`;
    case 'request.revised': {
      const changes = Array.isArray(d.changes) ? d.changes : [];
      const fields = changes.map((c) => str((c as { field?: unknown }).field)).join(', ');
      return `${who} revised it to v${str(d.version)} (${escapeText(fields)})`;
    }
    case 'signoff.reset':
      return `${label} asked again (its inputs changed)`;
    case 'request.withdrawn':
      return `${who} withdrew it${d.reason ? `: ${escapeText(str(d.reason))}` : ''}`;
    case 'request.overridden':
      return `${who} approved it by override (leadership): ${escapeText(str(d.reason))}`;
    case 'request.approved':
      if (d.fastLane) return 'cleared on the fast lane';
      return request.override
        ? 'cleared by the override'
        : request.signOffs.length
          ? 'cleared: every function signed off'
          : 'cleared: no sign-off needed';
    case 'request.rejected':
      return 'blocked';
    case 'request.expired':
      return 'expired';
    default:
      if (e.type.startsWith('promise.')) return describePromiseEvent(e, ctx);
      return `${escapeText(e.type)}${e.actorId ? ` by ${who}` : ''}`;
  }
}

export function buildHistory(
  request: CommitRequest,
  events: readonly StoredEvent[],
  ctx: RenderContext,
  promise: CommitPromise | null = null,
): SlackMessage {
  const ref = versionedRef(request);
  const status = request.override ? 'approved by override' : request.status;
  const lines = events.map((e) => `• ${when(e.at)}: ${describe(e, request, ctx)}`);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clamp(
          `*${ref}* (${status}, version ${request.version})\n${summaryLine(request, ctx)}${
            promise ? `\n${promiseLine(promise, ctx)}` : ''
          }`,
          LIMITS.sectionText,
        ),
      },
    },
  ];
  // Long histories are split over sections, each within Slack's 3000-character limit.
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
    chunk = [];
  };
  for (const line of lines) {
    const clamped = clamp(line, 1000);
    if ([...chunk, clamped].join('\n').length > LIMITS.sectionText) flush();
    if (blocks.length >= LIMITS.messageBlocks - 1) break;
    chunk.push(clamped);
  }
  flush();
  return { text: clamp(`${ref}: ${status}, ${events.length} events`, LIMITS.messageText), blocks };
}
