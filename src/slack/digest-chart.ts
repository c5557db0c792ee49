// The digest's 8-week trend chart, rendered here, locally, to PNG: Vega-Lite describes it, Vega
// draws it as SVG in Node (no canvas, no browser), resvg rasterises it. No external service sees
// the figures.
import { createRequire } from 'node:module';
import type { RenderedImage } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { formatDay } from '../domain/calendar.js';
import type { TrendWeek } from '../domain/digest.js';

const require = createRequire(import.meta.url);
/**
 * The chart's font, shipped with the project (the dejavu-fonts-ttf package, a production
 * dependency) and the only one resvg may use: the slim runtime image has no system fonts, and a
 * host's fonts must not change the picture. Regular for labels, bold for titles.
 */
export const CHART_FONT_FAMILY = 'DejaVu Sans';
export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

export interface ChartInput {
  readonly weeks: readonly TrendWeek[];
  readonly functions: readonly { readonly id: string; readonly label: string }[];
  /** BCP 47 locale of the week labels (config `locale`); en-US when absent. */
  readonly locale?: string;
}

function specOf(input: ChartInput): TopLevelSpec {
  // Week labels in the configured locale; ordinal x keeps the data's (chronological) order.
  const label = (day: string) => formatDay(day, input.locale);
  const flow = input.weeks.flatMap((w) => [
    { week: label(w.weekStart), series: 'Requests in', count: w.submitted },
    { week: label(w.weekStart), series: 'Cleared', count: w.cleared },
    { week: label(w.weekStart), series: 'Blocked', count: w.blocked },
  ]);
  const times = input.weeks.flatMap((w) =>
    input.functions.flatMap((f) => {
      const h = w.medianHours[f.id];
      return h === null || h === undefined
        ? []
        : [{ week: label(w.weekStart), function: f.label, hours: Math.round(h * 10) / 10 }];
    }),
  );
  // sort: null keeps the weeks in data order (chronological), not in the labels' alphabetical order.
  const x = {
    field: 'week',
    type: 'ordinal',
    sort: null,
    title: 'Week starting',
    axis: { labelAngle: -30 },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    config: { font: CHART_FONT_FAMILY, view: { stroke: null } },
    // Two charts, two meanings of colour: outcomes in one, functions in the other.
    resolve: { scale: { color: 'independent' } },
    vconcat: [
      {
        title: 'Requests in vs. cleared vs. blocked',
        width: 640,
        height: 200,
        data: { values: flow },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'count', type: 'quantitative', title: 'Requests' },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['Requests in', 'Cleared', 'Blocked'],
              range: ['#4c78a8', '#54a24b', '#e45756'],
            },
          },
        },
      },
      {
        title: 'Median time to decide (business hours)',
        width: 640,
        height: 200,
        data: { values: times },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'hours', type: 'quantitative', title: 'Hours' },
          color: { field: 'function', type: 'nominal', title: null },
        },
      },
    ],
  } as TopLevelSpec;
}

/** The chart as SVG: Vega-Lite compiled, drawn by Vega with no canvas. */
export async function trendChartSvg(input: ChartInput): Promise<string> {
  // Loaded on first use, once a week: Vega, Vega-Lite and resvg cost the always-on bot ~100 MB of
  // resident memory when imported at start-up (measured with npm run bench's footprint figures).
  const [{ parse, Error: VegaErrorLevel, View }, { compile }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
  ]);
  const view = new View(parse(compile(specOf(input)).spec), { renderer: 'none', logLevel: VegaErrorLevel });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rasterises with exactly `fontFiles` and never the host's fonts (tests pass none to compare). */
export async function rasterise(svg: string, fontFiles: readonly string[]): Promise<RenderedImage> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { fontFiles: [...fontFiles], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
  }).render();
}

export async function renderTrendChart(input: ChartInput): Promise<Buffer> {
  return (await rasterise(await trendChartSvg(input), CHART_FONT_FILES)).asPng();
}

/** Slack's limit on a file's screen-reader text (files.getUploadURLExternal: alt_txt_too_large). */
export const ALT_TEXT_MAX = 1000;

/** What the chart shows, in words, for screen readers: every figure, week by week. */
export function chartAltText(input: ChartInput): string {
  const weeks = input.weeks;
  const first = weeks[0]?.weekStart;
  const last = weeks.at(-1)?.weekStart;
  const day = (d: string) => formatDay(d, input.locale);
  if (!first || !last) return 'Trend chart with no weeks to show.';
  const series = (pick: (w: TrendWeek) => number) => weeks.map(pick).join(', ');
  const hours = input.functions.map((f) => {
    const values = weeks.map((w) => {
      const h = w.medianHours[f.id];
      return h === null || h === undefined ? 'none' : String(Math.round(h * 10) / 10);
    });
    return `${f.label} ${values.join(', ')}`;
  });
  const text =
    `Two line charts over the ${weeks.length} weeks starting ${day(first)} to ${day(last)}. ` +
    `Requests in: ${series((w) => w.submitted)}. Cleared: ${series((w) => w.cleared)}. ` +
    `Blocked: ${series((w) => w.blocked)}. ` +
    `Median business hours to decide, per function: ${hours.join('; ')}.`;
  return text.length <= ALT_TEXT_MAX ? text : `${text.slice(0, ALT_TEXT_MAX - 1)}…`;
}
