// Keeps the Block Kit validator honest: every limit it claims to check fails on a surface that
// breaks exactly that limit (and reports exactly one problem, at the right JSON pointer), and a
// surface sitting exactly on each limit passes. Limits: test/support/block-kit.ts (from docs.slack.dev).
import { describe, expect, it } from 'vitest';
import {
  assertValidHome,
  assertValidMessage,
  assertValidModal,
  BlockKitLimitError,
  blockKitProblems,
  type Surface,
} from '../support/block-kit.js';

type Obj = Record<string, unknown>;

const x = (n: number) => 'x'.repeat(n);
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

const section = (text = 'Hello', extra: Obj = {}) => ({ type: 'section', text: mrkdwn(text), ...extra });
const header = (text = 'CG-1') => ({ type: 'header', text: plain(text) });
const context = (elements: unknown[]) => ({ type: 'context', elements });
const button = (extra: Obj = {}) => ({
  type: 'button',
  action_id: 'approve',
  text: plain('Approve'),
  value: '1',
  ...extra,
});
const actions = (elements: unknown[], extra: Obj = {}) => ({ type: 'actions', elements, ...extra });
const option = (text = 'Widgets', value = 'widgets') => ({ text: plain(text), value });
const select = (options: unknown[], extra: Obj = {}) => ({
  type: 'static_select',
  action_id: 'pick',
  placeholder: plain('Pick one'),
  options,
  ...extra,
});
const textInput = (extra: Obj = {}) => ({ type: 'plain_text_input', action_id: 'customer_input', ...extra });
const input = (element: unknown = textInput(), extra: Obj = {}) => ({
  type: 'input',
  block_id: 'customer',
  label: plain('Customer'),
  element,
  ...extra,
});

const message = (blocks: unknown[], text = 'CG-1 needs a sign-off') => ({ text, blocks });
const modal = (blocks: unknown[], extra: Obj = {}) => ({
  type: 'modal',
  callback_id: 'request_modal',
  private_metadata: '{"channel":"C0SALES"}',
  title: plain('New request'),
  submit: plain('Submit'),
  close: plain('Cancel'),
  blocks,
  ...extra,
});
const home = (blocks: unknown[], extra: Obj = {}) => ({ type: 'home', blocks, ...extra });

const goodMessage = message([
  header(),
  section('*Acme Corp* wants 120 widgets', {
    block_id: 'summary',
    fields: [mrkdwn('*Value*\n$75,000.00'), mrkdwn('*Terms*\n60 days')],
    accessory: select([option()]),
  }),
  actions(
    [
      button({ style: 'primary', value: '{"s":1,"v":1}' }),
      button({
        action_id: 'reject',
        text: plain('Reject'),
        style: 'danger',
        confirm: {
          title: plain('Reject?'),
          text: mrkdwn('Sure?'),
          confirm: plain('Reject'),
          deny: plain('Back'),
        },
      }),
    ],
    { block_id: 'decide' },
  ),
  context([
    mrkdwn('Asked 2 hours ago'),
    { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'icon' },
  ]),
  { type: 'divider' },
]);

const goodModal = modal([
  input(textInput({ placeholder: plain('Who is buying?'), max_length: 200, initial_value: 'Acme' })),
  input(
    { type: 'number_input', action_id: 'quantity_input', is_decimal_allowed: false, initial_value: '10' },
    { block_id: 'quantity', label: plain('Quantity') },
  ),
  input(
    { type: 'datepicker', action_id: 'date_input', initial_date: '2027-02-01' },
    { block_id: 'date', label: plain('Delivery date') },
  ),
  input(select([option(), option('Gadgets', 'gadgets')], { initial_option: option() }), {
    block_id: 'line',
    label: plain('Product line'),
  }),
  input(textInput({ multiline: true }), {
    block_id: 'notes',
    label: plain('Notes'),
    optional: true,
    hint: plain('Anything special'),
  }),
]);

const goodHome = home([header('Your requests'), section('Nothing pending'), actions([button()])]);

const assertions: Record<Surface, (value: never) => void> = {
  message: assertValidMessage,
  modal: assertValidModal,
  home: assertValidHome,
};

describe('Block Kit validator on good surfaces', () => {
  it('when a realistic message, modal and Home tab are checked then they pass', () => {
    expect(blockKitProblems('message', goodMessage)).toEqual([]);
    expect(blockKitProblems('modal', goodModal)).toEqual([]);
    expect(blockKitProblems('home', goodHome)).toEqual([]);
    expect(() => assertValidMessage(goodMessage)).not.toThrow();
    expect(() => assertValidModal(goodModal)).not.toThrow();
    expect(() => assertValidHome(goodHome)).not.toThrow();
  });

  it.each<[string, Surface, unknown]>([
    ['50 blocks in a message', 'message', message(many(50, () => ({ type: 'divider' })))],
    ['4000 characters of message text', 'message', message([], x(4000))],
    ['3000 characters of section text', 'message', message([section(x(3000))])],
    [
      '10 section fields of 2000 characters',
      'message',
      message([section('s', { fields: many(10, () => mrkdwn(x(2000))) })]),
    ],
    ['a 150-character header', 'message', message([header(x(150))])],
    [
      '25 buttons in an actions block',
      'message',
      message([actions(many(25, (i) => button({ action_id: `b${i}` })))]),
    ],
    ['10 context elements', 'message', message([context(many(10, () => mrkdwn('c')))])],
    [
      'button text 75 and value 2000',
      'message',
      message([actions([button({ text: plain(x(75)), value: x(2000) })])]),
    ],
    [
      '100 options of 75/150 characters',
      'message',
      message([actions([select(many(100, (i) => option(x(75), `${i}`.padEnd(150, 'v'))))])]),
    ],
    [
      'block_id and action_id of 255',
      'message',
      message([actions([button({ action_id: x(255) })], { block_id: x(255) })]),
    ],
    ['100 blocks in a modal', 'modal', modal(many(100, () => ({ type: 'divider' })))],
    [
      '24-character modal title, submit and close',
      'modal',
      modal([input()], { title: plain(x(24)), submit: plain(x(24)), close: plain(x(24)) }),
    ],
    ['3000 characters of private_metadata', 'modal', modal([], { private_metadata: x(3000) })],
    ['a 150-character placeholder', 'modal', modal([input(textInput({ placeholder: plain(x(150)) }))])],
    ['a 2000-character input label', 'modal', modal([input(textInput(), { label: plain(x(2000)) })])],
    ['plain_text_input max_length 3000', 'modal', modal([input(textInput({ max_length: 3000 }))])],
    ['a modal without inputs and without submit', 'modal', modal([section()], { submit: undefined })],
    ['100 blocks on a Home tab', 'home', home(many(100, () => ({ type: 'divider' })))],
  ])('when a surface has exactly %s then it passes', (_name, surface, value) => {
    expect(blockKitProblems(surface, value)).toEqual([]);
  });
});

describe('Block Kit validator on surfaces that break a limit', () => {
  const bigSection = section(x(3000));
  it.each<[string, Surface, unknown, string]>([
    // message
    ['51 blocks in a message', 'message', message(many(51, () => ({ type: 'divider' }))), '/blocks'],
    ['no fallback text', 'message', message([section()], ''), '/text'],
    ['blank fallback text', 'message', message([section()], '   '), '/text'],
    ['message text over 4000', 'message', message([], x(4001)), '/text'],
    ['section text over 3000', 'message', message([section(x(3001))]), '/blocks/0/text/text'],
    ['an empty text object', 'message', message([section('')]), '/blocks/0/text/text'],
    [
      'a text object of an unknown type',
      'message',
      message([{ type: 'section', text: { type: 'html', text: 'hi' } }]),
      '/blocks/0/text/type',
    ],
    [
      '11 section fields',
      'message',
      message([section('s', { fields: many(11, () => mrkdwn('f')) })]),
      '/blocks/0/fields',
    ],
    [
      'a section field over 2000',
      'message',
      message([section('s', { fields: [mrkdwn(x(2001))] })]),
      '/blocks/0/fields/0/text',
    ],
    ['a section without text or fields', 'message', message([{ type: 'section' }]), '/blocks/0'],
    ['a header over 150', 'message', message([header(x(151))]), '/blocks/0/text/text'],
    [
      'a mrkdwn header',
      'message',
      message([{ type: 'header', text: mrkdwn('*CG-1*') }]),
      '/blocks/0/text/type',
    ],
    [
      '26 elements in an actions block',
      'message',
      message([actions(many(26, (i) => button({ action_id: `b${i}` })))]),
      '/blocks/0/elements',
    ],
    ['an empty actions block', 'message', message([actions([])]), '/blocks/0/elements'],
    ['11 context elements', 'message', message([context(many(11, () => mrkdwn('c')))]), '/blocks/0/elements'],
    [
      'button text over 75',
      'message',
      message([actions([button({ text: plain(x(76)) })])]),
      '/blocks/0/elements/0/text/text',
    ],
    [
      'button value over 2000',
      'message',
      message([actions([button({ value: x(2001) })])]),
      '/blocks/0/elements/0/value',
    ],
    [
      'a button style Slack does not have',
      'message',
      message([actions([button({ style: 'secondary' })])]),
      '/blocks/0/elements/0/style',
    ],
    [
      'confirm title over 100',
      'message',
      message([
        actions([
          button({
            confirm: { title: plain(x(101)), text: mrkdwn('t'), confirm: plain('y'), deny: plain('n') },
          }),
        ]),
      ]),
      '/blocks/0/elements/0/confirm/title/text',
    ],
    [
      '101 select options',
      'message',
      message([actions([select(many(101, (i) => option('o', `v${i}`)))])]),
      '/blocks/0/elements/0/options',
    ],
    [
      'option text over 75',
      'message',
      message([actions([select([option(x(76))])])]),
      '/blocks/0/elements/0/options/0/text/text',
    ],
    [
      'option value over 150',
      'message',
      message([actions([select([option('o', x(151))])])]),
      '/blocks/0/elements/0/options/0/value',
    ],
    [
      'a select with options and option_groups',
      'message',
      message([actions([select([option()], { option_groups: [] })])]),
      '/blocks/0/elements/0',
    ],
    ['a block_id over 255', 'message', message([section('s', { block_id: x(256) })]), '/blocks/0/block_id'],
    [
      'an action_id over 255',
      'message',
      message([actions([button({ action_id: x(256) })])]),
      '/blocks/0/elements/0/action_id',
    ],
    [
      'two blocks with one block_id',
      'message',
      message([section('a', { block_id: 'same' }), section('b', { block_id: 'same' })]),
      '/blocks/1/block_id',
    ],
    [
      'two buttons with one action_id in a block',
      'message',
      message([actions([button(), button()])]),
      '/blocks/0/elements/1/action_id',
    ],
    ['an unknown block type', 'message', message([{ type: 'carousel' }]), '/blocks/0/type'],
    [
      'an unknown element type',
      'message',
      message([actions([{ type: 'slider', action_id: 's' }])]),
      '/blocks/0/elements/0/type',
    ],
    [
      'an image without alt_text',
      'message',
      message([context([{ type: 'image', image_url: 'https://example.com/a.png' }])]),
      '/blocks/0/elements/0/alt_text',
    ],
    // modal
    ['101 blocks in a modal', 'modal', modal(many(101, () => ({ type: 'divider' }))), '/blocks'],
    ['no modal title', 'modal', modal([], { title: undefined }), '/title'],
    ['a modal title over 24', 'modal', modal([], { title: plain(x(25)) }), '/title/text'],
    ['a submit label over 24', 'modal', modal([input()], { submit: plain(x(25)) }), '/submit/text'],
    ['a close label over 24', 'modal', modal([], { close: plain(x(25)) }), '/close/text'],
    ['inputs but no submit button', 'modal', modal([input()], { submit: undefined }), '/submit'],
    ['private_metadata over 3000', 'modal', modal([], { private_metadata: x(3001) }), '/private_metadata'],
    ['a callback_id over 255', 'modal', modal([], { callback_id: x(256) }), '/callback_id'],
    [
      'a placeholder over 150',
      'modal',
      modal([input(textInput({ placeholder: plain(x(151)) }))]),
      '/blocks/0/element/placeholder/text',
    ],
    [
      'an input label over 2000',
      'modal',
      modal([input(textInput(), { label: plain(x(2001)) })]),
      '/blocks/0/label/text',
    ],
    [
      'an input hint over 2000',
      'modal',
      modal([input(textInput(), { hint: plain(x(2001)) })]),
      '/blocks/0/hint/text',
    ],
    [
      'an input without a label',
      'modal',
      modal([input(textInput(), { label: undefined })]),
      '/blocks/0/label',
    ],
    [
      'plain_text_input max_length over 3000',
      'modal',
      modal([input(textInput({ max_length: 3001 }))]),
      '/blocks/0/element/max_length',
    ],
    [
      'an initial_value longer than max_length',
      'modal',
      modal([input(textInput({ max_length: 5, initial_value: 'Acme Corp' }))]),
      '/blocks/0/element/initial_value',
    ],
    [
      'a number_input without is_decimal_allowed',
      'modal',
      modal([input({ type: 'number_input', action_id: 'q' })]),
      '/blocks/0/element/is_decimal_allowed',
    ],
    [
      'a datepicker date that is not YYYY-MM-DD',
      'modal',
      modal([input({ type: 'datepicker', action_id: 'd', initial_date: '01/02/2027' })]),
      '/blocks/0/element/initial_date',
    ],
    ['view JSON over 250 kB', 'modal', modal(many(90, (i) => ({ ...bigSection, block_id: `b${i}` }))), ''],
    ['a view of the wrong type', 'modal', modal([], { type: 'home' }), '/type'],
    // home
    ['101 blocks on a Home tab', 'home', home(many(101, () => ({ type: 'divider' }))), '/blocks'],
    [
      'Home tab private_metadata over 3000',
      'home',
      home([], { private_metadata: x(3001) }),
      '/private_metadata',
    ],
    ['a Home tab header over 150', 'home', home([header(x(151))]), '/blocks/0/text/text'],
  ])('when %s then exactly that problem is reported', (_name, surface, value, pointer) => {
    const problems = blockKitProblems(surface, value);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(`${pointer || '/'}: `)).toBe(true);
    expect(() => assertions[surface](value as never)).toThrow(BlockKitLimitError);
  });

  it('when several limits are broken then the error lists every one with its pointer', () => {
    const bad = modal([input(textInput(), { label: plain(x(2001)) })], {
      title: plain(x(30)),
      submit: undefined,
    });
    expect(() => assertValidModal(bad)).toThrow(
      /modal violates Block Kit limits:\n {2}\/blocks\/0\/label\/text: 2001 characters, at most 2000 \(input label\)\n {2}\/title\/text: 30 characters, at most 24 \(modal title\)\n {2}\/submit: required/,
    );
  });
});
