// The refuse-invalid middleware lets through only ids the bot renders (slack/ids.ts).
import { describe, expect, it } from 'vitest';
import { knownId } from '../../src/slack/middleware/refuse-invalid.js';

describe('knownId', () => {
  const known = ['signoff_approve', /^home_page_\d+$/];
  it('when an id is listed or matches a listed RegExp then it is known', () => {
    expect(knownId(known, 'signoff_approve')).toBe(true);
    expect(knownId(known, 'home_page_3')).toBe(true);
  });
  it('when an id only looks like a listed one (a made-up :suffix too: no listener matches it) then it is unknown', () => {
    expect(knownId(known, 'signoff_approve:CG-12')).toBe(false);
    expect(knownId(known, 'signoff_approve_everything')).toBe(false);
    expect(knownId(known, 'signoff_approv')).toBe(false);
    expect(knownId(known, 'home_page_x')).toBe(false);
    expect(knownId(known, '')).toBe(false);
  });
});
