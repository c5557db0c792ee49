import { describe, expect, it } from 'vitest';
import { type CapacityCheck, outlookOf, type WeekOutlook, weeksFrom } from '../../src/domain/capacity.js';
import { parseCapacityArgs } from '../../src/slack/listeners/commands/subcommands/capacity.js';
import {
  buildCapacityDigestBlocks,
  buildCapacityOverview,
  buildCapacitySet,
  capacityTable,
} from '../../src/slack/views/capacity.js';
import { buildCapacityCheckBlock, capacityCheckText } from '../../src/slack/views/capacity-check.js';
import type { RenderContext } from '../../src/slack/views/render-context.js';
import { assertValidMessage } from '../support/block-kit.js';

const ctx: RenderContext = {
  currency: 'USD',
  productLines: [
    { id: 'widgets', name: 'Widgets', unit: 'units' },
    { id: 'evil', name: '<!channel> *Bold* & co', unit: 'x'.repeat(30) },
  ],
};

const check = (over: Partial<Extract<CapacityCheck, { capacity: number }>> = {}): CapacityCheck => ({
  verdict: 'fits',
  productLineId: 'widgets',
  weekStart: '2026-12-07',
  capacity: 500,
  overridden: false,
  firm: 100,
  tentative: 50,
  thisRequest: 120,
  overBy: 0,
  earliestFeasibleDate: '2026-12-09',
  horizonWeeks: 0,
  ...over,
});

const outlook = (weekStart: string, firm: number, tentative = 0, capacity = 500): WeekOutlook =>
  outlookOf({ weekStart, capacity, overridden: capacity !== 500, firm, tentative });

describe('the capacity check on messages', () => {
  it('when each verdict is rendered then it leads with the verdict and gives the numbers', () => {
    expect(capacityCheckText(check(), ctx)).toBe(
      ':large_green_circle: *Capacity: fits.*\nWeek of Mon 7 Dec 2026: capacity 500 units; firm 100, tentative 50, this request 120: 270 in all.',
    );
    expect(
      capacityCheckText(
        check({ verdict: 'over', overBy: 1250, earliestFeasibleDate: null, horizonWeeks: 26 }),
        ctx,
      ),
    ).toContain(':red_circle: *Capacity: over by 1,250 units.*');
    expect(
      capacityCheckText(check({ verdict: 'over', earliestFeasibleDate: null, horizonWeeks: 26 }), ctx),
    ).toContain('No week in the next 26 weeks has room for it.');
    expect(
      capacityCheckText(
        check({ verdict: 'fits_if_pending_fall_through', overBy: 20, overridden: true }),
        ctx,
      ),
    ).toContain('capacity 500 units (set by operations for this week)');
    expect(
      capacityCheckText(
        { verdict: 'no_capacity_configured', productLineId: 'evil', weekStart: '2026-12-07' },
        ctx,
      ),
    ).toContain('&lt;!channel&gt;');
  });

  it('when a product line name carries markup then the block escapes it and stays valid', () => {
    const block = buildCapacityCheckBlock(
      check({ productLineId: 'evil', verdict: 'over', overBy: 999_999_999 }),
      ctx,
    );
    expect(JSON.stringify(block)).not.toContain('<!channel>');
    assertValidMessage({ text: 'check', blocks: [block] });
  });
});

describe('/commit capacity arguments', () => {
  it('when words are given then they parse into overview, one line, or a week or range to set', () => {
    expect(parseCapacityArgs('')).toEqual({ kind: 'overview' });
    expect(parseCapacityArgs('widgets')).toEqual({ kind: 'line', line: 'widgets' });
    expect(parseCapacityArgs(' widgets  2026-12-07   300 ')).toEqual({
      kind: 'set',
      line: 'widgets',
      from: '2026-12-07',
      to: '2026-12-07',
      capacity: 300,
    });
    expect(parseCapacityArgs('widgets 2026-12-07..2027-01-03 0')).toMatchObject({
      kind: 'set',
      from: '2026-12-07',
      to: '2027-01-03',
      capacity: 0,
    });
  });

  it('when the words are wrong then the answer explains, escaping what was typed', () => {
    expect(parseCapacityArgs('widgets 2026-12-07')).toMatchObject({ kind: 'invalid' });
    expect(parseCapacityArgs('widgets 2026-12-07 300 extra')).toMatchObject({ kind: 'invalid' });
    expect(parseCapacityArgs('widgets 2026-02-30 300')).toMatchObject({ kind: 'invalid' });
    expect(parseCapacityArgs('widgets 2026-12-07..x 300')).toMatchObject({ kind: 'invalid' });
    expect(parseCapacityArgs('widgets 2026-12-07 -5')).toMatchObject({ kind: 'invalid' });
    const odd = parseCapacityArgs('widgets <!here> 1');
    expect(odd.kind === 'invalid' && odd.message).toContain('&lt;!here&gt;');
  });
});

describe('the capacity table', () => {
  it('when weeks are shown then columns line up and flags mark over 90% and over 100%', () => {
    const table = capacityTable([
      outlook('2026-11-23', 0, 460),
      outlook('2026-11-30', 300, 250),
      outlook('2026-12-07', 0, 0, 0),
    ]);
    expect(table.split('\n')).toEqual([
      'Week of          Capacity    Firm   Tent.    Free   Load',
      'Mon 23 Nov 2026      500        0     460      40    92%  !  over 90%',
      'Mon 30 Nov 2026      500      300     250       0   110%  !! over 100%',
      'Mon 7 Dec 2026         0*       0       0       0     0%',
    ]);
  });

  it('when there are more product lines than blocks allow then the overview still fits Slack limits', () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({
      productLineId: `l${i}`,
      name: `Line ${i} ${'n'.repeat(50)}`,
      unit: 'u'.repeat(30),
      weeks: i % 2 ? null : weeksFrom('2026-11-23', 8).map((w) => outlook(w, 999_999, 999_999, 1_000_000)),
    }));
    assertValidMessage(buildCapacityOverview(lines, 8));
  });

  it('when two years of weeks are set at once then the reply cuts whole rows and stays valid', () => {
    const weeks = weeksFrom('2026-11-23', 104).map((w) => outlook(w, 10, 0, 300));
    const message = buildCapacitySet({ name: 'Widgets', unit: 'units' }, 300, { ok: true, weeks });
    assertValidMessage(message);
    expect(message.text).toContain(
      '104 weeks, from the week of Mon 23 Nov 2026 to the week of Mon 13 Nov 2028',
    );
    expect(JSON.stringify(message.blocks)).toContain('…and 74 more weeks.');
  });
});

describe('the digest section', () => {
  it('when the next 4 weeks are summarised then weeks over 90% and over 100% are marked and unchecked lines named', () => {
    const weeks = weeksFrom('2026-11-23', 4);
    const blocks = buildCapacityDigestBlocks([
      {
        productLineId: 'widgets',
        name: 'Widgets',
        unit: 'units',
        weeks: [
          outlook(weeks[0] ?? '', 460),
          outlook(weeks[1] ?? '', 300, 251),
          outlook(weeks[2] ?? '', 0),
          outlook(weeks[3] ?? '', 5, 0, 0),
        ],
      },
      { productLineId: 'gadgets', name: 'Gadgets', unit: 'boxes', weeks: null },
    ]);
    assertValidMessage({ text: 'digest', blocks });
    const text = JSON.stringify(blocks);
    expect(text).toContain(
      '*Widgets* · :large_yellow_circle: 23 Nov: 460/500 (92%) · :red_circle: 30 Nov: 551/500 (110%) · 7 Dec: 0/500 (0%) · :red_circle: 14 Dec: 5/0 (over)',
    );
    expect(text).toContain('Not checked (no capacity per week): Gadgets');
  });
});
