// Typed factories for the payloads Slack sends, shaped like the documented examples in
// shared/slack (slash_command.json, block_actions.json, view_submission.json,
// app_home_opened.json). Ids match the stand-in's workspace so everything lines up; every call
// gets a fresh trigger_id / event_id because Slack never repeats them.
import { randomBytes, randomInt } from 'node:crypto';
import type { SlashCommand, ViewStateValue, ViewSubmitAction } from '@slack/bolt';
import type { AppHomeOpenedEvent } from '@slack/types';
import { INPUT_SUFFIX, REQUEST_BLOCKS } from '../src/slack/ids.js';
import { STAND_IN_WORKSPACE as W } from './slack-stand-in.js';

/** view.state.values: block_id → action_id → value. */
export type StateValues = Record<string, Record<string, ViewStateValue>>;

const TEAM = { id: W.teamId, domain: W.teamDomain } as const;
/** The deprecated verification token; Bolt ignores it but Slack still sends one. */
const VERIFICATION_TOKEN = 'verification-token-not-used';

/** Like Slack's `13345224609.738474920.8088930838d88f008e0`; single use, as on Slack. */
export function triggerId(): string {
  return `${randomInt(1e10, 1e11)}.${randomInt(1e8, 1e9)}.${randomBytes(16).toString('hex')}`;
}

/** A Slack-style timestamp for now: seconds with six decimals. */
export function slackTs(at: Date = new Date()): string {
  const micros = at.getTime() * 1000 + randomInt(0, 1000);
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

/** Where Slack would send respond() calls; SlackClientSim and sendEnvelope point it at the stand-in. */
function hooksUrl(kind: 'commands' | 'actions'): string {
  return `https://hooks.slack.com/${kind}/${W.teamId}/${randomInt(1e11, 1e12)}/${randomBytes(12).toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------------
// Slash command

export interface SlashCommandInput {
  readonly user_id: string;
  readonly text: string;
  readonly channel_id?: string;
  readonly channel_name?: string;
  readonly user_name?: string;
  readonly command?: string;
  readonly trigger_id?: string;
  readonly response_url?: string;
}

/** The form fields of a slash command (a type alias, so it is a `Record<string, string>`). */
export type SlashCommandFields = {
  readonly token: string;
  readonly team_id: string;
  readonly team_domain: string;
  readonly channel_id: string;
  readonly channel_name: string;
  readonly user_id: string;
  readonly user_name: string;
  readonly command: string;
  readonly text: string;
  readonly api_app_id: string;
  readonly is_enterprise_install: string;
  readonly response_url: string;
  readonly trigger_id: string;
};

export function slashCommand(input: SlashCommandInput): SlashCommandFields {
  const fields = {
    token: VERIFICATION_TOKEN,
    team_id: W.teamId,
    team_domain: W.teamDomain,
    channel_id: input.channel_id ?? 'C0SALES',
    channel_name: input.channel_name ?? 'sales',
    user_id: input.user_id,
    user_name: input.user_name ?? input.user_id.toLowerCase(),
    command: input.command ?? '/commit',
    text: input.text,
    api_app_id: W.appId,
    // A string in form bodies (bolt-js AwsLambdaReceiver test body).
    is_enterprise_install: 'false',
    response_url: input.response_url ?? hooksUrl('commands'),
    trigger_id: input.trigger_id ?? triggerId(),
  } satisfies SlashCommand;
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Views (as they appear inside interaction payloads)

export interface ViewInput {
  readonly id?: string;
  readonly type?: 'modal' | 'home';
  readonly callbackId?: string;
  readonly privateMetadata?: string;
  readonly title?: string;
  readonly blocks?: readonly unknown[];
  readonly values?: StateValues;
  readonly externalId?: string;
}

export type ViewPayload = ReturnType<typeof viewPayload>;

/** The `view` object Slack includes in view_submission and view-container block_actions. */
export function viewPayload(input: ViewInput = {}) {
  const id = input.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const values = input.values ?? {};
  const modal = (input.type ?? 'modal') === 'modal';
  const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
  return {
    id,
    team_id: W.teamId,
    type: input.type ?? 'modal',
    blocks: [...(input.blocks ?? inputBlocksFor(values))],
    private_metadata: input.privateMetadata ?? '',
    callback_id: input.callbackId ?? '',
    state: { values },
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('base64url')}`,
    // Home tabs have no title/submit/close (docs Home tab example); modals always have a title.
    ...(modal ? { title: plain(input.title ?? 'Commit Gate') } : {}),
    clear_on_close: false,
    notify_on_close: false,
    close: modal ? plain('Cancel') : null,
    submit: modal ? plain('Submit') : null,
    previous_view_id: null,
    root_view_id: id,
    app_id: W.appId,
    external_id: input.externalId ?? '',
    app_installed_team_id: W.teamId,
    bot_id: W.botId,
  };
}

/** Plausible input blocks for submitted values (Slack echoes the view's blocks). */
function inputBlocksFor(values: StateValues): unknown[] {
  return Object.entries(values).flatMap(([blockId, actions]) =>
    Object.entries(actions).map(([actionId, value]) => ({
      type: 'input',
      block_id: blockId,
      label: { type: 'plain_text', text: blockId, emoji: true },
      optional: false,
      dispatch_action: false,
      element: { type: value.type, action_id: actionId },
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// block_actions

export interface BlockActionInput {
  readonly userId: string;
  readonly actionId: string;
  readonly value: string;
  /** Channel of the clicked message (ignored when `view` is given). */
  readonly channelId?: string;
  readonly messageTs?: string;
  /** Parent ts when the clicked message is a thread reply (container.thread_ts). */
  readonly threadTs?: string;
  readonly blockId?: string;
  /** Button label (Slack echoes `text`). */
  readonly label?: string;
  /** The clicked message's content, echoed as `message`. */
  readonly message?: { readonly text?: string; readonly blocks?: readonly unknown[] };
  /** A click in a view (Home tab by default): container type `view`, no channel, no response_url. */
  readonly view?: ViewInput;
  readonly state?: StateValues;
  readonly responseUrl?: string;
}

/** A button click, shaped like the documented thread-reply and Home tab block_actions payloads. */
export function blockAction(input: BlockActionInput) {
  const action = {
    action_id: input.actionId,
    block_id: input.blockId ?? 'actions',
    text: { type: 'plain_text' as const, text: input.label ?? 'Button', emoji: true },
    value: input.value,
    type: 'button' as const,
    action_ts: slackTs(),
  };
  const common = {
    type: 'block_actions' as const,
    user: {
      id: input.userId,
      username: input.userId.toLowerCase(),
      name: input.userId.toLowerCase(),
      team_id: W.teamId,
    },
    api_app_id: W.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId(),
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
  };
  if (input.view) {
    const view = viewPayload({ type: 'home', ...input.view });
    return {
      ...common,
      container: { type: 'view' as const, view_id: view.id },
      view,
      state: { values: input.state ?? view.state.values },
      actions: [action],
    };
  }
  const channel = input.channelId ?? 'C0CHANNEL';
  const messageTs = input.messageTs ?? slackTs();
  return {
    ...common,
    container: {
      type: 'message' as const,
      message_ts: messageTs,
      channel_id: channel,
      is_ephemeral: false,
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
    },
    channel: { id: channel, name: channel.toLowerCase() },
    message: {
      type: 'message' as const,
      user: W.botUserId,
      bot_id: W.botId,
      app_id: W.appId,
      team: W.teamId,
      ts: messageTs,
      text: input.message?.text ?? '',
      blocks: [...(input.message?.blocks ?? [])],
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs, parent_user_id: W.botUserId }),
    },
    state: { values: input.state ?? {} },
    response_url: input.responseUrl ?? hooksUrl('actions'),
    actions: [action],
  };
}

// ---------------------------------------------------------------------------------------------
// view_submission

export interface ViewSubmissionInput {
  readonly userId: string;
  readonly callbackId: string;
  readonly privateMetadata?: string;
  readonly values: StateValues;
  readonly viewId?: string;
  readonly title?: string;
  readonly blocks?: readonly unknown[];
}

/** A modal submit, like the bolt-python full view_submission body. */
export function viewSubmission(input: ViewSubmissionInput) {
  const payload = {
    type: 'view_submission' as const,
    team: TEAM,
    user: {
      id: input.userId,
      username: input.userId.toLowerCase(),
      name: input.userId.toLowerCase(),
      team_id: W.teamId,
    },
    api_app_id: W.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId(),
    view: viewPayload({
      type: 'modal',
      callbackId: input.callbackId,
      values: input.values,
      ...(input.viewId === undefined ? {} : { id: input.viewId }),
      ...(input.privateMetadata === undefined ? {} : { privateMetadata: input.privateMetadata }),
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.blocks === undefined ? {} : { blocks: input.blocks }),
    }),
    // Only present with response_url_enabled selects; otherwise an empty list.
    response_urls: [],
    is_enterprise_install: false,
  };
  // Checked against Bolt's own declaration so a drift shows up at compile time.
  return payload satisfies Omit<ViewSubmitAction, 'view'> & { view: object };
}

// ---------------------------------------------------------------------------------------------
// Events API

export interface AppHomeOpenedInput {
  readonly userId: string;
  readonly tab?: 'home' | 'messages';
  /** Present only once a Home tab was published for the user (docs). */
  readonly view?: ViewInput;
}

/** An event_callback envelope carrying app_home_opened, with a unique event_id. */
export function appHomeOpened(input: AppHomeOpenedInput) {
  const eventTs = slackTs();
  const event = {
    type: 'app_home_opened' as const,
    user: input.userId,
    // The stand-in's conversations.open gives the same DM id.
    channel: `D${input.userId}`,
    tab: input.tab ?? ('home' as const),
    event_ts: eventTs,
    ...(input.view ? { view: viewPayload({ type: 'home', ...input.view }) } : {}),
  };
  return {
    token: VERIFICATION_TOKEN,
    team_id: W.teamId,
    api_app_id: W.appId,
    // Bolt declares view as @slack/types View; the payload's view is the richer output form.
    event: event satisfies Omit<AppHomeOpenedEvent, 'view'>,
    type: 'event_callback' as const,
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Number(eventTs)),
    authorizations: [
      {
        enterprise_id: null,
        team_id: W.teamId,
        user_id: W.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

// ---------------------------------------------------------------------------------------------
// view.state.values shapes (view_submission.json state_value_shapes_by_element_type)

export const stateValue = {
  text: (value: string | null): ViewStateValue => ({ type: 'plain_text_input', value }),
  /** number_input reports a string (or null when left empty). */
  number: (value: string | number | null): ViewStateValue => ({
    type: 'number_input',
    value: value === null ? null : String(value),
  }),
  date: (value: string | null): ViewStateValue => ({ type: 'datepicker', selected_date: value }),
  select: (value: string | null, label: string = value ?? ''): ViewStateValue => ({
    type: 'static_select',
    selected_option:
      value === null ? null : { text: { type: 'plain_text', text: label, emoji: true }, value },
  }),
  user: (id: string | null): ViewStateValue => ({ type: 'users_select', selected_user: id }),
  users: (ids: readonly string[]): ViewStateValue => ({
    type: 'multi_users_select',
    selected_users: [...ids],
  }),
} as const;

// ---------------------------------------------------------------------------------------------
// The request modal as a seller submits it

/** The request form's fields as Slack submits them (strings; optional ones may be left empty). */
export interface RequestForm {
  readonly customer: string;
  readonly productLineId: string;
  readonly quantity: string;
  readonly value: string;
  readonly deliveryDate: string;
  readonly paymentTermsDays?: string;
  readonly discountPercent?: string;
  readonly specialRequirements?: string | null;
  readonly dealReference?: string | null;
}

/** view.state.values of a submitted request modal (block ids from slack/ids.ts). */
export function requestFormValues(form: RequestForm): StateValues {
  const b = REQUEST_BLOCKS;
  const v = (id: string) => `${id}${INPUT_SUFFIX}`;
  return {
    [b.customer]: { [v(b.customer)]: stateValue.text(form.customer) },
    [b.productLineId]: { [v(b.productLineId)]: stateValue.select(form.productLineId) },
    [b.quantity]: { [v(b.quantity)]: stateValue.number(form.quantity) },
    [b.value]: { [v(b.value)]: stateValue.text(form.value) },
    [b.deliveryDate]: { [v(b.deliveryDate)]: stateValue.date(form.deliveryDate) },
    [b.paymentTermsDays]: { [v(b.paymentTermsDays)]: stateValue.number(form.paymentTermsDays ?? '30') },
    [b.discountPercent]: { [v(b.discountPercent)]: stateValue.number(form.discountPercent ?? '0') },
    [b.specialRequirements]: {
      [v(b.specialRequirements)]: stateValue.text(form.specialRequirements ?? null),
    },
    [b.dealReference]: { [v(b.dealReference)]: stateValue.text(form.dealReference ?? null) },
  };
}
