import { describe, expect, it } from 'vitest';
import { decodeCommandText } from '../../src/slack/mrkdwn.js';

describe('decodeCommandText', () => {
  it('when Slack escaped & < > then they are decoded and mentions are left as they are', () => {
    expect(decodeCommandText('Smith &amp; Sons &lt;rush&gt; <@U0OPS2|olga> <#C1|sales>')).toBe(
      'Smith & Sons <rush> <@U0OPS2|olga> <#C1|sales>',
    );
  });

  it('when the person typed an entity themselves then it survives (decoded once, &amp; last)', () => {
    expect(decodeCommandText('a &amp;lt; b')).toBe('a &lt; b');
  });
});
