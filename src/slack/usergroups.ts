// Members of the user groups (S…) named as owners, fetched with usergroups.users.list and kept
// in memory: owner checks run inside a synchronous transaction, so they read this cache only.
// Refreshed at start-up and on a schedule (GROUP_REFRESH_MS).
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { AppLogger } from '../logger.js';
import type { GroupDirectory } from '../services/ports.js';

export const GROUP_REFRESH_MS = 10 * 60 * 1000;

export class UserGroupCache implements GroupDirectory {
  private readonly cache = new Map<string, readonly string[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((members: Readonly<Record<string, readonly string[]>>) => void)[] = [];

  constructor(
    private readonly client: WebClient,
    private readonly config: Config,
    private readonly logger: AppLogger,
  ) {}

  members(groupId: string): readonly string[] {
    return this.cache.get(groupId) ?? [];
  }

  /** The S… ids named as owners in the configuration. */
  groupIds(): string[] {
    return [
      ...new Set(
        Object.values(this.config.functions).flatMap((f) => f.owners.filter((o) => o.startsWith('S'))),
      ),
    ];
  }

  /** Fetches every owner group; a group that fails keeps its last known members. */
  async refresh(): Promise<void> {
    for (const usergroup of this.groupIds()) {
      try {
        const res = await this.client.usergroups.users.list({ usergroup });
        this.cache.set(usergroup, res.users ?? []);
      } catch (error) {
        this.logger.warn('could not refresh user group', { usergroup }, error);
      }
    }
    if (this.listeners.length) {
      const members = this.snapshot();
      for (const listener of this.listeners) listener(members);
    }
  }

  /** Every known group's members (the outbox worker thread gets a copy after each refresh). */
  snapshot(): Readonly<Record<string, readonly string[]>> {
    return Object.fromEntries(this.cache);
  }

  /** Called with the new members after every refresh. */
  onRefresh(listener: (members: Readonly<Record<string, readonly string[]>>) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (!this.groupIds().length) return;
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => this.logger.warn('user group refresh failed', e));
    }, GROUP_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
