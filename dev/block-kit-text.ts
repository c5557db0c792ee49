// Renders the Block Kit the bot sent as plain text, roughly as Slack would show it: headers,
// sections, two-column fields, context lines, buttons as `[ Approve ]`, modals with their inputs.
// Used by `npm run demo` to print what each person saw. Reads loosely typed JSON (what the
// stand-in recorded), so every field is checked rather than trusted.

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const textOf = (v: unknown): string => (isObject(v) ? str(v.text) : '');

/** The emoji the bot uses, as characters; anything else stays `:name:`. */
const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '✅',
  no_entry: '⛔',
  hourglass_flowing_sand: '⏳',
  heavy_minus_sign: '➖',
  inbox_tray: '📥',
  leftwards_arrow_with_hook: '↩️',
  wastebasket: '🗑️',
  warning: '⚠️',
  calendar: '📅',
  bar_chart: '📊',
  house: '🏠',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  red_circle: '🔴',
  white_circle: '⚪',
  arrow_right: '➡️',
  bell: '🔔',
  rotating_light: '🚨',
  memo: '📝',
  scales: '⚖️',
  mag: '🔍',
  link: '🔗',
  factory: '🏭',
  package: '📦',
  large_orange_diamond: '🔶',
  heavy_multiplication_x: '✖️',
  truck: '🚚',
};

export interface Names {
  /** `U0SAM` → `Sam`; unknown ids are shown as they are. */
  user(id: string): string;
  /** `C0REQUESTS` → `requests`. */
  channel(id: string): string;
}

/** Slack mrkdwn → readable text: mentions resolved, links shown by label, markers and entities removed. */
export function mrkdwnToText(text: string, names: Names): string {
  return (
    text
      .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) => `@${names.user(id)}`)
      .replace(
        /<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>/g,
        (_m, id: string, label?: string) => `#${label || names.channel(id)}`,
      )
      .replace(
        /<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g,
        (_m, id: string, label?: string) => label || `@${id}`,
      )
      .replace(/<!(here|channel|everyone)>/g, '@$1')
      .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ↗')
      .replace(/<(https?:[^>]+)>/g, '$1')
      .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/gm, '$1$2')
      .replace(/(^|[\s(])_([^_\n]+)_(?=[\s).,:;!?]|$)/gm, '$1$2')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      // mrkdwn.ts joins `_` and `*` with zero-width joiners so Slack does not format them; a
      // terminal would print them as gaps or noise.
      .replace(/\u200D/g, '')
  );
}

function elementText(element: unknown, names: Names): string {
  if (!isObject(element)) return '';
  const t = str(element.type);
  if (t === 'mrkdwn') return mrkdwnToText(str(element.text), names);
  if (t === 'plain_text') return str(element.text);
  if (t === 'image') return `[image: ${str(element.alt_text)}]`;
  if (t === 'button') return `[ ${textOf(element.text)} ]`;
  return inputElement(element, names);
}

/** How an interactive element looks before anyone touches it. */
function inputElement(element: Json, names: Names): string {
  const placeholder = textOf(element.placeholder);
  const shown = (value: string, suffix = '') => `[ ${value || placeholder || ' '}${suffix} ]`;
  switch (str(element.type)) {
    case 'plain_text_input':
      return shown(str(element.initial_value));
    case 'number_input':
      return shown(str(element.initial_value));
    case 'datepicker':
      return shown(str(element.initial_date), ' 📅');
    case 'static_select':
    case 'external_select':
      return shown(textOf(isObject(element.initial_option) ? element.initial_option.text : undefined), ' ▾');
    case 'users_select':
      return shown(str(element.initial_user) && `@${names.user(str(element.initial_user))}`, ' ▾');
    case 'multi_users_select':
      return shown(
        list(element.initial_users)
          .map((u) => `@${names.user(str(u))}`)
          .join(', '),
        ' ▾',
      );
    case 'checkboxes':
    case 'radio_buttons':
      return list(element.options)
        .map((o) => `( ) ${textOf(isObject(o) ? o.text : undefined)}`)
        .join('  ');
    case 'overflow':
      return '[ ⋯ ]';
    default:
      return `[ ${str(element.type)} ]`;
  }
}

function fieldLines(fields: readonly unknown[], names: Names): string[] {
  // Slack shows fields two per row; "*Label*\nvalue" reads best as "Label: value".
  const cells = fields.map((f) => elementText(f, names).replace(/\n/, ': ').replace(/\n/g, ' '));
  const width = Math.max(...cells.map((c) => c.length), 0) + 3;
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    const right = cells[i + 1];
    rows.push(right === undefined ? (cells[i] ?? '') : `${(cells[i] ?? '').padEnd(width)}${right}`);
  }
  return rows;
}

/** One block as lines of text (no indentation). */
export function renderBlock(block: unknown, names: Names): string[] {
  if (!isObject(block)) return [];
  switch (str(block.type)) {
    case 'header':
      return [`# ${textOf(block.text)}`];
    case 'section': {
      const lines: string[] = [];
      if (isObject(block.text)) lines.push(...elementText(block.text, names).split('\n'));
      lines.push(...fieldLines(list(block.fields), names));
      if (isObject(block.accessory)) lines.push(`    ${elementText(block.accessory, names)}`);
      return lines;
    }
    case 'context':
      return [
        `  ${list(block.elements)
          .map((e) => elementText(e, names))
          .join('  ')}`,
      ];
    case 'divider':
      return ['────────────────────────────────────────'];
    case 'actions':
      return [
        list(block.elements)
          .map((e) => elementText(e, names))
          .join('  '),
      ];
    case 'input': {
      const label = `${textOf(block.label)}${block.optional === true ? ' (optional)' : ''}`;
      const lines = [`${label}: ${elementText(block.element, names)}`];
      const hint = textOf(block.hint);
      if (hint) lines.push(`  ${hint}`);
      return lines;
    }
    case 'image':
      return [`[image: ${str(block.alt_text)}]`];
    case 'rich_text':
      return [textOf(block)];
    default:
      return [`[${str(block.type)} block]`];
  }
}

/** A message: its blocks, or its `text` when it has none (as Slack shows it). */
export function renderMessage(message: { text?: unknown; blocks?: unknown }, names: Names): string[] {
  const blocks = list(message.blocks);
  if (blocks.length === 0) return mrkdwnToText(str(message.text), names).split('\n');
  return blocks.flatMap((b) => renderBlock(b, names));
}

/** A modal in a box, with its title and its Cancel / Submit buttons. */
export function renderModal(view: unknown, names: Names): string[] {
  if (!isObject(view)) return [];
  const title = textOf(view.title);
  const buttons = [textOf(view.close), textOf(view.submit)]
    .filter(Boolean)
    .map((b) => `[ ${b} ]`)
    .join('  ');
  const body = list(view.blocks).flatMap((b) => renderBlock(b, names));
  return [
    `┌─ ${title} ${'─'.repeat(Math.max(2, 44 - title.length))}`,
    ...body.map((l) => `│ ${l}`.trimEnd()),
    `└─ ${buttons}`,
  ];
}
