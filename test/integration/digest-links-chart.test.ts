// The links chart (small multiples) drawn from the golden 8-week history: the same weeks in every
// panel, every panel titled, a week without data a gap, and the alt text saying it in words.
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createDigestReader } from '../../src/db/digest-repo.js';
import { buildTrend } from '../../src/services/weekly-digest.js';
import { CHART_PANELS, renderTrendChart } from '../../src/slack/digest-chart.js';
import { linksAltText } from '../../src/slack/digest-chart-text.js';
import { exampleConfig } from '../support/config.js';
import { FixedClock } from '../support/fixed-clock.js';
import { seedGoldenWeek } from '../support/golden-week.js';

describe('digest chart: one panel per link', () => {
  let db: Db;
  beforeEach(() => {
    db = createDb(':memory:');
    seedGoldenWeek(db);
  });
  afterEach(() => closeDb(db));

  const trend = () =>
    buildTrend(
      {
        reader: createDigestReader(db),
        config: exampleConfig(),
        clock: new FixedClock('2026-11-23T14:00:00Z'),
      },
      '2026-11-18',
    );

  it('when the golden history is charted then each week carries every link’s headline figure, gaps as null', () => {
    const weeks = trend();
    expect(weeks.map((w) => w.weekStart)).toEqual([
      '2026-09-28',
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
    // Requests in and OTIF % by week (the golden history's hand counts).
    expect(weeks.map((w) => w.links?.sales)).toEqual([0, 0, 1, 1, 1, 1, 2, 4]);
    expect(weeks.map((w) => w.links?.execution)).toEqual([null, null, 100, 100, 0, 100, null, 25]);
    expect(weeks.map((w) => w.links?.finance)).toEqual([null, null, 30, 30, 30, 30, 30, 36.5]);
  });

  it('when the chart is rendered then it is a PNG whose panels are titled and whose alt text says every figure', async () => {
    const weeks = trend();
    const png = await renderTrendChart({ weeks, functions: [] });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (process.env.CHART_OUT) writeFileSync(process.env.CHART_OUT, png);
    const { parse, View, Error: level } = await import('vega');
    const { compile } = await import('vega-lite');
    const { chartSpec } = await import('../../src/slack/digest-chart.js');
    const view = new View(parse(compile(chartSpec({ weeks, functions: [] })).spec), {
      renderer: 'none',
      logLevel: level,
    });
    const svg = await view.toSVG();
    view.finalize();
    for (const p of CHART_PANELS) expect(svg).toContain(p.title);
    expect(svg).toContain('16 Nov');
    // Titles are drawn whole, never cut with an ellipsis.
    expect(svg).not.toContain('…');
    const alt = linksAltText(weeks);
    expect(alt).toContain(
      'Execution: on time in full %: no data, no data, 100, 100, 0, 100, no data, 25 (this week 25).',
    );
    expect(alt).toContain('Sales: requests in: 0, 0, 1, 1, 1, 1, 2, 4 (this week 4).');
    expect(alt.length).toBeLessThanOrEqual(1000);
  });
});
