// The App Home tab: "Waiting for you" (with the same decision buttons as the thread), "Your
// requests", and for leadership the week so far. Pure: data in, a Home view out, never more than
// Slack's 100 blocks whatever the volume (the most urgent shown, the rest counted).
import type { ContextBlock, HeaderBlock, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { formatDay } from '../../domain/calendar.js';
import { isOverdueOn } from '../../domain/promise.js';
import { type CommitRequest, requestRef, type SignOff } from '../../domain/request.js';
import type { HomeData, HomePromises, LeadershipBoard, WaitingItem } from '../../services/home.js';
import { ACTIONS, COMMAND } from '../ids.js';
import { LIMITS } from '../limits.js';
import { clamp, escapeText, mention } from '../mrkdwn.js';
import { dueButtons, promiseLine, promiseSummary, STATE_ICON } from './promises.js';
import { type RenderContext, STATUS_ICON, summaryLine } from './render-context.js';
import { signOffActions } from './signoff-actions.js';

const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) },
});
const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clamp(text, LIMITS.headerText), emoji: true },
});
const context = (text: string): ContextBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: clamp(text, LIMITS.sectionText) }],
});
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "under an hour", "1 business hour", "12.5 business hours". */
export function formatBusinessAge(hours: number): string {
  if (hours < 1) return 'under a business hour';
  const rounded = Math.floor(hours * 2) / 2;
  return `${rounded.toLocaleString('en-US')} business ${rounded === 1 ? 'hour' : 'hours'}`;
}

const REQUEST_ICON: Record<CommitRequest['status'], string> = {
  pending: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  rejected: ':no_entry:',
  withdrawn: ':leftwards_arrow_with_hook:',
  expired: ':wastebasket:',
};

function waitingText(item: WaitingItem, ctx: RenderContext): string {
  const { request, signOff } = item;
  const quorum =
    signOff.approvalsNeeded > 1
      ? ` · ${signOff.approvals.length} of ${signOff.approvalsNeeded} approvals`
      : '';
  const capacity = item.capacity
    ? `\n${item.capacity.ok ? ':white_check_mark:' : ':warning:'} Capacity: ${escapeText(item.capacity.text)}`
    : '';
  return `*${requestRef(request.id)} · ${escapeText(signOff.label)}* · waiting ${formatBusinessAge(item.ageHours)}${quorum}\n${summaryLine(
    request,
    ctx,
  )} · asked by ${mention(request.sellerId)}\n_Required: ${escapeText(signOff.requiredBy.join('; '))}_${capacity}`;
}

function functionState(s: SignOff, request: CommitRequest): string {
  const label = escapeText(s.label);
  if (s.status === 'rejected')
    return `${STATUS_ICON.rejected} ${label}: ${escapeText(s.rejection?.reason ?? 'rejected')}`;
  if (s.status === 'approved') return `${STATUS_ICON.approved} ${label}`;
  if (request.status !== 'pending') return `:heavy_minus_sign: ${label}`;
  const quorum = s.approvalsNeeded > 1 ? ` (${s.approvals.length} of ${s.approvalsNeeded})` : '';
  return `${STATUS_ICON.pending} ${label}${quorum}`;
}

function myRequestText(request: CommitRequest, ctx: RenderContext): string {
  const states = request.signOffs.length
    ? request.signOffs.map((s) => functionState(s, request)).join(' · ')
    : 'no sign-off was required';
  return `${REQUEST_ICON[request.status]} *${requestRef(request.id)}* is *${request.status}* · ${summaryLine(request, ctx)}\n${states}`;
}

function welcome(): KnownBlock[] {
  return [
    header('Welcome to Commit Gate'),
    section(
      `Commit Gate makes sure the chain can deliver before sales commits a deal. A seller asks with \`${COMMAND}\`; each function concerned (operations, quality, finance, people…) signs off in a thread, and the seller is told when they may commit.`,
    ),
    section(
      `*To start:* type \`${COMMAND}\` in any channel (or \`${COMMAND} Acme 120 widgets by 2027-01-15 $75k\` to prefill the form). Your requests will show here with the state of every function, and any sign-off you own will wait here with Approve and Reject buttons.`,
    ),
    context(`\`${COMMAND} help\` lists everything the bot can do.`),
  ];
}

function myRequestsBlocks(data: HomeData, ctx: RenderContext): KnownBlock[] {
  const blocks: KnownBlock[] = [header('Your requests')];
  if (!data.mine.requests.length) {
    blocks.push(
      section(
        `You have not asked for a commitment yet. Type \`${COMMAND}\` in any channel to ask the chain whether you can promise a delivery.`,
      ),
    );
    return blocks;
  }
  for (const request of data.mine.requests) blocks.push(section(myRequestText(request, ctx)));
  const openShown = data.mine.requests.filter((r) => r.status === 'pending').length;
  if (data.mine.openTotal > openShown) {
    blocks.push(context(`…and ${plural(data.mine.openTotal - openShown, 'more open request')} not shown.`));
  }
  return blocks;
}

function boardBlocks(board: LeadershipBoard): KnownBlock[] {
  const f = board.figures;
  const byFunction = f.pendingByFunction.length
    ? f.pendingByFunction.map((p) => `• ${escapeText(p.label)}: ${plural(p.count, 'sign-off')}`).join('\n')
    : 'Nothing is waiting.';
  const oldest = board.oldest.length
    ? board.oldest
        .map(
          (w) =>
            `• *${requestRef(w.request.id)} · ${escapeText(w.signOff.label)}*: ${formatBusinessAge(w.ageHours)} (${escapeText(
              w.request.facts.customer,
            )})`,
        )
        .join('\n')
    : 'No sign-off is waiting.';
  return [
    header(`The week so far (since ${formatDay(board.weekOf)})`),
    {
      type: 'section',
      fields: [
        `*Inflow*\n${plural(f.inflow, 'request')}`,
        `*Cleared*\n${f.cleared.toLocaleString('en-US')}`,
        `*Blocked*\n${f.blocked.toLocaleString('en-US')}`,
        `*Overrides*\n${f.overrides.toLocaleString('en-US')}`,
        `*Pending now*\n${plural(f.pendingRequests, 'request')}`,
      ].map((text) => ({ type: 'mrkdwn' as const, text })),
    },
    section(`*Pending by function*\n${byFunction}`),
    section(`*Oldest waits*\n${oldest}`),
    {
      type: 'actions',
      block_id: 'home_leadership',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.previewDigest,
          text: { type: 'plain_text', text: 'Preview digest', emoji: false },
          value: board.weekOf,
        },
      ],
    },
  ];
}

/**
 * "Promises to confirm": each confirmer's promises due within 7 days and overdue, with the
 * due-date buttons (Delivered in full / in part / Will be late), soonest first.
 */
function toConfirmBlocks(p: HomePromises, ctx: RenderContext): KnownBlock[] {
  if (!p.confirmer) return [];
  const blocks: KnownBlock[] = [header(`Promises to confirm (${p.toConfirm.total.toLocaleString('en-US')})`)];
  if (!p.toConfirm.total) {
    blocks.push(section(':white_check_mark: No promise is due in the next 7 days.'));
    return blocks;
  }
  for (const promise of p.toConfirm.items) {
    const late = isOverdueOn(promise, p.today) ? ' · *overdue*' : '';
    blocks.push(
      section(
        `${STATE_ICON[promise.state]} *${requestRef(promise.requestId)}* ${promiseSummary(promise, ctx)}${late}\n${promiseLine(promise, ctx, p.today)}`,
      ),
      dueButtons(promise),
    );
  }
  const hidden = p.toConfirm.total - p.toConfirm.items.length;
  if (hidden > 0)
    blocks.push(
      context(`…and ${plural(hidden, 'more promise')}: \`${COMMAND} promises due\` lists them all.`),
    );
  return blocks;
}

/** "Your promises": a seller's open promises, soonest due first, one section. */
function myPromisesBlocks(p: HomePromises, ctx: RenderContext): KnownBlock[] {
  if (!p.mine.total) return [];
  const lines = p.mine.items.map(
    (promise) =>
      `${STATE_ICON[promise.state]} *${requestRef(promise.requestId)}* ${promiseSummary(promise, ctx)}: ${promiseLine(promise, ctx, p.today)}`,
  );
  const hidden = p.mine.total - p.mine.items.length;
  return [
    header(`Your promises (${p.mine.total.toLocaleString('en-US')} open)`),
    section(lines.join('\n')),
    ...(hidden > 0 ? [context(`…and ${plural(hidden, 'more open promise')}.`)] : []),
  ];
}

/** The Home view for one person. */
export function buildHomeView(data: HomeData, ctx: RenderContext): HomeView {
  const promises = data.promises;
  const hasPromises = !!promises && (promises.confirmer || promises.mine.total > 0);
  const nothing =
    !data.functions.length &&
    !data.waiting.total &&
    !data.mine.requests.length &&
    !data.board &&
    !hasPromises;
  if (nothing) return { type: 'home', blocks: welcome() };

  const promiseBlocks = promises
    ? [...toConfirmBlocks(promises, ctx), ...myPromisesBlocks(promises, ctx)]
    : [];
  const tail: KnownBlock[] = [
    ...(promiseBlocks.length ? [{ type: 'divider' } as const, ...promiseBlocks] : []),
    { type: 'divider' },
    ...myRequestsBlocks(data, ctx),
  ];
  if (data.board) tail.push({ type: 'divider' }, ...boardBlocks(data.board));

  const blocks: KnownBlock[] = [header(`Waiting for you (${data.waiting.total.toLocaleString('en-US')})`)];
  if (!data.waiting.total) {
    const yours = data.functions.length
      ? ` New ones for ${data.functions.map(escapeText).join(', ')} will appear here, oldest first, with Approve and Reject.`
      : '';
    blocks.push(section(`:white_check_mark: No sign-off is waiting for you.${yours}`));
  } else {
    // Two blocks per sign-off; keep one for the "…and N more" line.
    const room = LIMITS.viewBlocks - blocks.length - tail.length - 1;
    const shown = data.waiting.items.slice(0, Math.max(0, Math.floor(room / 2)));
    for (const item of shown) {
      // The thread's own buttons; none while the seller answers a proposed date.
      const actions = signOffActions(item.request, item.signOff);
      blocks.push(
        section(waitingText(item, ctx)),
        actions ??
          context(
            ':hourglass_flowing_sand: A date was proposed: waiting for the seller to accept or decline.',
          ),
      );
    }
    const hidden = data.waiting.total - shown.length;
    if (hidden > 0) {
      blocks.push(
        context(
          `…and ${plural(hidden, 'more sign-off')} waiting for you. The oldest are shown first: decide these and the next ones appear.`,
        ),
      );
    }
  }
  return { type: 'home', blocks: [...blocks, ...tail] };
}
