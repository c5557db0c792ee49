// Checks Block Kit surfaces against Slack's published limits (docs.slack.dev/reference/block-kit)
// before Slack would: the stand-in accepts what real Slack might answer with invalid_blocks,
// invalid_arguments or view_too_large. Every problem is reported with a JSON pointer, like
// blocks.validate does, e.g. `/blocks/3/text/text: 3001 characters, at most 3000 (section text)`.
//
// Slack has no official Block Kit JSON Schema; these rules follow the limits table and the
// @slack/types / python-slack-sdk validators cited there. Lengths are UTF-16 code units, which
// never undercounts what Slack counts.

/** Thrown with every problem found, not just the first. */
export class BlockKitLimitError extends Error {
  constructor(
    readonly surface: Surface,
    readonly problems: readonly string[],
  ) {
    super(`${surface} violates Block Kit limits:\n  ${problems.join('\n  ')}`);
    this.name = 'BlockKitLimitError';
  }
}

export type Surface = 'message' | 'modal' | 'home';

/** Slack's limits, one place (block_kit_limits.json rows). */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  viewBytes: 250_000,
  messageText: 4000,
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  header: 150,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  accessibilityLabel: 75,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  checkboxOptions: 10,
  radioOptions: 10,
  overflowOptions: 5,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  id: 255,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  plainTextInputLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  altText: 2000,
  imageTitle: 2000,
  markdownBlock: 12_000,
} as const;

const L = BLOCK_KIT_LIMITS;

const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

const SELECTS_WITH_PLACEHOLDER = new Set([
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
]);

const OTHER_ELEMENTS = new Set(['file_input', 'workflow_button', 'feedback_buttons', 'icon_button']);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(`${path || '/'}: ${message}`);
  }

  length(path: string, value: unknown, max: number, what: string, min = 0): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.problem(path, `expected a string (${what})`);
      return;
    }
    if (value.length > max) this.problem(path, `${value.length} characters, at most ${max} (${what})`);
    if (value.length < min) this.problem(path, `${value.length} characters, at least ${min} (${what})`);
  }

  /** A text object: `{type: 'plain_text' | 'mrkdwn', text}` with 1..min(max, 3000) characters. */
  text(path: string, value: unknown, max: number, what: string, plainOnly = false): void {
    if (!isRecord(value)) {
      this.problem(path, `expected a text object (${what})`);
      return;
    }
    const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
      this.problem(`${path}/type`, `must be ${allowed.join(' or ')} (${what})`);
    }
    if (typeof value.text !== 'string') {
      this.problem(`${path}/text`, `expected a string (${what})`);
      return;
    }
    this.length(`${path}/text`, value.text, Math.min(max, L.textObject), what, 1);
  }

  optionalText(path: string, value: unknown, max: number, what: string, plainOnly = false): void {
    // Slack echoes absent buttons as null (e.g. `close: null` in views.* answers).
    if (value !== undefined && value !== null) this.text(path, value, max, what, plainOnly);
  }

  id(path: string, value: unknown, what: string): void {
    this.length(path, value, L.id, what);
  }

  count(path: string, value: unknown, max: number, what: string, min = 0): unknown[] {
    if (value === undefined) {
      if (min > 0) this.problem(path, `required (${what})`);
      return [];
    }
    if (!Array.isArray(value)) {
      this.problem(path, `expected an array (${what})`);
      return [];
    }
    if (value.length > max) this.problem(path, `${value.length} items, at most ${max} (${what})`);
    if (value.length < min) this.problem(path, `${value.length} items, at least ${min} (${what})`);
    return value;
  }

  blocks(path: string, value: unknown, max: number, what: string): void {
    const blocks = this.count(path, value, max, what);
    const seen = new Map<string, number>();
    blocks.forEach((block, i) => {
      const at = `${path}/${i}`;
      if (!isRecord(block)) {
        this.problem(at, 'expected a block object');
        return;
      }
      if (typeof block.block_id === 'string') {
        const first = seen.get(block.block_id);
        if (first !== undefined)
          this.problem(
            `${at}/block_id`,
            `"${block.block_id}" repeats ${path}/${first} (block_id must be unique)`,
          );
        else seen.set(block.block_id, i);
      }
      this.block(at, block);
    });
  }

  block(path: string, block: Json): void {
    this.id(`${path}/block_id`, block.block_id, 'block_id');
    const type = block.type;
    if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) {
      this.problem(`${path}/type`, `unknown block type ${JSON.stringify(type)}`);
      return;
    }
    switch (type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined)
          this.problem(path, 'section needs text or fields');
        this.optionalText(`${path}/text`, block.text, L.sectionText, 'section text');
        const fields = this.count(`${path}/fields`, block.fields, L.sectionFields, 'section fields');
        for (const [i, f] of fields.entries())
          this.text(`${path}/fields/${i}`, f, L.sectionField, 'section field');
        if (block.accessory !== undefined) this.element(`${path}/accessory`, block.accessory);
        return;
      }
      case 'header':
        this.text(`${path}/text`, block.text, L.header, 'header text', true);
        return;
      case 'actions': {
        const elements = this.count(
          `${path}/elements`,
          block.elements,
          L.actionsElements,
          'actions elements',
          1,
        );
        this.uniqueActionIds(path, elements);
        for (const [i, e] of elements.entries()) this.element(`${path}/elements/${i}`, e);
        return;
      }
      case 'context': {
        const elements = this.count(
          `${path}/elements`,
          block.elements,
          L.contextElements,
          'context elements',
          1,
        );
        elements.forEach((e, i) => {
          const at = `${path}/elements/${i}`;
          if (isRecord(e) && e.type === 'image') this.image(at, e);
          else this.text(at, e, L.textObject, 'context element');
        });
        return;
      }
      case 'input': {
        this.text(`${path}/label`, block.label, L.inputLabel, 'input label', true);
        this.optionalText(`${path}/hint`, block.hint, L.inputHint, 'input hint', true);
        if (block.element === undefined) this.problem(`${path}/element`, 'required (input element)');
        else this.element(`${path}/element`, block.element);
        return;
      }
      case 'image':
        this.image(path, block);
        this.optionalText(`${path}/title`, block.title, L.imageTitle, 'image title', true);
        return;
      case 'markdown':
        this.length(`${path}/text`, block.text, L.markdownBlock, 'markdown block text', 1);
        return;
      default:
        return;
    }
  }

  uniqueActionIds(path: string, elements: unknown[]): void {
    const seen = new Map<string, number>();
    elements.forEach((e, i) => {
      if (!isRecord(e) || typeof e.action_id !== 'string') return;
      const first = seen.get(e.action_id);
      if (first !== undefined) {
        this.problem(
          `${path}/elements/${i}/action_id`,
          `"${e.action_id}" repeats element ${first} (action_id must be unique in its block)`,
        );
      } else seen.set(e.action_id, i);
    });
  }

  image(path: string, image: Json): void {
    if (image.image_url === undefined && image.slack_file === undefined)
      this.problem(path, 'image needs image_url or slack_file');
    this.length(`${path}/image_url`, image.image_url, L.url, 'image_url');
    if (image.alt_text === undefined) this.problem(`${path}/alt_text`, 'required (image alt_text)');
    this.length(`${path}/alt_text`, image.alt_text, L.altText, 'image alt_text', 1);
  }

  element(path: string, element: unknown): void {
    if (!isRecord(element)) {
      this.problem(path, 'expected an element object');
      return;
    }
    this.id(`${path}/action_id`, element.action_id, 'action_id');
    this.confirm(`${path}/confirm`, element.confirm);
    const type = typeof element.type === 'string' ? element.type : '';
    switch (type) {
      case 'button':
        this.text(`${path}/text`, element.text, L.buttonText, 'button text', true);
        this.length(`${path}/value`, element.value, L.buttonValue, 'button value');
        this.length(`${path}/url`, element.url, L.url, 'button url');
        this.length(
          `${path}/accessibility_label`,
          element.accessibility_label,
          L.accessibilityLabel,
          'button accessibility_label',
        );
        if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
          this.problem(`${path}/style`, 'must be primary or danger');
        }
        return;
      case 'static_select':
      case 'multi_static_select': {
        this.placeholder(path, element);
        if ((element.options === undefined) === (element.option_groups === undefined)) {
          this.problem(path, 'static select needs exactly one of options or option_groups');
        }
        this.options(`${path}/options`, element.options, L.selectOptions, 'select options', true);
        const groups = this.count(
          `${path}/option_groups`,
          element.option_groups,
          L.optionGroups,
          'option_groups',
        );
        groups.forEach((g, i) => {
          const at = `${path}/option_groups/${i}`;
          if (!isRecord(g)) {
            this.problem(at, 'expected an option group');
            return;
          }
          this.text(`${at}/label`, g.label, L.optionGroupLabel, 'option group label', true);
          this.options(`${at}/options`, g.options, L.selectOptions, 'option group options', true, 1);
        });
        if (element.initial_option !== undefined)
          this.option(`${path}/initial_option`, element.initial_option, true);
        return;
      }
      case 'overflow':
        this.options(`${path}/options`, element.options, L.overflowOptions, 'overflow options', true, 1);
        return;
      case 'checkboxes':
        this.options(`${path}/options`, element.options, L.checkboxOptions, 'checkbox options', false, 1);
        return;
      case 'radio_buttons':
        this.options(`${path}/options`, element.options, L.radioOptions, 'radio options', false, 1);
        return;
      case 'plain_text_input': {
        this.placeholder(path, element);
        const { min_length: min, max_length: max } = element;
        if (min !== undefined && (typeof min !== 'number' || min < 0 || min > L.plainTextInputLength)) {
          this.problem(`${path}/min_length`, `must be 0..${L.plainTextInputLength}`);
        }
        if (max !== undefined && (typeof max !== 'number' || max < 1 || max > L.plainTextInputLength)) {
          this.problem(`${path}/max_length`, `must be 1..${L.plainTextInputLength}`);
        }
        if (typeof min === 'number' && typeof max === 'number' && min > max) {
          this.problem(`${path}/min_length`, 'greater than max_length');
        }
        this.length(
          `${path}/initial_value`,
          element.initial_value,
          typeof max === 'number' ? max : L.plainTextInputLength,
          'initial_value within max_length',
        );
        return;
      }
      case 'number_input':
        this.placeholder(path, element);
        if (typeof element.is_decimal_allowed !== 'boolean')
          this.problem(`${path}/is_decimal_allowed`, 'required boolean');
        for (const key of ['initial_value', 'min_value', 'max_value'] as const) {
          if (element[key] !== undefined && typeof element[key] !== 'string')
            this.problem(`${path}/${key}`, 'must be a string');
        }
        return;
      case 'datepicker':
        this.placeholder(path, element);
        if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
          this.problem(`${path}/initial_date`, 'must be YYYY-MM-DD');
        }
        return;
      case 'timepicker':
        this.placeholder(path, element);
        if (
          element.initial_time !== undefined &&
          !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(element.initial_time))
        ) {
          this.problem(`${path}/initial_time`, 'must be HH:mm');
        }
        return;
      case 'image':
        this.image(path, element);
        return;
      default:
        if (SELECTS_WITH_PLACEHOLDER.has(type)) this.placeholder(path, element);
        else if (!OTHER_ELEMENTS.has(type))
          this.problem(`${path}/type`, `unknown element type ${JSON.stringify(element.type)}`);
    }
  }

  placeholder(path: string, element: Json): void {
    this.optionalText(`${path}/placeholder`, element.placeholder, L.placeholder, 'placeholder', true);
  }

  options(path: string, value: unknown, max: number, what: string, plainOnly: boolean, min = 0): void {
    for (const [i, o] of this.count(path, value, max, what, min).entries())
      this.option(`${path}/${i}`, o, plainOnly);
  }

  option(path: string, option: unknown, plainOnly: boolean): void {
    if (!isRecord(option)) {
      this.problem(path, 'expected an option object');
      return;
    }
    this.text(`${path}/text`, option.text, L.optionText, 'option text', plainOnly);
    if (typeof option.value !== 'string') this.problem(`${path}/value`, 'required string (option value)');
    this.length(`${path}/value`, option.value, L.optionValue, 'option value');
    this.optionalText(
      `${path}/description`,
      option.description,
      L.optionDescription,
      'option description',
      true,
    );
    this.length(`${path}/url`, option.url, L.url, 'option url');
  }

  confirm(path: string, confirm: unknown): void {
    if (confirm === undefined) return;
    if (!isRecord(confirm)) {
      this.problem(path, 'expected a confirmation dialog object');
      return;
    }
    this.text(`${path}/title`, confirm.title, L.confirmTitle, 'confirm title', true);
    this.text(`${path}/text`, confirm.text, L.confirmText, 'confirm text');
    this.text(`${path}/confirm`, confirm.confirm, L.confirmButton, 'confirm button', true);
    this.text(`${path}/deny`, confirm.deny, L.confirmButton, 'deny button', true);
  }

  view(view: Json, type: 'modal' | 'home'): void {
    if (view.type !== type) this.problem('/type', `must be ${type}`);
    const bytes = Buffer.byteLength(JSON.stringify(view));
    if (bytes > L.viewBytes)
      this.problem('', `${bytes} bytes of JSON, at most ${L.viewBytes} (view_too_large)`);
    this.length('/private_metadata', view.private_metadata, L.privateMetadata, 'private_metadata');
    this.id('/callback_id', view.callback_id, 'callback_id');
    this.id('/external_id', view.external_id, 'external_id');
    if (!Array.isArray(view.blocks)) this.problem('/blocks', 'required array');
    this.blocks('/blocks', view.blocks, L.viewBlocks, `blocks per ${type}`);
  }
}

/** Every limit the surface breaks, as `pointer: problem` lines (empty when valid). */
export function blockKitProblems(surface: Surface, value: unknown): string[] {
  const c = new Checker();
  if (!isRecord(value)) {
    c.problem('', `expected a ${surface} object`);
    return c.problems;
  }
  if (surface === 'message') {
    // Every message needs a text fallback (notifications, screen readers); chat.update rejects > 4000.
    if (typeof value.text !== 'string' || value.text.trim() === '')
      c.problem('/text', 'required non-empty fallback text');
    else c.length('/text', value.text, L.messageText, 'message text');
    c.blocks('/blocks', value.blocks, L.messageBlocks, 'blocks per message');
    return c.problems;
  }
  c.view(value, surface);
  if (surface === 'modal') {
    c.text('/title', value.title, L.modalTitle, 'modal title', true);
    c.optionalText('/close', value.close, L.modalButton, 'modal close', true);
    c.optionalText('/submit', value.submit, L.modalButton, 'modal submit', true);
    const hasInput =
      Array.isArray(value.blocks) && value.blocks.some((b) => isRecord(b) && b.type === 'input');
    // Slack: "[ERROR] must define submit to use input block".
    if (hasInput && (value.submit === undefined || value.submit === null))
      c.problem('/submit', 'required when the modal has input blocks');
  }
  return c.problems;
}

function assertValid(surface: Surface, value: unknown): void {
  const problems = blockKitProblems(surface, value);
  if (problems.length > 0) throw new BlockKitLimitError(surface, problems);
}

/** A message (`chat.postMessage` / `chat.update` arguments, or a respond()/ack body). */
export function assertValidMessage(message: { readonly text?: unknown; readonly blocks?: unknown }): void {
  assertValid('message', message);
}

export function assertValidModal(view: unknown): void {
  assertValid('modal', view);
}

export function assertValidHome(view: unknown): void {
  assertValid('home', view);
}
