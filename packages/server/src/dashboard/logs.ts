import type { Hono } from 'hono';
import { html } from 'hono/html';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { LogEntry } from '@pingone-connect/protocol';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { listLogs, logEntryView, type LogSearch } from '../journal/list.js';
import { listLogsQuery } from '../schemas.js';
import { LOG_COLUMNS, logRows } from './connections.js';
import type { PageDeps } from './deps.js';
import { optionalText, readFilters } from './filters.js';
import { levelBadge, queryString, timeCell } from './format.js';
import { frameOf } from './headers.js';
import { filterField, layout } from './layout.js';

/** A `datetime-local` field or an ISO time; empty is no bound. */
const instant = optionalText(40).refine(
  (value) => value === undefined || !Number.isNaN(Date.parse(value)),
  'must be a date and time',
);

const logFilters = z
  .object({
    event: optionalText(64),
    level: z
      .enum(['info', 'warn', 'error', ''])
      .optional()
      .transform((v) => v || undefined),
    connection_id: optionalText(64),
    attempt_id: optionalText(64),
    integration_id: optionalText(64),
    from: instant,
    to: instant,
    cursor: optionalText(128),
  })
  .strict();

type LogFilters = z.output<typeof logFilters>;

/** Times without a zone are read as UTC, the zone every time on these pages is shown in. */
const epoch = (value: string) =>
  Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);

/** The filters as the API's query (validated by its own schema) and the dashboard's extras. */
function toQueries(filters: LogFilters): {
  query: z.output<typeof listLogsQuery>;
  search: LogSearch;
} {
  const parsed = listLogsQuery.safeParse({
    ...(filters.connection_id ? { connection_id: filters.connection_id } : {}),
    ...(filters.attempt_id ? { attempt_id: filters.attempt_id } : {}),
    ...(filters.cursor ? { cursor: filters.cursor } : {}),
    limit: '50',
  });
  if (!parsed.success)
    throw new ApiError('invalid_request', `${parsed.error.issues[0]?.path.join('.')}: invalid`);
  return {
    query: parsed.data,
    search: {
      ...(filters.event ? { event: filters.event } : {}),
      ...(filters.level ? { level: filters.level } : {}),
      ...(filters.integration_id ? { integrationId: filters.integration_id } : {}),
      ...(filters.from ? { since: epoch(filters.from) } : {}),
      ...(filters.to ? { until: epoch(filters.to) } : {}),
    },
  };
}

/** How often the live tail looks for new entries. */
const TAIL_POLL_MS = 2000;
/** A tail closes after this long; the page's script opens it again (bounded server work per request). */
const TAIL_LIFETIME_MS = 5 * 60_000;

/**
 * The live tail's script: it reads the page's own filters from its event stream's URL, and
 * puts each new entry (already rendered by the server, escaped) at the top of the table. With
 * JavaScript off, the page has a link that loads it again (a timed refresh would move the page
 * under a reader, WCAG 2.2.1).
 */
const TAIL_SCRIPT = `
const table = document.querySelector('#log-rows');
const status = document.querySelector('#tail-status');
const source = new EventSource(table.dataset.stream);
source.addEventListener('entry', (event) => {
  const row = document.createElement('tbody');
  row.innerHTML = event.data;
  const entry = row.firstElementChild;
  if (entry && !table.querySelector('[data-id="' + entry.dataset.id + '"]')) table.prepend(entry);
});
source.addEventListener('open', () => { status.textContent = 'Live: new entries appear at the top.'; });
source.addEventListener('error', () => { status.textContent = 'Live tail paused; reconnecting…'; });
`;

/** The operations log: filters, entry detail, live tail. */
export function logRoutes(app: Hono<AppEnv>, { services, base }: PageDeps): void {
  app.get('/logs', async (c) => {
    const filters = readFilters(logFilters, c.req.query());
    const { query, search } = toQueries(filters);
    const page = await listLogs(services, query, search);
    const frame = frameOf(c, base);
    const now = services.clock();
    const { cursor: _, ...kept } = filters;
    const live = !filters.cursor && !filters.to;
    const field = (name: keyof LogFilters, label: string, type = 'text') =>
      filterField(name, label, filters[name], type);
    return c.html(
      layout(frame, {
        title: 'Operations log',
        section: 'logs',
        ...(live ? { script: TAIL_SCRIPT } : {}),
        body: html`<form
            class="card filters"
            method="get"
            action="${base}/logs"
            role="search"
            aria-label="Filter the log"
          >
            ${field('event', 'Event')}
            <div>
              <label for="level">Level</label
              ><select id="level" name="level">
                <option value="">any</option>
                ${(['info', 'warn', 'error'] as const).map((level) => html`<option value="${level}" ${filters.level === level ? ' selected' : ''}>${level}</option>`)}
              </select>
            </div>
            ${field('connection_id', 'Connection id')} ${field('attempt_id', 'Attempt id')}
            ${field('integration_id', 'Integration')}
            ${field('from', 'From (UTC)', 'datetime-local')}
            ${field('to', 'To (UTC)', 'datetime-local')}
            <div><button type="submit">Filter</button></div>
          </form>
          ${live ? html`<p id="tail-status" role="status" class="muted">Without JavaScript, new entries show when the page is loaded again: <a href="${base}/logs${queryString(kept)}">Refresh now</a></p>` : ''}
          <table>
            <caption>
              Entries, newest first
            </caption>
            ${LOG_COLUMNS}
            <tbody id="log-rows" data-stream="${base}/logs/stream${queryString(kept)}">
              ${logRows(frame, page.data, now)}
            </tbody>
          </table>
          ${page.data.length === 0 ? html`<p class="muted">No entries match.</p>` : ''}
          ${page.next_cursor ? html`<p><a rel="next" href="${base}/logs${queryString({ ...kept, cursor: page.next_cursor })}">Older entries</a></p>` : ''}`,
      }),
    );
  });

  app.get('/logs/stream', async (c) => {
    const filters = readFilters(logFilters, c.req.query());
    const { query, search } = toQueries({ ...filters, cursor: undefined });
    const frame = frameOf(c, base);
    const started = services.clock();
    let newest = (await listLogs(services, { ...query, limit: '1' }, search)).data[0]?.id ?? '';
    return streamSSE(c, async (stream) => {
      const render = async (entry: LogEntry) =>
        String(await logRows(frame, [entry], services.clock()));
      while (!stream.aborted && services.clock() - started < TAIL_LIFETIME_MS) {
        const page = await listLogs(services, query, search);
        const fresh = page.data.filter((entry) => entry.id > newest).reverse();
        for (const entry of fresh) {
          await stream.writeSSE({
            event: 'entry',
            id: entry.id,
            data: (await render(entry)).replace(/\n/g, ''),
          });
          newest = entry.id;
        }
        await stream.sleep(TAIL_POLL_MS);
      }
    });
  });

  app.get('/logs/:id', async (c) => {
    const id = readFilters(z.string().min(1).max(64), c.req.param('id'));
    const row = await services.store.journal.find(id);
    if (!row) throw new ApiError('invalid_request', 'No such log entry.');
    const entry = logEntryView(row);
    const frame = frameOf(c, base);
    const now = services.clock();
    const link = (name: string, value: string | undefined) =>
      value
        ? html`<a href="${base}/logs?${name}=${encodeURIComponent(value)}"
            ><code>${value}</code></a
          >`
        : '—';
    return c.html(
      layout(frame, {
        title: `Log entry ${entry.type}`,
        section: 'logs',
        body: html`<section class="card">
            <dl>
              <dt>Id</dt>
              <dd><code>${entry.id}</code></dd>
              <dt>When</dt>
              <dd>${timeCell(entry.at, now)} <span class="muted">${entry.at}</span></dd>
              <dt>Level</dt>
              <dd>${levelBadge(entry.level)}</dd>
              <dt>Event</dt>
              <dd>${link('event', entry.type)}</dd>
              <dt>Message</dt>
              <dd>${entry.message}</dd>
              <dt>Integration</dt>
              <dd>${link('integration_id', entry.integration_id)}</dd>
              <dt>End user</dt>
              <dd>${entry.end_user_id ?? '—'}</dd>
              <dt>Connection</dt>
              <dd>
                ${entry.connection_id ? html`<a href="${base}/connections/${entry.connection_id}"><code>${entry.connection_id}</code></a>` : '—'}
              </dd>
              <dt>Attempt</dt>
              <dd>${link('attempt_id', entry.attempt_id)}</dd>
            </dl>
          </section>
          <h2>Details</h2>
          ${entry.details ? html`<pre>${JSON.stringify(entry.details, null, 2)}</pre>` : html`<p class="muted">None.</p>`}`,
      }),
    );
  });
}
