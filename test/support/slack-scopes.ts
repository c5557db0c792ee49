// The bot scope a Web API call needs, by how it is called, as docs.slack.dev documents it
// (docs.slack.dev/reference/methods/<method>, "Required scopes"): conversations.open with one
// user opens a DM (im:write), with several a group DM (mpim:write); conversations.history and
// replies need the history scope of the conversation's type.

export type ConversationType = 'public_channel' | 'private_channel' | 'im' | 'mpim';

const HISTORY_SCOPE: Readonly<Record<ConversationType, string>> = {
  public_channel: 'channels:history',
  private_channel: 'groups:history',
  im: 'im:history',
  mpim: 'mpim:history',
};

/**
 * The local stand-in's ids (dev/slack-stand-in.ts): D… a DM, G… a group DM it opened,
 * anything else a channel (public unless listed as private).
 */
export function standInConversationType(
  channel: string,
  privateChannels: ReadonlySet<string> = new Set(),
): ConversationType {
  if (channel.startsWith('D')) return 'im';
  if (channel.startsWith('G')) return 'mpim';
  return privateChannels.has(channel) ? 'private_channel' : 'public_channel';
}

/**
 * The scope one call needs, from its method and arguments; `null` for methods needing none;
 * `undefined` for a call this table does not know (a test should fail on it).
 */
export function scopeOfCall(
  method: string,
  args: Readonly<Record<string, unknown>>,
  typeOf: (channel: string) => ConversationType,
): string | null | undefined {
  switch (method) {
    case 'conversations.open': {
      if (typeof args.channel === 'string') return scopeOfOpenChannel(typeOf(args.channel));
      const users = String(args.users ?? '')
        .split(',')
        .filter((u) => u.trim() !== '');
      return users.length > 1 ? 'mpim:write' : 'im:write';
    }
    case 'conversations.history':
    case 'conversations.replies':
      return HISTORY_SCOPE[typeOf(String(args.channel))];
    case 'chat.postMessage':
    case 'chat.update':
    case 'chat.postEphemeral':
    case 'chat.delete':
      return 'chat:write';
    case 'files.getUploadURLExternal':
    case 'files.completeUploadExternal':
      return 'files:write';
    case 'usergroups.users.list':
      return 'usergroups:read';
    case 'users.info':
      return 'users:read';
    case 'views.open':
    case 'views.push':
    case 'views.update':
    case 'views.publish':
    case 'auth.test':
    case 'apps.connections.open':
    // The stand-in records the file bytes sent to the URL files.getUploadURLExternal gave: not a
    // Web API method, and the URL itself is the credential.
    case 'upload_url':
      return null;
    default:
      return undefined;
  }
}

function scopeOfOpenChannel(type: ConversationType): string {
  return type === 'mpim' ? 'mpim:write' : 'im:write';
}
