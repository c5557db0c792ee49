// The digest chart carries its text whatever the host has installed: the renderer loads only the
// font the project ships (dejavu-fonts-ttf) and never the system's, and the upload says in words
// what the chart shows.
import { describe, expect, it } from 'vitest';
import type { TrendWeek } from '../../src/domain/digest.js';
import { CHART_FONT_FILES, rasterise, trendChartSvg } from '../../src/slack/digest-chart.js';
import { linksAltText } from '../../src/slack/digest-chart-text.js';

const week = (weekStart: string, submitted: number, otif: number | null): TrendWeek => ({
  weekStart,
  submitted,
  cleared: 0,
  blocked: 0,
  medianHours: {},
  links: { sales: submitted, execution: otif, quality: null, finance: 30, people: 50, leadership: 0 },
});
const input = {
  weeks: [week('2026-11-09', 4, 75), week('2026-11-16', 6, null)],
  functions: [{ id: 'ops', label: 'Operations' }],
};

/** Pixels of the top `rows` rows that are not white: the first row of panel titles is drawn there. */
function inkInTopRows(image: { pixels: Buffer; width: number }, rows: number): number {
  // resvg's `pixels` getter copies the whole image: read it once.
  const pixels = image.pixels;
  let ink = 0;
  for (let i = 0; i < image.width * rows * 4; i += 4) {
    if ((pixels[i] ?? 255) < 200) ink++;
  }
  return ink;
}

describe('the digest chart', () => {
  it('when rendered with no system fonts then the panel titles are drawn with the shipped font, and nothing without it', async () => {
    const svg = await trendChartSvg(input);
    expect(svg).toContain('Sales: requests in');
    const withFont = await rasterise(svg, CHART_FONT_FILES);
    const withoutFont = await rasterise(svg, []);
    // The top 40 px (zoom 2) hold the first row of panel titles only: with no font resvg draws no glyph there.
    const rows = 40;
    expect(inkInTopRows(withoutFont, rows)).toBe(0);
    expect(inkInTopRows(withFont, rows)).toBeGreaterThan(200);
  });

  it('when the locale is de-DE then the week labels and the alt text use its date words', async () => {
    const svg = await trendChartSvg({ ...input, locale: 'de-DE' });
    expect(svg).toContain('9. Nov.');
    expect(linksAltText(input.weeks, 'de-DE')).toContain(
      'from Mo., 9. Nov. 2026 to the week of Mo., 16. Nov. 2026',
    );
  });

  it('when the chart is uploaded then its alt text gives every panel week by week, a missing week as no data', () => {
    const alt = linksAltText(input.weeks);
    expect(alt).toContain('Six line charts, one per link of the chain, over the 2 weeks from Mon 9 Nov 2026');
    expect(alt).toContain('Sales: requests in: 4, 6 (this week 6).');
    expect(alt).toContain('Execution: on time in full %: 75, no data (this week no data).');
  });
});
