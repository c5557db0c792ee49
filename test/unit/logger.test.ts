// Logs are one JSON object a line, and never carry a token or a secret, however they are passed.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('debug', (line) => lines.push(line));
  return { lines, logger, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('when context and fields are given then the line is JSON with both, children inheriting context', () => {
    const { logger, parsed } = capture();
    logger.child({ request: 'CG-7' }).info('delivered', { channel: 'C0REQUESTS', ts: '1.000001' });
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'delivered',
        request: 'CG-7',
        channel: 'C0REQUESTS',
        ts: '1.000001',
      }),
    ]);
  });

  it('when a Slack token appears anywhere (message, field, error) then it is redacted', () => {
    const { logger, lines } = capture();
    logger.info('calling with xoxb-1234-5678-abcdef');
    logger.warn('failed', { url: 'https://x/?t=xapp-1-A0-secretvalue' });
    logger.error('boom', new Error('bad token xoxp-9-9-leak'));
    const all = lines.join('\n');
    expect(all).not.toMatch(/xox[bp]-\d|xapp-1-A0/);
    expect(all).toContain('xoxb-[redacted]');
  });

  it('when a field is named like a secret then its value is redacted whatever it looks like', () => {
    const { logger, lines, parsed } = capture();
    logger.info('env', {
      signingSecret: 'plain-looking-signing-secret',
      headers: { authorization: 'Bearer abc', 'x-slack-signature': 'v0=deadbeef' },
      SLACK_BOT_TOKEN: 'not-prefixed',
      signOff: 4,
    });
    expect(lines.join('\n')).not.toMatch(/plain-looking|Bearer abc|deadbeef|not-prefixed/);
    expect(parsed()[0]).toMatchObject({ signingSecret: '[redacted]', signOff: 4 });
  });
});
