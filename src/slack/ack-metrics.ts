// Times every ack, by listener, for /metrics. Bolt hands a receiver's event to App.processEvent
// with the ack function the receiver made; wrapping that one method times the ack of every
// listener (commands, buttons, modals, events) without touching any of them.
import type { App, ReceiverEvent } from '@slack/bolt';
import type { Metrics } from '../metrics.js';
import { ACTIONS, CALLBACKS, COMMAND } from './ids.js';

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(Object.values(ACTIONS));
const KNOWN_CALLBACKS: ReadonlySet<string> = new Set(Object.values(CALLBACKS));

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The listener a delivery goes to, as a metric label: only ids of slack/ids.ts (anything else is
 * "other"), so a stranger's payload cannot grow the number of series.
 */
export function listenerLabel(body: Record<string, unknown>): string {
  const known = (kind: string, id: string, ids: ReadonlySet<string>) =>
    `${kind}:${ids.has(id) ? id : 'other'}`;
  if (typeof body.command === 'string') return `command:${body.command === COMMAND ? COMMAND : 'other'}`;
  switch (body.type) {
    case 'block_actions':
    case 'block_suggestion': {
      const actions = Array.isArray(body.actions) ? (body.actions as { action_id?: unknown }[]) : [];
      const id = text(actions[0]?.action_id ?? body.action_id);
      return known(body.type === 'block_actions' ? 'action' : 'options', id, KNOWN_ACTIONS);
    }
    case 'view_submission':
    case 'view_closed': {
      const view = (body.view ?? {}) as { callback_id?: unknown };
      return known(
        body.type === 'view_submission' ? 'view' : 'view_closed',
        text(view.callback_id),
        KNOWN_CALLBACKS,
      );
    }
    case 'event_callback': {
      const event = (body.event ?? {}) as { type?: unknown };
      const type = text(event.type);
      return `event:${type === 'app_home_opened' ? type : 'other'}`;
    }
    default:
      return 'other';
  }
}

export function instrumentAcks(
  app: App,
  metrics: Metrics,
  now: () => number = () => performance.now(),
): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const started = now();
    const listener = listenerLabel(event.body);
    return processEvent({
      ...event,
      ack: (response?: unknown) => {
        metrics.ack(listener, (now() - started) / 1000);
        return event.ack(response);
      },
    });
  };
}
