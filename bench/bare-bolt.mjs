// The baseline: a bare Bolt app with the same Bolt version, the same HTTPReceiver, the same signing
// secret and the same client settings as the bot, whose listeners do nothing but ack. Plain
// JavaScript run on `node` (no tsx), as the bot's dist/ is, so the two are compared like for like;
// it takes its ids from the built dist/slack/ids.js (bench/run.ts builds first). Started as a
// child process by bench/run.ts (PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL,
// BARE_BOT_ID, BARE_BOT_USER_ID).
import { App } from '@slack/bolt';
import { ACTIONS, CALLBACKS, COMMAND } from '../dist/slack/ids.js';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`bare-bolt: ${name} is required`);
  return value;
};

const app = new App({
  token: env('SLACK_BOT_TOKEN'),
  signingSecret: env('SLACK_SIGNING_SECRET'),
  botId: env('BARE_BOT_ID'),
  botUserId: env('BARE_BOT_USER_ID'),
  clientOptions: { slackApiUrl: env('SLACK_API_URL'), retryConfig: { retries: 0 } },
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      },
    },
  ],
});
app.command(COMMAND, async ({ ack }) => {
  await ack();
});
app.action(ACTIONS.approve, async ({ ack }) => {
  await ack();
});
app.view(CALLBACKS.requestModal, async ({ ack }) => {
  await ack();
});

await app.start(Number(env('PORT')));
process.once('SIGTERM', () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
