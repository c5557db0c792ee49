// Reminders, escalations and expiry: what the schedule does to requests nobody has finished.
// Each fires once per sign-off (or request): a conditional update claims it, and the event and
// the outbox rows are written in the same transaction, so a restart or a second process never
// repeats it.
import { businessTimeline } from '../domain/business-hours.js';
import { localDate } from '../domain/calendar.js';
import { expire, type LifecycleEvent } from '../domain/request.js';
import { isExpired, waitingDue } from '../domain/schedule.js';
import { capacityUpdatesFor } from './capacity.js';
import type { ServiceDeps } from './deps.js';
import type { Notification } from './notifications.js';
import type { ReminderStore } from './ports.js';
import { runSteps, runStepsPaced } from './steps.js';

export interface ReminderDeps extends ServiceDeps {
  readonly reminders: ReminderStore;
}

export interface ReminderRun {
  readonly reminded: number;
  readonly escalated: number;
  readonly expired: number;
}

/** Requests or sign-offs looked at (no transaction) per step of a paced run. */
const CHECKS_PER_STEP = 200;

/** All at once (the CLI, the bench's seed, tests): the same steps as the scheduler's run, unpaused. */
export function runReminders(deps: ReminderDeps): ReminderRun {
  return runSteps(reminderSteps(deps));
}

/**
 * The scheduler's run: the same steps, handing the event loop back to the acks every few
 * transactions, so a catch-up of hundreds of reminders never blocks `/slack/events` in one piece.
 * Each step claims its sign-off or request with a conditional update (still pending, not yet
 * reminded), so what an ack decided in between is never reminded, escalated or expired.
 */
export function runRemindersPaced(deps: ReminderDeps): Promise<ReminderRun> {
  return runStepsPaced(reminderSteps(deps));
}

/** One transaction per step; the generator's value is the run's result. */
function* reminderSteps(deps: ReminderDeps): Generator<void, ReminderRun, void> {
  const { store, outbox, reminders, config, clock } = deps;
  const now = clock.now();
  const r = config.reminders;
  let expired = 0;
  let checked = 0;
  for (const req of reminders.pendingRequests()) {
    // Checking thousands of open requests' ages is itself work: a step every CHECKS_PER_STEP.
    if (++checked % CHECKS_PER_STEP === 0) yield;
    if (!isExpired(req.createdAt, r.expire_after_days, config.timezone, now)) continue;
    const done = store.transaction(() => {
      const before = store.loadRequest(req.id);
      if (!before) return false;
      const result = expire(before, now);
      if (!result.ok || !reminders.markExpired(req.id, now)) return false;
      store.appendEvents(req.id, result.events);
      const list: Notification[] = before.signOffs
        .filter((s) => s.status === 'pending')
        .map((s) => ({ kind: 'signoff.update', requestId: req.id, signOffId: s.id }));
      list.push({ kind: 'parent.update', requestId: req.id }, { kind: 'seller.outcome', requestId: req.id });
      // Its tentative load is freed: the week's other open requests show the new figures.
      list.push(...capacityUpdatesFor(deps, [{ ...before.facts, split: before.split ?? null }]));
      outbox.enqueue(list, now);
      return true;
    });
    if (done) expired++;
    yield;
  }

  let reminded = 0;
  let escalated = 0;
  const thresholds = {
    remindAfterHours: r.remind_after_hours,
    escalateAfterHours: r.escalate_after_hours,
    businessHours: r.business_hours,
    timeZone: config.timezone,
  };
  const waiting = reminders.waitingSignOffs();
  // One timeline for the whole run, from the oldest ask to today (at most the expiry period).
  let oldest = now;
  for (const s of waiting) if (s.askedAt < oldest) oldest = s.askedAt;
  const timeline = waiting.length
    ? businessTimeline(
        r.business_hours,
        config.timezone,
        localDate(oldest, config.timezone),
        localDate(now, config.timezone),
      )
    : undefined;
  for (const s of waiting) {
    if (++checked % CHECKS_PER_STEP === 0) yield;
    const due = waitingDue(s, now, thresholds, timeline);
    const base = { at: now, signOffId: s.signOffId, functionId: s.functionId };
    if (due.remind || due.escalate) yield;
    if (due.remind) {
      const done = store.transaction(() => {
        if (!reminders.markReminded(s.signOffId, now)) return false;
        const event: LifecycleEvent = { type: 'signoff.reminded', ...base };
        store.appendEvents(s.requestId, [event]);
        outbox.enqueue([{ kind: 'signoff.remind', requestId: s.requestId, signOffId: s.signOffId }], now);
        return true;
      });
      if (done) reminded++;
    }
    if (due.escalate) {
      const done = store.transaction(() => {
        if (!reminders.markEscalated(s.signOffId, now)) return false;
        const event: LifecycleEvent = { type: 'signoff.escalated', ...base };
        store.appendEvents(s.requestId, [event]);
        if (config.leadership.length) {
          outbox.enqueue(
            [{ kind: 'leadership.escalate', requestId: s.requestId, signOffId: s.signOffId }],
            now,
          );
        }
        return true;
      });
      if (done) escalated++;
    }
  }
  if (reminded || escalated || expired) deps.onNotify();
  return { reminded, escalated, expired };
}
