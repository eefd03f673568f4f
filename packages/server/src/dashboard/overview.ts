import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../context.js';
import { barChart, type Chart } from './charts.js';
import type { PageDeps } from './deps.js';
import { frameOf } from './headers.js';
import { layout } from './layout.js';

const HOUR_MS = 3_600_000;
const HOURS = 24;

/** The events each chart counts: connect flows by outcome, and refreshes that failed. */
const FLOW_EVENTS = {
  succeeded: ['attempt.succeeded'],
  failed: ['connect.failed', 'attempt.failed'],
};
const REFRESH_FAILED = 'connection.refresh_failed';

/** A chart of the last 24 hours, one bar per hour, one series per list of events. */
function hourly(
  title: string,
  series: Record<string, readonly string[]>,
  counts: readonly { event: string; hour: number; count: number }[],
  now: number,
): Chart {
  const first = Math.floor(now / HOUR_MS) * HOUR_MS - (HOURS - 1) * HOUR_MS;
  const names = Object.keys(series);
  const points = Array.from({ length: HOURS }, (_, i) => {
    const hour = first + i * HOUR_MS;
    return {
      label: `${new Date(hour).toISOString().slice(11, 16)} UTC`,
      values: names.map((name) =>
        counts
          .filter((row) => row.hour === hour && series[name]!.includes(row.event))
          .reduce((sum, row) => sum + row.count, 0),
      ),
    };
  });
  return { title, series: names, points };
}

/** `GET /dashboard`: the last day at a glance. */
export function overviewRoutes(app: Hono<AppEnv>, { services, base }: PageDeps): void {
  app.get('/', async (c) => {
    const now = services.clock();
    const since = Math.floor(now / HOUR_MS) * HOUR_MS - (HOURS - 1) * HOUR_MS;
    const { stats } = services.store;
    const events = [...FLOW_EVENTS.succeeded, ...FLOW_EVENTS.failed, REFRESH_FAILED];
    const [counts, { depth }, byIntegration] = await Promise.all([
      stats.hourlyCounts(events, since),
      stats.outboxBacklog(),
      stats.connectionsByStatus(),
    ]);
    const statuses = { active: 0, needs_reauth: 0 };
    for (const row of byIntegration) statuses[row.status] += row.count;
    const flows = hourly('Connect flows in the last 24 hours', FLOW_EVENTS, counts, now);
    const refreshes = hourly(
      'Refresh failures in the last 24 hours',
      { 'refresh failures': [REFRESH_FAILED] },
      counts,
      now,
    );
    const total = (chart: Chart, i: number) =>
      chart.points.reduce((s, p) => s + (p.values[i] ?? 0), 0);
    return c.html(
      layout(frameOf(c, base), {
        title: 'Overview',
        section: 'overview',
        body: html`<div class="grid">
          <section class="card" aria-labelledby="flows">
            <h2 id="flows">Connect flows, last 24 h</h2>
            ${barChart(flows)}
            <table>
              <caption class="sr-only">
                Connect flows by outcome
              </caption>
              <thead>
                <tr>
                  <th scope="col">Outcome</th>
                  <th scope="col">Flows</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">succeeded</th>
                  <td>${total(flows, 0)}</td>
                </tr>
                <tr>
                  <th scope="row">failed</th>
                  <td>${total(flows, 1)}</td>
                </tr>
              </tbody>
            </table>
            <p><a href="${base}/logs?event=connect.failed">Failed flows in the log</a></p>
          </section>
          <section class="card" aria-labelledby="refresh">
            <h2 id="refresh">Refresh failures, last 24 h</h2>
            ${barChart(refreshes)}
            <p>
              <a href="${base}/logs?event=${REFRESH_FAILED}"
                >${total(refreshes, 0)} refresh failures in the log</a
              >
            </p>
          </section>
          <section class="card" aria-labelledby="state">
            <h2 id="state">Now</h2>
            <dl>
              <dt>Webhook outbox</dt>
              <dd>${depth} event(s) waiting to be delivered</dd>
              <dt>Active connections</dt>
              <dd><a href="${base}/connections?status=active">${statuses.active}</a></dd>
              <dt>Needing reauth</dt>
              <dd>
                <a href="${base}/connections?status=needs_reauth">${statuses.needs_reauth}</a>
              </dd>
            </dl>
          </section>
        </div>`,
      }),
    );
  });
}
