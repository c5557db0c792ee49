// The digest chart carries its text whatever the host has installed: the renderer loads only the
// font the project ships (dejavu-fonts-ttf) and never the system's, and the upload says in words
// what the chart shows.
import { describe, expect, it } from 'vitest';
import type { TrendWeek } from '../../src/domain/digest.js';
import { CHART_FONT_FILES, chartAltText, rasterise, trendChartSvg } from '../../src/slack/digest-chart.js';

const week = (weekStart: string, submitted: number, cleared: number, blocked: number, ops: number | null) =>
  ({ weekStart, submitted, cleared, blocked, medianHours: { ops, qa: null } }) satisfies TrendWeek;
const input = {
  weeks: [week('2026-11-09', 4, 2, 1, 3.25), week('2026-11-16', 6, 5, 0, null)],
  functions: [
    { id: 'ops', label: 'Operations' },
    { id: 'qa', label: 'Quality' },
  ],
};

/** Pixels of the top `rows` rows that are not white: titles and legend are drawn there. */
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
  it('when rendered with no system fonts then the title is drawn with the shipped font, and nothing without it', async () => {
    const svg = await trendChartSvg(input);
    expect(svg).toContain('Requests in vs. cleared vs. blocked');
    const withFont = await rasterise(svg, CHART_FONT_FILES);
    const withoutFont = await rasterise(svg, []);
    // The top 40 px (zoom 2) hold the first title only: with no font resvg draws no glyph there.
    const rows = 40;
    expect(inkInTopRows(withoutFont, rows)).toBe(0);
    expect(inkInTopRows(withFont, rows)).toBeGreaterThan(200);
  });

  it('when the locale is de-DE then the week labels and the alt text use its date words', async () => {
    const svg = await trendChartSvg({ ...input, locale: 'de-DE' });
    expect(svg).toContain('Mo., 9. Nov. 2026');
    expect(chartAltText({ ...input, locale: 'de-DE' })).toContain(
      'starting Mo., 9. Nov. 2026 to Mo., 16. Nov. 2026.',
    );
  });

  it('when the chart is uploaded then its alt text gives every figure in words', () => {
    expect(chartAltText(input)).toBe(
      'Two line charts over the 2 weeks starting Mon 9 Nov 2026 to Mon 16 Nov 2026. ' +
        'Requests in: 4, 6. Cleared: 2, 5. Blocked: 1, 0. ' +
        'Median business hours to decide, per function: Operations 3.3, none; Quality none, none.',
    );
  });
});
