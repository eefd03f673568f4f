import { html } from 'hono/html';
import type { Html } from './layout.js';

/** One bar group of a chart: a label and a value per series. */
export interface ChartPoint {
  readonly label: string;
  readonly values: readonly number[];
}

/** A chart's description: what a screen reader reads, and the table beside it says in full. */
export interface Chart {
  readonly title: string;
  readonly series: readonly string[];
  readonly points: readonly ChartPoint[];
}

const WIDTH = 480;
const HEIGHT = 120;

/**
 * A stacked bar chart as inline SVG, drawn here (no script, no asset). It is `role="img"` with
 * a text alternative naming the totals, and a table of the same numbers follows it for anyone
 * who wants them exactly.
 */
export function barChart(chart: Chart): Html {
  const totals = chart.series.map((_, i) =>
    chart.points.reduce((sum, p) => sum + (p.values[i] ?? 0), 0),
  );
  const max = Math.max(1, ...chart.points.map((p) => p.values.reduce((a, b) => a + b, 0)));
  const slot = WIDTH / Math.max(1, chart.points.length);
  const alt = `${chart.title}: ${chart.series.map((name, i) => `${totals[i]} ${name}`).join(', ')}.`;
  const bars = chart.points.map((point, index) => {
    let top = HEIGHT;
    return point.values.map((value, series) => {
      const h = (value / max) * (HEIGHT - 10);
      top -= h;
      return value > 0
        ? html`<rect
            class="${series === 0 ? 'bar' : 'bar2'}"
            x="${(index * slot + 1).toFixed(1)}"
            y="${top.toFixed(1)}"
            width="${Math.max(1, slot - 2).toFixed(1)}"
            height="${h.toFixed(1)}"
          ></rect>`
        : '';
    });
  });
  return html`<figure>
    <svg
      role="img"
      aria-label="${alt}"
      viewBox="0 0 ${WIDTH} ${HEIGHT + 20}"
      width="100%"
      preserveAspectRatio="none"
    >
      <line class="axis" x1="0" y1="${HEIGHT}" x2="${WIDTH}" y2="${HEIGHT}"></line>
      ${bars}
      <text x="0" y="${HEIGHT + 18}">${chart.points[0]?.label ?? ''}</text>
      <text x="${WIDTH}" y="${HEIGHT + 18}" text-anchor="end">
        ${chart.points.at(-1)?.label ?? ''}
      </text>
    </svg>
    <figcaption>${alt}</figcaption>
  </figure>`;
}
