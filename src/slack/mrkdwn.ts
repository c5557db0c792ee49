// Everything user-typed that reaches Slack's mrkdwn passes through here. Slack only needs `&`,
// `<` and `>` escaped (https://docs.slack.dev/messaging/formatting-message-text#escaping): that
// alone defuses `<!channel>`, `<@U…>` and `<http://…|…>`. Slack has no escape for the emphasis
// characters (* _ ~ `): they are left as typed. A zero-width joiner around each once kept
// "*bold*" from rendering bold, but it travelled into notifications, copies, searches and screen
// readers ("America/New_York" read as "America/NewYork"); emphasis in a name changes no meaning,
// pings nobody and links nowhere.
import { formatDay } from '../domain/calendar.js';
import { slackSafe } from './limits.js';

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A slash command's text as the person typed it. With should_escape: true Slack sends & < > as
 * &amp; &lt; &gt; (and mentions as <@U…|name>, channels as <#C…|name>, which stay as they are).
 * &amp; is decoded last, so "&amp;lt;" (a typed "&lt;") stays "&lt;".
 */
export function decodeCommandText(text: string): string {
  return slackSafe(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Cuts text to at most `max` characters, marking the cut with an ellipsis. */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never leave half of an escape sequence or a surrogate pair at the cut.
  let cut = text.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.length - 6 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export function mention(userId: string): string {
  return `<@${userId}>`;
}

/** Owners are users (U…/W…) or user groups (S…), which Slack mentions differently. */
export function mentionOwner(ownerId: string): string {
  return ownerId.startsWith('S') ? `<!subteam^${ownerId}>` : mention(ownerId);
}

export function formatDate(day: string, locale?: string): string {
  return formatDay(day, locale);
}
