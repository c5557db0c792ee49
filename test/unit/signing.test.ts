// The harness signs requests exactly as Slack does, proven against Slack's published worked
// example (docs.slack.dev/authentication/verifying-requests-from-slack) and against Bolt's own
// verifier, so a 401 in the e2e suite means the bot refused, not that the harness mis-signed.
import { readFileSync } from 'node:fs';
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sign } from '../support/signed-requests.js';

const vector = z
  .object({
    signing_secret: z.string(),
    x_slack_request_timestamp: z.string(),
    raw_body: z.string(),
    basestring: z.string(),
    x_slack_signature: z.string(),
  })
  .parse(
    JSON.parse(readFileSync(new URL('../fixtures/slack/signing_test_vector.json', import.meta.url), 'utf8')),
  );

describe('sign', () => {
  it("when given Slack's published example then it reproduces X-Slack-Signature exactly", () => {
    expect(vector.basestring).toBe(`v0:${vector.x_slack_request_timestamp}:${vector.raw_body}`);
    expect(sign(vector.signing_secret, vector.x_slack_request_timestamp, vector.raw_body)).toBe(
      vector.x_slack_signature,
    );
  });

  it('when the timestamp is a number then the signature is the same as for its string', () => {
    const ts = Number(vector.x_slack_request_timestamp);
    expect(sign(vector.signing_secret, ts, vector.raw_body)).toBe(vector.x_slack_signature);
  });

  it("when Bolt's verifier checks a fresh signature then it accepts it, and refuses forged or stale ones", () => {
    const secret = 'test-signing-secret';
    const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
    const now = Math.floor(Date.now() / 1000);
    const check = (signature: string, timestamp: number) =>
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
    expect(check(sign(secret, now, body), now)).toBe(true);
    expect(check(sign('another-secret', now, body), now)).toBe(false);
    expect(check(sign(secret, now, `${body}x`), now)).toBe(false);
    expect(check(sign(secret, now - 360, body), now - 360)).toBe(false);
  });
});
