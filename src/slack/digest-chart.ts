// The digest's 8-week trend chart, rendered here, locally, to PNG: Vega-Lite describes it, Vega
// draws it as SVG in Node (no canvas, no browser), resvg rasterises it. No external service sees
// the figures.
import type { TopLevelSpec } from 'vega-lite';
import type { TrendWeek } from '../domain/digest.js';

export interface ChartInput {
  readonly weeks: readonly TrendWeek[];
  readonly functions: readonly { readonly id: string; readonly label: string }[];
}

function specOf(input: ChartInput): TopLevelSpec {
  const flow = input.weeks.flatMap((w) => [
    { week: w.weekStart, series: 'Requests in', count: w.submitted },
    { week: w.weekStart, series: 'Cleared', count: w.cleared },
    { week: w.weekStart, series: 'Blocked', count: w.blocked },
  ]);
  const times = input.weeks.flatMap((w) =>
    input.functions.flatMap((f) => {
      const h = w.medianHours[f.id];
      return h === null || h === undefined
        ? []
        : [{ week: w.weekStart, function: f.label, hours: Math.round(h * 10) / 10 }];
    }),
  );
  const x = { field: 'week', type: 'ordinal', title: 'Week starting', axis: { labelAngle: -30 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    config: { font: 'DejaVu Sans', view: { stroke: null } },
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

export async function renderTrendChart(input: ChartInput): Promise<Buffer> {
  // Loaded on first use, once a week: Vega, Vega-Lite and resvg cost the always-on bot ~100 MB of
  // resident memory when imported at start-up (measured with npm run bench's footprint figures).
  const [{ parse, Error: VegaErrorLevel, View }, { compile }, { Resvg }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('@resvg/resvg-js'),
  ]);
  const view = new View(parse(compile(specOf(input)).spec), { renderer: 'none', logLevel: VegaErrorLevel });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return png.asPng();
}
