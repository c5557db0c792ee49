// The promise schedule: the "on track?" ask, the due-date ask, its one reminder, and marking
// overdue (domain/promise-schedule.ts says when). Each ask is claimed with a conditional update
// (`… WHERE asked_x_at IS NULL AND due_on = ?`) in the same transaction as its outbox row, so a
// restart, two ticks or two processes ask once; a slip moves the due date and clears the claims,
// so the new date gets its own asks.
import { promiseRoles } from '../config.js';
import { addDays, localDate, zonedInstant } from '../domain/calendar.js';
import { markOverdue } from '../domain/promise.js';
import { asksDue, type PromiseAskKind } from '../domain/promise-schedule.js';
import type { ServiceDeps } from './deps.js';
import type { Notification } from './notifications.js';
import { notificationsFor } from './promises.js';
import { runSteps, runStepsPaced } from './steps.js';

export interface PromiseAskRun {
  readonly onTrack: number;
  readonly due: number;
  readonly reminded: number;
  readonly overdue: number;
}

function askOf(kind: Exclude<PromiseAskKind, 'overdue'>, requestId: number): Notification {
  if (kind === 'on_track') return { kind: 'promise.ask_on_track', requestId };
  if (kind === 'due') return { kind: 'promise.ask_due', requestId };
  return { kind: 'promise.remind', requestId };
}

/** All at once (tests): the same steps as the scheduler's run, unpaused. */
export function runPromiseAsks(deps: ServiceDeps): PromiseAskRun {
  return runSteps(promiseAskSteps(deps));
}

/** The scheduler's run: hands the event loop back every few promises (services/steps.ts). */
export function runPromiseAsksPaced(deps: ServiceDeps): Promise<PromiseAskRun> {
  return runStepsPaced(promiseAskSteps(deps));
}

function* promiseAskSteps(deps: ServiceDeps): Generator<void, PromiseAskRun, void> {
  const { store, promises, config, clock } = deps;
  const now = clock.now();
  const today = localDate(now, config.timezone);
  const bh = config.reminders.business_hours;
  const roles = promiseRoles(config);
  const times = {
    today,
    businessHoursStarted: now.getTime() >= zonedInstant(today, bh.start, config.timezone).getTime(),
    days: bh.days,
    askDaysBefore: roles.askDaysBefore,
  };
  // Far enough ahead for the "on track?" ask: ask_days_before business days, each at most a week
  // apart when only one weekday is a business day.
  const horizon = addDays(today, (roles.askDaysBefore + 1) * 7);
  const counts = { onTrack: 0, due: 0, reminded: 0, overdue: 0 };
  let notified = false;
  for (const candidate of promises.openPromisesDueBy(horizon)) {
    yield;
    const promise = promises.loadPromise(candidate.requestId);
    if (!promise) continue;
    const kinds = asksDue({ ...candidate, clearedOn: promise.clearedOn }, times);
    if (!kinds.length) continue;
    store.transaction(() => {
      for (const kind of kinds) {
        if (kind === 'overdue') {
          const current = promises.loadPromise(candidate.requestId);
          const result = current ? markOverdue(current, { at: now, today }) : null;
          if (!current || !result?.ok) continue;
          promises.savePromise(current, result.promise, now);
          store.appendEvents(candidate.requestId, result.events);
          deps.outbox.enqueue(notificationsFor(deps, result.promise, result.events, 'commit-gate'), now);
          counts.overdue += 1;
          notified = true;
          continue;
        }
        // Nobody to ask: the claim is still made, so a later config change does not ask late.
        if (!promises.claimAsk(candidate.requestId, kind, candidate.dueOn, now)) continue;
        if (roles.confirmedBy) deps.outbox.enqueue([askOf(kind, candidate.requestId)], now);
        if (kind === 'on_track') counts.onTrack += 1;
        else if (kind === 'due') counts.due += 1;
        else counts.reminded += 1;
        notified = true;
      }
    });
  }
  if (notified) deps.onNotify();
  return counts;
}
