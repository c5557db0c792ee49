// Who a seller is, from their email (the HTTP API's `seller_email`): Slack's users.lookupByEmail,
// which needs the users:read.email scope (manifest.yml).
import type { WebClient } from '@slack/web-api';
import type { AppLogger } from '../logger.js';

export type EmailLookup = { ok: true; userId: string } | { ok: false; reason: 'not_found' | 'unavailable' };

export function createSellerDirectory(client: WebClient, logger: AppLogger) {
  return {
    async idForEmail(email: string): Promise<EmailLookup> {
      try {
        const res = await client.users.lookupByEmail({ email });
        const user = res.user;
        if (!user?.id || user.deleted || user.is_bot) return { ok: false, reason: 'not_found' };
        return { ok: true, userId: user.id };
      } catch (error) {
        const code = (error as { data?: { error?: unknown } }).data?.error;
        if (code === 'users_not_found') return { ok: false, reason: 'not_found' };
        // Not the caller's mistake: Slack down, rate limited or the scope missing. Logged once here.
        logger.warn('users.lookupByEmail failed', { code: typeof code === 'string' ? code : 'no_answer' });
        return { ok: false, reason: 'unavailable' };
      }
    },
  };
}
