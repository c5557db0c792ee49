// `/commit delivered|late|issue|paid|cancel|promises` (INTERFACE.md "Promises"): each parses its
// words, calls one promise service as the person who typed it, and answers privately.

import { userActor } from '../../../../domain/actor.js';
import { addDays, isIsoDate, localDate } from '../../../../domain/calendar.js';
import { parseMoneyInput } from '../../../../domain/money.js';
import {
  isOpen,
  isOverdueOn,
  QUALITY_ISSUE_KINDS,
  type QualityIssueKind,
} from '../../../../domain/promise.js';
import { parseRequestRef } from '../../../../domain/request.js';
import {
  cancelPromise,
  listPromises,
  type PromiseResult,
  recordDelivery,
  recordPayment,
  recordSlip,
  reportQualityIssue,
} from '../../../../services/promises.js';
import {
  buildPromiseList,
  type PromiseListFilter,
  promiseDoneText,
  promiseRefusalText,
} from '../../../views/promises.js';
import type { RenderContext } from '../../../views/render-context.js';
import type { Subcommand, SubcommandReply } from './types.js';

const REF_HELP = 'a request reference such as CG-12';

/** The reference as the first word: the id, or an answer saying what was expected. */
function reference(word: string | undefined, usage: string): { id: number } | { reply: SubcommandReply } {
  const id = word ? parseRequestRef(word) : null;
  if (id === null)
    return {
      reply: { text: `${word ? `"${word}" is not ${REF_HELP}.` : `Which request?`} Usage: ${usage}` },
    };
  return { id };
}

function answer(r: PromiseResult, id: number, what: string, ctx: RenderContext): SubcommandReply {
  if (!r.ok) return { text: promiseRefusalText(r, id, ctx) };
  return { text: promiseDoneText(r.promise, what, ctx, r.duplicate) };
}

const words = (args: string) => args.split(/\s+/).filter(Boolean);
const BAD_DATE = (w: string) =>
  `"${w}" is not a date: give it as YYYY-MM-DD (e.g. 2026-12-21). Nothing was changed.`;
const looksLikeDate = (w: string | undefined) => w !== undefined && /^\d{4}-\d{1,2}-\d{1,2}$/.test(w);

const DELIVERED_USAGE = '`/commit delivered CG-12 [YYYY-MM-DD] [quantity]`';
export const delivered: Subcommand = {
  name: 'delivered',
  help: `${DELIVERED_USAGE} records a delivery (default today, the whole open quantity). Confirmers only.`,
  async run({ args, command, deps }) {
    const [refWord, ...rest] = words(args);
    const ref = reference(refWord, DELIVERED_USAGE);
    if ('reply' in ref) return ref.reply;
    let deliveredOn: string | undefined;
    let quantity: number | undefined;
    for (const w of rest) {
      if (looksLikeDate(w) || w.includes('-')) {
        if (!isIsoDate(w)) return { text: BAD_DATE(w) };
        deliveredOn = w;
      } else if (/^\d[\d,_]*$/.test(w)) {
        quantity = Number(w.replace(/[,_]/g, ''));
      } else {
        return { text: `"${w}" is neither a date nor a quantity. Usage: ${DELIVERED_USAGE}` };
      }
    }
    const r = recordDelivery(deps.services, {
      requestId: ref.id,
      actor: userActor(command.user_id),
      ...(deliveredOn ? { deliveredOn } : {}),
      ...(quantity === undefined ? {} : { quantity }),
    });
    return answer(r, ref.id, 'delivery recorded', deps.ctx);
  },
};

const LATE_USAGE = '`/commit late CG-12 YYYY-MM-DD reason…`';
export const late: Subcommand = {
  name: 'late',
  help: `${LATE_USAGE} records a slip: the new expected date and why (the promised date stays). Confirmers and the seller.`,
  async run({ args, command, deps }) {
    const [refWord, dateWord, ...reason] = words(args);
    const ref = reference(refWord, LATE_USAGE);
    if ('reply' in ref) return ref.reply;
    if (!dateWord) return { text: `When will it come? Usage: ${LATE_USAGE}` };
    if (!isIsoDate(dateWord)) return { text: BAD_DATE(dateWord) };
    if (!reason.length) return { text: `Say why, after the date. Usage: ${LATE_USAGE}` };
    const r = recordSlip(deps.services, {
      requestId: ref.id,
      actor: userActor(command.user_id),
      expectedOn: dateWord,
      reason: reason.join(' '),
    });
    return answer(r, ref.id, 'slip recorded (the seller is told)', deps.ctx);
  },
};

const ISSUE_USAGE = '`/commit issue CG-12 [rework|return|complaint|other] text…`';
export const issue: Subcommand = {
  name: 'issue',
  help: `${ISSUE_USAGE} records a quality issue on a delivered promise. Quality owners.`,
  async run({ args, command, deps }) {
    const [refWord, first, ...rest] = words(args);
    const ref = reference(refWord, ISSUE_USAGE);
    if ('reply' in ref) return ref.reply;
    const kindWord = first?.toLowerCase();
    const kind: QualityIssueKind = QUALITY_ISSUE_KINDS.find((k) => k === kindWord) ?? 'other';
    const note = (kindWord === kind ? rest : [first, ...rest]).filter(Boolean).join(' ');
    if (!note) return { text: `Say what went wrong. Usage: ${ISSUE_USAGE}` };
    const r = reportQualityIssue(deps.services, {
      requestId: ref.id,
      actor: userActor(command.user_id),
      kind,
      note,
    });
    return answer(r, ref.id, `quality issue (${kind}) recorded`, deps.ctx);
  },
};

const PAID_USAGE = '`/commit paid CG-12 [YYYY-MM-DD] [amount]`';
export const paid: Subcommand = {
  name: 'paid',
  help: `${PAID_USAGE} records a payment (default today, the whole open value). Payments owners.`,
  async run({ args, command, deps }) {
    const [refWord, ...rest] = words(args);
    const ref = reference(refWord, PAID_USAGE);
    if ('reply' in ref) return ref.reply;
    let paidOn: string | undefined;
    let amountMinor: number | undefined;
    for (const w of rest) {
      if (looksLikeDate(w)) {
        if (!isIsoDate(w)) return { text: BAD_DATE(w) };
        paidOn = w;
        continue;
      }
      const money = parseMoneyInput(w, deps.config.currency);
      if (!money.ok) return { text: `"${w}": ${money.reason} Nothing was changed.` };
      amountMinor = money.minor;
    }
    const r = recordPayment(deps.services, {
      requestId: ref.id,
      actor: userActor(command.user_id),
      ...(paidOn ? { paidOn } : {}),
      ...(amountMinor === undefined ? {} : { amountMinor }),
    });
    return answer(r, ref.id, 'payment recorded', deps.ctx);
  },
};

const CANCEL_USAGE = '`/commit cancel CG-12 reason…`';
export const cancelCommand: Subcommand = {
  name: 'cancel',
  help: `${CANCEL_USAGE} cancels the promise (the customer cancelled). The seller or leadership.`,
  async run({ args, command, deps }) {
    const [refWord, ...reason] = words(args);
    const ref = reference(refWord, CANCEL_USAGE);
    if ('reply' in ref) return ref.reply;
    if (!reason.length) return { text: `Say why. Usage: ${CANCEL_USAGE}` };
    const r = cancelPromise(deps.services, {
      requestId: ref.id,
      actor: userActor(command.user_id),
      reason: reason.join(' '),
    });
    return answer(r, ref.id, 'promise cancelled', deps.ctx);
  },
};

const LIST_LIMIT = 200;
export const promisesCommand: Subcommand = {
  name: 'promises',
  help: '`/commit promises [open|late|due]` lists promises in that state, soonest due first (`due`: the next 7 days and past due).',
  async run({ args, deps }) {
    const word = (words(args)[0] ?? 'open').toLowerCase();
    if (word !== 'open' && word !== 'late' && word !== 'due')
      return { text: `"${word}" is not a list: use \`/commit promises open\`, \`late\` or \`due\`.` };
    const filter: PromiseListFilter = word;
    const today = localDate(deps.clock.now(), deps.config.timezone);
    const open = listPromises(deps.services, {
      states: ['open', 'at_risk', 'overdue', 'partly_delivered'],
      ...(filter === 'due' ? { dueOnOrBefore: addDays(today, 7) } : {}),
      limit: LIST_LIMIT,
    }).filter(isOpen);
    const list =
      filter === 'late'
        ? open.filter((p) => p.state === 'at_risk' || p.state === 'overdue' || isOverdueOn(p, today))
        : open;
    return buildPromiseList(list, filter, today, deps.ctx);
  },
};

export const PROMISE_SUBCOMMANDS: readonly Subcommand[] = [
  delivered,
  late,
  issue,
  paid,
  cancelCommand,
  promisesCommand,
];
