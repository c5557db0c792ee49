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
