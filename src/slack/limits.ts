import { FIELD_LIMITS } from '../domain/validation.js';

// Slack's Block Kit and message limits, in one table. Builders clamp to these; the tests check
// every surface the bot sends against them (test/support/block-kit.ts).
// Sources: https://docs.slack.dev/reference/block-kit/blocks,
// https://docs.slack.dev/reference/block-kit/composition-objects/text-object,
// https://docs.slack.dev/reference/views/modal-views, https://docs.slack.dev/reference/methods/chat.update
export const LIMITS = {
  /** Blocks in one message. */
  messageBlocks: 50,
  /** Blocks in a modal or the Home tab. */
  viewBlocks: 100,
  /** Top-level `text` of a message; chat.update rejects more with msg_too_long. */
  messageText: 4000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  /** plain_text objects in general. */
  plainText: 3000,
  modalTitle: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  textInputMax: 3000,
  blockId: 255,
} as const;

/**
 * What the bot accepts in each free-text input, enforced on the server (a forged submission
 * ignores the modal's max_length): the modal renders these as max_length, and the view
 * submission middleware refuses anything longer before a listener runs.
 */
export const TEXT_LIMITS = {
  customer: FIELD_LIMITS.customer,
  value: 30,
  specialRequirements: FIELD_LIMITS.specialRequirements,
  dealReference: FIELD_LIMITS.dealReference,
  /** Reasons (reject, withdraw, override, changes), conditions and notes. */
  reason: 2000,
  /** Any other text input: Slack's own ceiling for plain_text_input. */
  other: LIMITS.textInputMax,
} as const;

// C0 controls other than \t and \n, DEL, and UTF-16 surrogates without their pair: Slack cannot
// carry them (a lone surrogate is not valid UTF-8; NUL truncates in places).
const UNCARRIABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with every character Slack cannot carry dropped; applied to all text before it is stored. */
export function slackSafe(text: string): string {
  return text.replace(UNCARRIABLE, '');
}
