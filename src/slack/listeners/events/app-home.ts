import type { App } from '@slack/bolt';
import { recordHomeOpened } from '../../../services/home.js';
import type { ListenerDeps } from '../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  // Bolt acks Events API requests before listeners run. Slack sends this event for both tabs
  // every time the person enters App Home; only the Home tab has anything to render.
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    const log = deps.logger.child({ listener: 'app_home_opened', user: event.user });
    try {
      // Rendered and published by the outbox, in order with the refreshes queued for this person.
      recordHomeOpened(deps.home, event.user);
    } catch (error) {
      log.error('could not queue the Home tab', error);
    }
  });
}
