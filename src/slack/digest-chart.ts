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

/**
 * One panel per link of the chain (small multiples), each that link's headline figure over the
 * same weeks: Execution's is OTIF % by week. Every panel draws one line, so no line can hide
 * another; y scales are the panel's own. A week with nothing to measure is a gap in the line and
 * has no dot. Colours are the Okabe–Ito palette, told apart by colour-blind readers (and each
 * panel is also named, so colour is never the only cue).
 */
export const CHART_PANELS: readonly { readonly link: string; readonly title: string }[] = [
  { link: 'sales', title: 'Sales: requests in' },
  { link: 'execution', title: 'Execution: on time in full %' },
  { link: 'quality', title: 'Quality: issues per delivery' },
  { link: 'finance', title: 'Finance: payment terms, days' },
  { link: 'people', title: 'People: busiest owner %' },
  { link: 'leadership', title: 'Leadership: escalations' },
];
const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

const weekLabels = new Map<string, Intl.DateTimeFormat>();

/** "16 Nov" (en-US) or "16. Nov." (de-DE): the week's Monday, short, in the configured locale. */
function weekLabel(monday: string, locale = 'en-US'): string {
  if (locale === 'en-US') return formatDay(monday).slice(4, -5);
  let f = weekLabels.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    weekLabels.set(locale, f);
  }
  return f.format(new Date(`${monday}T00:00:00Z`));
}

/** The Vega-Lite spec (exported so tests can read the drawn text). */
export function chartSpec(input: ChartInput): TopLevelSpec {
  const weeks = input.weeks.map((w) => weekLabel(w.weekStart, input.locale));
  const values = input.weeks.flatMap((w) =>
    CHART_PANELS.map((p) => ({
      week: weekLabel(w.weekStart, input.locale),
      panel: p.title,
      value: w.links?.[p.link] ?? null,
    })),
  );
  const panels = CHART_PANELS.map((p) => p.title);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    config: { font: CHART_FONT_FAMILY, view: { stroke: '#dddddd' } },
    data: { values },
    facet: {
      field: 'panel',
      type: 'nominal',
      sort: panels,
      title: null,
      header: { labelFontSize: 13, labelFontWeight: 'bold', labelLimit: 0 },
    },
    columns: 3,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 280,
      height: 140,
      encoding: {
        // Every panel the same weeks, in order, even where a link has no value.
        x: {
          field: 'week',
          type: 'ordinal',
          sort: weeks,
          scale: { domain: weeks },
          title: null,
          axis: { labelAngle: -40 },
        },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: true } },
        color: { field: 'panel', type: 'nominal', scale: { domain: panels, range: OKABE_ITO }, legend: null },
      },
      layer: [
        // A null value breaks the path: the week is a gap.
        { mark: { type: 'line', strokeWidth: 2.5, invalid: 'break-paths-show-domains' } },
        // And has no dot (invalid values are filtered from points).
        { mark: { type: 'point', filled: true, size: 50, invalid: 'filter' } },
      ],
    },
  } as TopLevelSpec;
}

export async function trendChartSvg(input: ChartInput): Promise<string> {
  // Loaded on first use, once a week: Vega, Vega-Lite and resvg cost the always-on bot ~100 MB of
  // resident memory when imported at start-up (measured with npm run bench's footprint figures).
  const [{ parse, Error: VegaErrorLevel, View }, { compile }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
  ]);
  // The steps are synchronous JavaScript, each some milliseconds: the event loop runs between them.
  const compiled = compile(chartSpec(input)).spec;
  await turn();
  const runtime = parse(compiled);
  await turn();
  const view = new View(runtime, { renderer: 'none', logLevel: VegaErrorLevel });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Resolves after the I/O and timers already waiting have run (a macrotask, not a microtask). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Rasterises with exactly `fontFiles` and never the host's fonts (tests pass none to compare).
 * On libuv's thread pool (renderAsync), not the event loop: resvg-js 2.6 reads and parses the font
 * files on every render (it takes no font buffers), about 14 of the render's 20 ms, and the
 * picture is the same as the synchronous render's, byte for byte.
 */
export async function rasterise(svg: string, fontFiles: readonly string[]): Promise<RenderedImage> {
  const { renderAsync } = await import('@resvg/resvg-js');
  return renderAsync(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { fontFiles: [...fontFiles], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
  });
}

export async function renderTrendChart(input: ChartInput): Promise<Buffer> {
  const svg = await trendChartSvg(input);
  await turn();
  const image = await rasterise(svg, CHART_FONT_FILES);
  // PNG encoding (~17 ms) is synchronous in resvg-js 2.6: after a turn of the loop.
  await turn();
  return image.asPng();
}
