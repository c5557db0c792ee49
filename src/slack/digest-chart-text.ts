// The links chart in words, for screen readers (the file's alt text): what each panel shows, week
// by week, and where it ends. Kept beside the renderer, in its own file, so the words follow the
// panels (digest-chart.ts CHART_PANELS).
import { formatDay } from '../domain/calendar.js';
import type { TrendWeek } from '../domain/digest.js';
import { CHART_PANELS } from './digest-chart.js';

/** Slack's limit on a file's screen-reader text (files.getUploadURLExternal: alt_txt_too_large). */
export const LINKS_ALT_TEXT_MAX = 1000;

const num = (n: number) => String(Math.round(n * 100) / 100);

/** "Six line charts, one per link, … Sales: requests in: 0, 1, no data, 4 (this week 4)." */
export function linksAltText(weeks: readonly TrendWeek[], locale = 'en-US'): string {
  const first = weeks[0]?.weekStart;
  const last = weeks.at(-1)?.weekStart;
  if (!first || !last) return 'Trend chart with no weeks to show.';
  const panels = CHART_PANELS.map((p) => {
    const values = weeks.map((w) => w.links?.[p.link] ?? null);
    const shown = values.map((v) => (v === null ? 'no data' : num(v))).join(', ');
    const now = values.at(-1);
    return `${p.title}: ${shown} (this week ${now === null || now === undefined ? 'no data' : num(now)}).`;
  });
  const text = `Six line charts, one per link of the chain, over the ${weeks.length} weeks from ${formatDay(first, locale)} to the week of ${formatDay(last, locale)}; a week with no data is a gap. ${panels.join(' ')}`;
  return text.length <= LINKS_ALT_TEXT_MAX ? text : `${text.slice(0, LINKS_ALT_TEXT_MAX - 1)}…`;
}
