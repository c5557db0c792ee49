// The `locale` config key (default en-US): dates and money in messages, the digest and the chart
// follow it; an unknown locale is a config error naming the key.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { formatDay } from '../../src/domain/calendar.js';
import { formatMoney } from '../../src/domain/money.js';
import type { CommitRequest } from '../../src/domain/request.js';
import { renderContext } from '../../src/slack/delivery/dispatch.js';
import { buildThreadNotice } from '../../src/slack/views/negotiation-messages.js';
import { buildProposeDateModal } from '../../src/slack/views/negotiation-modals.js';
import { refusalText } from '../../src/slack/views/refusals.js';
import { buildOutcomeDm, buildParentMessage } from '../../src/slack/views/request-messages.js';
import { exampleConfigObject } from '../support/config.js';

const request: CommitRequest = {
  id: 4,
  version: 1,
  sellerId: 'U0SAM',
  status: 'approved',
  createdAt: new Date('2026-11-23T15:00:00Z'),
  closedAt: null,
  facts: {
    customer: 'Müller GmbH',
    productLineId: 'widgets',
    quantity: 10,
    valueMinor: 123_400,
    deliveryDate: '2027-01-15',
    paymentTermsDays: 30,
    discountPercent: 0,
    specialRequirements: null,
    dealReference: null,
  },
  signOffs: [],
};

describe('locale', () => {
  it('when locale is not set then it is en-US', () => {
    expect(parseConfig(exampleConfigObject()).locale).toBe('en-US');
  });

  it('when locale is not a locale then the config error names the key', () => {
    expect(() => parseConfig({ ...exampleConfigObject(), locale: 'not a locale!' })).toThrow(
      new ConfigError(
        'config: locale: expected a BCP 47 locale that this Node.js knows, such as en-US or de-DE',
      ),
    );
  });

  it('when locale is de-DE then money and dates are written the German way', () => {
    expect(formatMoney(123_400, 'EUR', 'de-DE')).toBe('1.234,00\u00a0€');
    expect(formatDay('2027-01-15', 'de-DE')).toBe('Fr., 15. Jan. 2027');
    expect(formatDay('2027-01-15')).toBe('Fri 15 Jan 2027');
  });

  it('when a de-DE, EUR install sends its messages then blocks and fallbacks use those words', () => {
    const config = parseConfig({ ...exampleConfigObject(), locale: 'de-DE', currency: 'EUR' });
    const ctx = renderContext(config);
    const parent = buildParentMessage(request, ctx);
    const json = JSON.stringify(parent.blocks);
    expect(json).toContain('1.234,00\u00a0€');
    expect(json).toContain('Fr., 15. Jan. 2027');
    expect(parent.text).toContain('by Fr., 15. Jan. 2027, 1.234,00\u00a0€');
    expect(buildOutcomeDm(request, ctx, null).text).toContain('deliver by Fr., 15. Jan. 2027.');
  });

  it('when a de-DE install moves a date, offers to propose one or refuses one then the dates are German', () => {
    const ctx = renderContext(parseConfig({ ...exampleConfigObject(), locale: 'de-DE', currency: 'EUR' }));
    const notice = buildThreadNotice(
      request,
      { type: 'date_moved', signOffId: 7, from: '2027-01-15', to: '2027-02-05' },
      ctx,
    );
    expect(notice.text).toContain('from Fr., 15. Jan. 2027 to *Fr., 5. Feb. 2027*');
    expect(JSON.stringify(notice.blocks)).toContain('Fr., 5. Feb. 2027');

    const meta = { s: 7, v: 1, k: 'k', channel: 'C0REQUESTS', thread: '1.2' };
    const modal = buildProposeDateModal(meta, 'Operations', request, ctx);
    expect(JSON.stringify(modal.blocks)).toContain('asks for delivery by *Fr., 15. Jan. 2027*');

    expect(refusalText({ reason: 'date_not_later', current: '2027-01-15' }, 4, ctx)).toBe(
      'Propose a date later than the requested Fr., 15. Jan. 2027.',
    );
  });
});
