// The weekly imbalance digest, computed from plain rows: every figure leadership reads on Monday.
// Pure: the rows of the week (and the week before, for week-over-week change) and what is pending
// now come in; numbers and plain sentences come out. Rendering lives in slack/views/digest.ts.
//
// What each figure counts (a week is Monday 00:00 to Sunday 24:00 in the configured zone):
// - Inflow: requests submitted (created) in the week, their count and value, by product line.
// - Outcomes: requests *closed* in the week, by their last closing event in the week
//   (request.approved / rejected / withdrawn / expired / overridden). An override counts as
//   overridden, not approved; an expiry is neither an approval nor a rejection. Value cleared =
//   approved + overridden; value blocked = rejected. "Pending now" is every request still pending
//   when the digest is built.
// - Per function: asked = its sign-offs asked in the week; decided = its decisions in the week
//   (a completed approval or a rejection); time to decide = business hours from asked to decided,
//   median and 90th percentile (nearest rank); pending now and the oldest pending age in business
//   hours; reminders, escalations and dates proposed in the week.
// - Promise gap: of the week's requests, how many asked for a delivery sooner than the product
//   line's standard lead time (days from the local submission day); and, over requests for which
//   an owner proposed a date in the week, the median of (latest proposed date − requested date)
//   in calendar days.
//
// "Where to look" thresholds (each produces one sentence when crossed; see README "Weekly digest"):
// - STRETCH: inflow count up ≥ 25% week over week (with ≥ 5 requests the week before) while a
//   function's median decision time rose ≥ 50% (with ≥ 3 decisions in each week).
// - REJECTING: a function rejected ≥ 50% of its decisions (with ≥ 4 decisions); the most cited
//   reason is named when at least 2 rejections share it.
// - HOLDING: one function holds ≥ 50% of the total pending business-hour age (with ≥ 3 pending
//   sign-offs across functions).
// - SLOW: a function's median decision time is ≥ 16 business hours (two working days).
// - PROMISE GAP: ≥ 50% of the week's requests (with ≥ 4 requests) asked for less than the
//   standard lead time.
// - BLOCKED > CLEARED: more value was blocked than cleared (and something was blocked).
// - ESCALATIONS / OVERRIDES: any escalation or override in the week is called out.

import { type BusinessHours, type BusinessTimeline, businessTimeline, HOUR_MS } from './business-hours.js';
import { addDays, type IsoDate, localDate, weekStart, zonedInstant } from './calendar.js';
import type { WeekOutlook } from './capacity.js';
import type { RequestStatus } from './request.js';
import type { Scoreboard } from './scoreboard.js';

export const THRESHOLDS = {
  stretchInflowUpPct: 25,
  stretchMinPreviousRequests: 5,
  stretchDecisionTimeUpPct: 50,
  stretchMinDecisions: 3,
  rejectingSharePct: 50,
  rejectingMinDecisions: 4,
  rejectingMinSameReason: 2,
  holdingSharePct: 50,
  holdingMinPending: 3,
  slowMedianHours: 16,
  promiseGapSharePct: 50,
  promiseGapMinRequests: 4,
} as const;

/** The event types the digest reads (the shared vocabulary). */
export const DIGEST_EVENT_TYPES = [
  'request.approved',
  'request.rejected',
  'request.withdrawn',
  'request.expired',
  'request.overridden',
  'signoff.approved',
  'signoff.rejected',
  'signoff.date_proposed',
  'signoff.reminded',
  'signoff.escalated',
] as const;
export type DigestEventType = (typeof DIGEST_EVENT_TYPES)[number];

/** The events that close a request (its outcome is the last of them in the week). */
export const CLOSING_EVENT_TYPES = [
  'request.approved',
  'request.rejected',
  'request.withdrawn',
  'request.expired',
  'request.overridden',
] as const;
const CLOSING = new Set<string>(CLOSING_EVENT_TYPES);

export interface DigestRequest {
  readonly id: number;
  readonly productLineId: string;
  readonly valueMinor: number;
  readonly deliveryDate: IsoDate;
  readonly status: RequestStatus;
  readonly createdAt: Date;
}

export interface DigestSignOff {
  readonly id: number;
  readonly requestId: number;
  readonly functionId: string;
  readonly askedAt: Date;
}

export interface DigestEvent {
  readonly id: number;
  readonly requestId: number;
  readonly signOffId: number | null;
  readonly type: string;
  readonly actorId: string | null;
  readonly at: Date;
  /** The event's data; the digest reads `complete`, `override`, `reason` and `date` only. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** One week's rows. `requests`/`signOffs` hold every row the week's events or submissions name. */
export interface WeekRows {
  readonly submitted: readonly DigestRequest[];
  /** Sign-offs asked in the week (those of the week's requests), counted per function id. */
  readonly askedByFunction: ReadonlyMap<string, number>;
  /** Events of DIGEST_EVENT_TYPES that happened in the week, in id order. */
  readonly events: readonly DigestEvent[];
  readonly requests: ReadonlyMap<number, DigestRequest>;
  readonly signOffs: ReadonlyMap<number, DigestSignOff>;
  /** Requests (among those approved in the week) with at least one approval carrying conditions. */
  readonly withConditions: ReadonlySet<number>;
}

/** The week before, only as much as week-over-week change needs (read cheaply; see summariseWeek). */
export interface PreviousWeek {
  /** Requests submitted, per product line id. */
  readonly inflow: ReadonlyMap<string, { readonly count: number; readonly valueMinor: number }>;
  /** Decisions made (completed approvals and rejections): whose, asked when, decided when. */
  readonly decisions: readonly {
    readonly functionId: string;
    readonly askedAt: Date;
    readonly at: Date;
    readonly rejected: boolean;
  }[];
}

export interface PendingNow {
  readonly requests: number;
  readonly valueMinor: number;
  readonly signOffs: readonly DigestSignOff[];
}

/**
 * The next weeks' load per product line (load = approved + pending against capacity, flagged over
 * 90% and over 100%), from the capacity feature; `weeks` is null for a line without capacity.
 */
export interface CapacitySection {
  readonly lines: readonly {
    readonly productLineId: string;
    readonly name: string;
    readonly weeks: readonly WeekOutlook[] | null;
  }[];
}

export interface DigestInput {
  /** The Monday of the week. */
  readonly weekStart: IsoDate;
  readonly timeZone: string;
  readonly businessHours: BusinessHours;
  readonly functions: readonly { readonly id: string; readonly label: string }[];
  readonly productLines: readonly {
    readonly id: string;
    readonly name: string;
    readonly leadTimeDays: number;
  }[];
  readonly current: WeekRows;
  readonly previous: PreviousWeek;
  readonly pendingNow: PendingNow;
  /** When the digest is built: pending ages are measured to here. */
  readonly asOf: Date;
  readonly capacity?: CapacitySection;
}

export interface ProductLineInflow {
  readonly id: string;
  readonly name: string;
  readonly count: number;
  readonly valueMinor: number;
  readonly previousCount: number;
  readonly previousValueMinor: number;
}

export interface FunctionLine {
  readonly id: string;
  readonly label: string;
  readonly asked: number;
  readonly decided: number;
  readonly approved: number;
  readonly rejected: number;
  readonly datesProposed: number;
  /** Business hours; null when nothing was decided. */
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
  readonly previousMedianHours: number | null;
  readonly previousDecided: number;
  readonly pendingNow: number;
  readonly oldestPendingHours: number | null;
  readonly pendingHoursTotal: number;
  readonly reminders: number;
  readonly escalations: number;
  readonly topRejectionReason: { readonly text: string; readonly count: number } | null;
}

export interface DigestOverride {
  readonly requestId: number;
  readonly actorId: string | null;
  readonly reason: string;
  readonly at: Date;
  readonly valueMinor: number;
}

export interface Digest {
  readonly weekStart: IsoDate;
  /** The Sunday. */
  readonly weekEnd: IsoDate;
  readonly asOf: Date;
  readonly inflow: {
    readonly count: number;
    readonly valueMinor: number;
    readonly previousCount: number;
    readonly previousValueMinor: number;
    /** Rounded whole percent; null when the previous week had none. */
    readonly countChangePct: number | null;
    readonly valueChangePct: number | null;
    readonly byProductLine: readonly ProductLineInflow[];
  };
  readonly outcomes: {
    readonly approved: number;
    readonly approvedWithConditions: number;
    readonly approvedWithoutConditions: number;
    readonly rejected: number;
    readonly withdrawn: number;
    readonly expired: number;
    readonly overridden: number;
    readonly pendingNow: number;
    readonly clearedValueMinor: number;
    readonly blockedValueMinor: number;
    readonly pendingValueMinor: number;
  };
  readonly functions: readonly FunctionLine[];
  readonly promiseGap: {
    readonly requests: number;
    readonly shorterThanStandard: number;
    readonly sharePct: number | null;
    readonly proposals: number;
    readonly medianDaysLate: number | null;
  };
  readonly overrides: readonly DigestOverride[];
  readonly whereToLook: readonly string[];
  /**
   * The same rules as whereToLook, each with what it is about: the ranked "Where to look" keeps
   * those that measure an imbalance (not escalations or overrides, which the Leadership link
   * counts) after the scoreboard's findings.
   */
  readonly flowFindings: readonly FlowFinding[];
  readonly capacity?: CapacitySection;
  /** The six links and Promises kept (domain/scoreboard.ts), when the service computed them. */
  readonly scoreboard?: Scoreboard;
}

export type FlowRule =
  | 'stretch'
  | 'rejecting'
  | 'holding'
  | 'slow'
  | 'promise_gap'
  | 'blocked'
  | 'escalations'
  | 'overrides';
export interface FlowFinding {
  readonly rule: FlowRule;
  /** The function the sentence is about, when it is about one. */
  readonly functionId: string | null;
  readonly text: string;
}

// ---------------------------------------------------------------------------------------------
// Small statistics, exact and documented.

/** Median; the mean of the two middle values when the count is even. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1] as number;
}

/** Whole-percent change, rounded half away from zero; null when there is no base. */
export function changePct(now: number, before: number): number | null {
  if (before === 0) return null;
  const pct = ((now - before) / before) * 100;
  return Math.sign(pct) * Math.round(Math.abs(pct));
}

// ---------------------------------------------------------------------------------------------

/** The week (Monday) an instant falls in, in a zone, and the week's bounds as instants. */
export function weekOf(at: Date, timeZone: string): IsoDate {
  return weekStart(localDate(at, timeZone));
}

export function weekBounds(monday: IsoDate, timeZone: string): { start: Date; end: Date } {
  return {
    start: zonedInstant(monday, '00:00', timeZone),
    end: zonedInstant(addDays(monday, 7), '00:00', timeZone),
  };
}

/** The week-before view of a full week's rows (what the reader's previousWeek returns). */
export function summariseWeek(rows: WeekRows): PreviousWeek {
  const inflow = new Map<string, { count: number; valueMinor: number }>();
  for (const r of rows.submitted) {
    const c = inflow.get(r.productLineId) ?? { count: 0, valueMinor: 0 };
    c.count++;
    c.valueMinor += r.valueMinor;
    inflow.set(r.productLineId, c);
  }
  const decisions: PreviousWeek['decisions'][number][] = [];
  for (const e of rows.events) {
    const rejected = e.type === 'signoff.rejected';
    if (!rejected && !(e.type === 'signoff.approved' && e.data.complete === true)) continue;
    const so = e.signOffId === null ? undefined : rows.signOffs.get(e.signOffId);
    if (so) decisions.push({ functionId: so.functionId, askedAt: so.askedAt, at: e.at, rejected });
  }
  return { inflow, decisions };
}

interface Decisions {
  readonly byFunction: Map<
    string,
    { approved: number; rejected: number; hours: number[]; reasons: string[] }
  >;
}

/** One timeline covering every instant the digest measures, so no question converts zones. */
function timelineFor(
  rows: readonly WeekRows[],
  pending: readonly { readonly askedAt: Date }[],
  until: Date,
  hours: BusinessHours,
  timeZone: string,
): BusinessTimeline {
  let min = until.getTime();
  let max = until.getTime();
  const see = (t: number) => {
    if (t < min) min = t;
    if (t > max) max = t;
  };
  for (const r of rows) {
    for (const s of r.signOffs.values()) see(s.askedAt.getTime());
    for (const q of r.submitted) see(q.createdAt.getTime());
    for (const e of r.events) see(e.at.getTime());
  }
  for (const s of pending) see(s.askedAt.getTime());
  return businessTimeline(
    hours,
    timeZone,
    localDate(new Date(min), timeZone),
    localDate(new Date(max), timeZone),
  );
}

function decisionsOf(rows: WeekRows, tl: BusinessTimeline): Decisions {
  const byFunction: Decisions['byFunction'] = new Map();
  for (const e of rows.events) {
    const isApproval = e.type === 'signoff.approved' && e.data.complete === true;
    const isRejection = e.type === 'signoff.rejected';
    if (!isApproval && !isRejection) continue;
    const so = e.signOffId === null ? undefined : rows.signOffs.get(e.signOffId);
    if (!so) continue;
    const f = byFunction.get(so.functionId) ?? { approved: 0, rejected: 0, hours: [], reasons: [] };
    if (isApproval) f.approved++;
    else {
      f.rejected++;
      if (typeof e.data.reason === 'string') f.reasons.push(e.data.reason);
    }
    f.hours.push(tl.msBetween(so.askedAt, e.at) / HOUR_MS);
    byFunction.set(so.functionId, f);
  }
  return { byFunction };
}

function countByFunction(rows: WeekRows, type: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of rows.events) {
    if (e.type !== type || e.signOffId === null) continue;
    const fn = rows.signOffs.get(e.signOffId)?.functionId ?? (e.data.functionId as string | undefined);
    if (fn) counts.set(fn, (counts.get(fn) ?? 0) + 1);
  }
  return counts;
}

function topReason(reasons: readonly string[]): { text: string; count: number } | null {
  const counts = new Map<string, { text: string; count: number }>();
  for (const r of reasons) {
    const key = r
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/[.!]+$/, '');
    if (!key) continue;
    const c = counts.get(key) ?? { text: r.trim().replace(/[.!]+$/, ''), count: 0 };
    c.count++;
    counts.set(key, c);
  }
  let best: { text: string; count: number } | null = null;
  for (const c of counts.values()) if (!best || c.count > best.count) best = c;
  return best;
}

function outcomesOf(rows: WeekRows): Digest['outcomes'] & { overrides: DigestOverride[] } {
  const last = new Map<number, DigestEvent>();
  const overrides: DigestOverride[] = [];
  for (const e of rows.events) {
    if (!CLOSING.has(e.type)) continue;
    // An override may be recorded alongside a request.approved {override: true}: count it once.
    if (e.type === 'request.approved' && e.data.override === true) continue;
    // Events arrive in id order: the last closing event of the week is the request's outcome.
    last.set(e.requestId, e);
    if (e.type === 'request.overridden') {
      overrides.push({
        requestId: e.requestId,
        actorId: e.actorId,
        reason: typeof e.data.reason === 'string' ? e.data.reason : '',
        at: e.at,
        valueMinor: rows.requests.get(e.requestId)?.valueMinor ?? 0,
      });
    }
  }
  let approved = 0;
  let withConditions = 0;
  let rejected = 0;
  let withdrawn = 0;
  let expired = 0;
  let overridden = 0;
  let cleared = 0;
  let blocked = 0;
  for (const [requestId, e] of last) {
    const value = rows.requests.get(requestId)?.valueMinor ?? 0;
    switch (e.type) {
      case 'request.approved':
        approved++;
        cleared += value;
        if (rows.withConditions.has(requestId)) withConditions++;
        break;
      case 'request.overridden':
        overridden++;
        cleared += value;
        break;
      case 'request.rejected':
        rejected++;
        blocked += value;
        break;
      case 'request.withdrawn':
        withdrawn++;
        break;
      case 'request.expired':
        expired++;
        break;
    }
  }
  return {
    approved,
    approvedWithConditions: withConditions,
    approvedWithoutConditions: approved - withConditions,
    rejected,
    withdrawn,
    expired,
    overridden,
    pendingNow: 0,
    clearedValueMinor: cleared,
    blockedValueMinor: blocked,
    pendingValueMinor: 0,
    overrides,
  };
}

/** Calendar days from one 'YYYY-MM-DD' to another (daysBetween's answer, without parsing per call). */
function dayDiff(from: IsoDate, to: IsoDate): number {
  const n = (d: IsoDate) =>
    Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((n(to) - n(from)) / 86_400_000);
}

function promiseGapOf(input: DigestInput, tl: BusinessTimeline): Digest['promiseGap'] {
  const { current } = input;
  const leadTime = new Map(input.productLines.map((p) => [p.id, p.leadTimeDays]));
  let shorter = 0;
  for (const r of current.submitted) {
    const standard = leadTime.get(r.productLineId);
    if (standard === undefined) continue;
    if (dayDiff(tl.dayOf(r.createdAt), r.deliveryDate) < standard) shorter++;
  }
  // The feasible date is the latest any owner proposed: the chain delivers when its slowest link
  // can. The gap runs from the date the seller first asked for (recorded on each proposal; a
  // request's own delivery date may since have moved to the accepted proposal).
  const proposed = new Map<number, { latest: IsoDate; asked: IsoDate | null }>();
  for (const e of current.events) {
    if (e.type !== 'signoff.date_proposed' || typeof e.data.date !== 'string') continue;
    const asked = typeof e.data.requestedDate === 'string' ? e.data.requestedDate : null;
    const prev = proposed.get(e.requestId);
    proposed.set(e.requestId, {
      latest: !prev || e.data.date > prev.latest ? e.data.date : prev.latest,
      asked: !prev?.asked || (asked !== null && asked < prev.asked) ? asked : prev.asked,
    });
  }
  const gaps: number[] = [];
  for (const [requestId, { latest, asked }] of proposed) {
    const from = asked ?? current.requests.get(requestId)?.deliveryDate;
    if (from) gaps.push(dayDiff(from, latest));
  }
  const n = current.submitted.length;
  return {
    requests: n,
    shorterThanStandard: shorter,
    sharePct: n ? Math.round((shorter / n) * 100) : null,
    proposals: gaps.length,
    medianDaysLate: median(gaps),
  };
}

const fmtHours = (h: number) => `${Math.round(h * 10) / 10} h`;

function whereToLook(d: Omit<Digest, 'whereToLook' | 'flowFindings'>): FlowFinding[] {
  const T = THRESHOLDS;
  const out: FlowFinding[] = [];
  const push = (rule: FlowRule, functionId: string | null, text: string) =>
    out.push({ rule, functionId, text });
  const inflowUp = d.inflow.countChangePct;
  if (
    inflowUp !== null &&
    inflowUp >= T.stretchInflowUpPct &&
    d.inflow.previousCount >= T.stretchMinPreviousRequests
  ) {
    for (const f of d.functions) {
      if (f.medianHours === null || f.previousMedianHours === null || f.previousMedianHours === 0) continue;
      if (f.decided < T.stretchMinDecisions || f.previousDecided < T.stretchMinDecisions) continue;
      const up = changePct(f.medianHours, f.previousMedianHours);
      if (up !== null && up >= T.stretchDecisionTimeUpPct) {
        push(
          'stretch',
          f.id,
          `Inflow is up ${inflowUp}% while the median time ${f.label} takes to decide rose ${up}% (${fmtHours(f.previousMedianHours)} → ${fmtHours(f.medianHours)}): ${f.label} is being stretched.`,
        );
      }
    }
  }
  for (const f of d.functions) {
    if (f.decided >= T.rejectingMinDecisions && (f.rejected / f.decided) * 100 >= T.rejectingSharePct) {
      const reason =
        f.topRejectionReason && f.topRejectionReason.count >= T.rejectingMinSameReason
          ? `, most often "${f.topRejectionReason.text}" (${f.topRejectionReason.count})`
          : '';
      push(
        'rejecting',
        f.id,
        `${f.label} rejected ${f.rejected} of the ${f.decided} requests it decided (${Math.round((f.rejected / f.decided) * 100)}%)${reason}.`,
      );
    }
  }
  const totalPendingHours = d.functions.reduce((s, f) => s + f.pendingHoursTotal, 0);
  const totalPending = d.functions.reduce((s, f) => s + f.pendingNow, 0);
  if (totalPending >= T.holdingMinPending && totalPendingHours > 0) {
    for (const f of d.functions) {
      const share = Math.round((f.pendingHoursTotal / totalPendingHours) * 100);
      if (share >= T.holdingSharePct) {
        push(
          'holding',
          f.id,
          `${f.label} holds ${share}% of all pending waiting time (${f.pendingNow} of ${totalPending} pending sign-offs, the oldest ${fmtHours(f.oldestPendingHours ?? 0)} in business hours).`,
        );
      }
    }
  }
  for (const f of d.functions) {
    if (f.medianHours !== null && f.medianHours >= T.slowMedianHours) {
      push(
        'slow',
        f.id,
        `${f.label} takes ${fmtHours(f.medianHours)} of business time to decide (median): more than two working days.`,
      );
    }
  }
  const g = d.promiseGap;
  if (g.sharePct !== null && g.requests >= T.promiseGapMinRequests && g.sharePct >= T.promiseGapSharePct) {
    push(
      'promise_gap',
      null,
      `${g.shorterThanStandard} of ${g.requests} requests (${g.sharePct}%) asked for delivery sooner than the standard lead time.`,
    );
  }
  const o = d.outcomes;
  if (o.blockedValueMinor > 0 && o.blockedValueMinor > o.clearedValueMinor) {
    push('blocked', null, 'More value was blocked than cleared this week.');
  }
  const escalations = d.functions.filter((f) => f.escalations > 0);
  if (escalations.length) {
    push(
      'escalations',
      null,
      `Leadership was alerted to sign-offs waiting too long: ${escalations.map((f) => `${f.label} (${f.escalations})`).join(', ')}.`,
    );
  }
  if (d.overrides.length) {
    const n = d.overrides.length;
    push(
      'overrides',
      null,
      `${n} ${n === 1 ? 'rejection was' : 'rejections were'} overridden by leadership: see Overrides.`,
    );
  }
  return out;
}

/** Computes the digest of one week. Every figure is documented at the top of this file. */
export function computeDigest(input: DigestInput): Digest {
  const { current, previous, timeZone, businessHours } = input;
  const sumValue = (rs: readonly DigestRequest[]) => rs.reduce((s, r) => s + r.valueMinor, 0);
  const count = current.submitted.length;
  const value = sumValue(current.submitted);
  const previousCount = [...previous.inflow.values()].reduce((n, c) => n + c.count, 0);
  const previousValue = [...previous.inflow.values()].reduce((n, c) => n + c.valueMinor, 0);
  const byProductLine = input.productLines.map((p): ProductLineInflow => {
    const now = current.submitted.filter((r) => r.productLineId === p.id);
    const before = previous.inflow.get(p.id) ?? { count: 0, valueMinor: 0 };
    return {
      id: p.id,
      name: p.name,
      count: now.length,
      valueMinor: sumValue(now),
      previousCount: before.count,
      previousValueMinor: before.valueMinor,
    };
  });

  const tl = timelineFor(
    [current],
    [...input.pendingNow.signOffs, ...previous.decisions],
    input.asOf,
    businessHours,
    timeZone,
  );
  const decisions = decisionsOf(current, tl);
  const previousHours = new Map<string, number[]>();
  for (const d of previous.decisions) {
    const list = previousHours.get(d.functionId) ?? [];
    list.push(tl.msBetween(d.askedAt, d.at) / HOUR_MS);
    previousHours.set(d.functionId, list);
  }
  const asked = current.askedByFunction;
  const proposed = countByFunction(current, 'signoff.date_proposed');
  const reminded = countByFunction(current, 'signoff.reminded');
  const escalated = countByFunction(current, 'signoff.escalated');

  const functions = input.functions.map((fn): FunctionLine => {
    const d = decisions.byFunction.get(fn.id);
    const p = previousHours.get(fn.id) ?? [];
    const pending = input.pendingNow.signOffs
      .filter((s) => s.functionId === fn.id)
      .map((s) => tl.msBetween(s.askedAt, input.asOf) / HOUR_MS);
    return {
      id: fn.id,
      label: fn.label,
      asked: asked.get(fn.id) ?? 0,
      decided: (d?.approved ?? 0) + (d?.rejected ?? 0),
      approved: d?.approved ?? 0,
      rejected: d?.rejected ?? 0,
      datesProposed: proposed.get(fn.id) ?? 0,
      medianHours: median(d?.hours ?? []),
      p90Hours: percentile(d?.hours ?? [], 90),
      previousMedianHours: median(p),
      previousDecided: p.length,
      pendingNow: pending.length,
      oldestPendingHours: pending.length ? Math.max(...pending) : null,
      pendingHoursTotal: pending.reduce((s, h) => s + h, 0),
      reminders: reminded.get(fn.id) ?? 0,
      escalations: escalated.get(fn.id) ?? 0,
      topRejectionReason: topReason(d?.reasons ?? []),
    };
  });

  const { overrides, ...outcomes } = outcomesOf(current);
  const partial: Omit<Digest, 'whereToLook' | 'flowFindings'> = {
    weekStart: input.weekStart,
    weekEnd: addDays(input.weekStart, 6),
    asOf: input.asOf,
    inflow: {
      count,
      valueMinor: value,
      previousCount,
      previousValueMinor: previousValue,
      countChangePct: changePct(count, previousCount),
      valueChangePct: changePct(value, previousValue),
      byProductLine,
    },
    outcomes: {
      ...outcomes,
      pendingNow: input.pendingNow.requests,
      pendingValueMinor: input.pendingNow.valueMinor,
    },
    functions,
    promiseGap: promiseGapOf(input, tl),
    overrides,
    ...(input.capacity ? { capacity: input.capacity } : {}),
  };
  const flowFindings = whereToLook(partial);
  return { ...partial, whereToLook: flowFindings.map((f) => f.text), flowFindings };
}

// ---------------------------------------------------------------------------------------------
// The 8-week trend behind the chart.

export interface TrendWeek {
  readonly weekStart: IsoDate;
  readonly submitted: number;
  readonly cleared: number;
  readonly blocked: number;
  /** Median business hours to decide, per function id (null: nothing decided). */
  readonly medianHours: Readonly<Record<string, number | null>>;
  /** Each link's headline figure that week (scoreboard.ts HEADLINE; null: nothing to measure). */
  readonly links?: Readonly<Record<string, number | null>>;
}

/**
 * A week's rows as the trend reads them: the database answers these counted per week
 * (db/digest-repo.ts trendFacts) rather than row by row; trendFactsOf reads them off rows.
 */
export interface TrendFacts {
  /** Requests submitted in the week. */
  readonly submitted: number;
  /** Requests by their last closing event in the week (outcomesOf): approved, overridden, rejected. */
  readonly approved: number;
  readonly overridden: number;
  readonly rejected: number;
  /** The week's decisions (a completed approval or a rejection): the sign-off's function, asked, decided (ms). */
  readonly decisions: readonly {
    readonly functionId: string;
    readonly askedAt: number;
    readonly at: number;
  }[];
}

/** The trend's facts of a week's rows. */
export function trendFactsOf(rows: WeekRows): TrendFacts {
  const o = outcomesOf(rows);
  const decisions: { functionId: string; askedAt: number; at: number }[] = [];
  for (const e of rows.events) {
    if (!((e.type === 'signoff.approved' && e.data.complete === true) || e.type === 'signoff.rejected'))
      continue;
    const so = e.signOffId === null ? undefined : rows.signOffs.get(e.signOffId);
    if (so) decisions.push({ functionId: so.functionId, askedAt: so.askedAt.getTime(), at: e.at.getTime() });
  }
  return {
    submitted: rows.submitted.length,
    approved: o.approved,
    overridden: o.overridden,
    rejected: o.rejected,
    decisions,
  };
}

export interface TrendWeekInput {
  readonly weekStart: IsoDate;
  readonly timeZone: string;
  readonly businessHours: BusinessHours;
  readonly functions: readonly { readonly id: string }[];
  readonly facts: TrendFacts;
}

/** A week of the trend: requests in, cleared, blocked and the median time to decide per function. */
export function trendWeekOf(input: TrendWeekInput): TrendWeek {
  const { facts } = input;
  const end = weekBounds(input.weekStart, input.timeZone).end.getTime();
  // One timeline over the week's instants (any span gives the same hours; this one is short).
  let min = end;
  let max = end;
  for (const d of facts.decisions) {
    if (d.askedAt < min) min = d.askedAt;
    if (d.at < min) min = d.at;
    if (d.at > max) max = d.at;
  }
  const tl = businessTimeline(
    input.businessHours,
    input.timeZone,
    localDate(new Date(min), input.timeZone),
    localDate(new Date(max), input.timeZone),
  );
  const hours = new Map<string, number[]>();
  for (const d of facts.decisions) {
    const h = tl.msBetween(new Date(d.askedAt), new Date(d.at)) / HOUR_MS;
    const list = hours.get(d.functionId);
    if (list) list.push(h);
    else hours.set(d.functionId, [h]);
  }
  return {
    weekStart: input.weekStart,
    submitted: facts.submitted,
    cleared: facts.approved + facts.overridden,
    blocked: facts.rejected,
    medianHours: Object.fromEntries(input.functions.map((f) => [f.id, median(hours.get(f.id) ?? [])])),
  };
}

export function computeTrendWeek(input: Omit<DigestInput, 'previous' | 'pendingNow' | 'asOf'>): TrendWeek {
  return trendWeekOf({ ...input, facts: trendFactsOf(input.current) });
}
