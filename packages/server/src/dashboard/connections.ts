import type { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { ConnectionSummary, LogEntry } from '@pingone-connect/protocol';
import { deleteConnection } from '../connections/delete.js';
import { listConnections } from '../connections/list.js';
import { readConnection } from '../connections/read.js';
import { connectionSummary } from '../connections/view.js';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { listLogs } from '../journal/list.js';
import type { PageDeps } from './deps.js';
import { optionalText, readFilters } from './filters.js';
import { connectionStatusBadge, levelBadge, queryString, timeCell } from './format.js';
import { frameOf } from './headers.js';
import { csrfField, filterField, layout, type Html, type PageFrame } from './layout.js';
import { deliveriesOf } from './webhooks.js';

const listFilters = z
  .object({
    q: optionalText(),
    organization_id: optionalText(),
    integration_id: optionalText(64),
    status: z
      .enum(['active', 'needs_reauth', ''])
      .optional()
      .transform((v) => v || undefined),
    cursor: optionalText(128),
  })
  .strict();

const connectionId = z.string().min(1).max(64);

/** The events that change a connection's status, for its history. */
const STATUS_EVENTS = new Set([
  'connection.created',
  'connection.updated',
  'connection.refreshed',
  'connection.refresh_failed',
  'connection.expiring',
  'connection.deleted',
]);

function endUserCell(connection: ConnectionSummary): Html {
  const { end_user: user } = connection;
  return html`${user.display_name ?? user.id}${user.email ? html`<br /><span class="muted">${user.email}</span>` : ''}`;
}

/** The head of every table of log entries, for the rows of {@link logRows}. */
export const LOG_COLUMNS = html`<thead>
  <tr>
    <th scope="col">When</th>
    <th scope="col">Level</th>
    <th scope="col">Event</th>
    <th scope="col">Message</th>
  </tr>
</thead>`;

export function logRows(frame: PageFrame, entries: readonly LogEntry[], now: number): Html {
  return entries.map(
    (entry) =>
      html`<tr data-id="${entry.id}">
        <td>${timeCell(entry.at, now)}</td>
        <td>${levelBadge(entry.level)}</td>
        <td>
          <a href="${frame.base}/logs/${entry.id}"><code>${entry.type}</code></a>
        </td>
        <td>${entry.message}</td>
      </tr>`,
  );
}

export function logTable(
  frame: PageFrame,
  entries: readonly LogEntry[],
  now: number,
  caption: string,
): Html {
  if (entries.length === 0) return html`<p class="muted">No entries.</p>`;
  return html`<table>
    <caption>
      ${caption}
    </caption>
    ${LOG_COLUMNS}
    <tbody>
      ${logRows(frame, entries, now)}
    </tbody>
  </table>`;
}

/** Connections: search, one connection, and its actions. */
export function connectionRoutes(app: Hono<AppEnv>, deps: PageDeps): void {
  const { services, base } = deps;

  app.get('/connections', async (c) => {
    const filters = readFilters(listFilters, c.req.query());
    const page = await listConnections(
      services,
      {
        integration_id: filters.integration_id,
        organization_id: filters.organization_id,
        cursor: filters.cursor,
        limit: undefined,
        end_user_id: undefined,
      },
      {
        ...(filters.q ? { endUser: filters.q } : {}),
        ...(filters.status ? { status: filters.status } : {}),
      },
    );
    const frame = frameOf(c, base);
    const now = services.clock();
    const { cursor: _, ...kept } = filters;
    const rows = page.data.map(
      (connection) =>
        html`<tr>
          <td>
            <a href="${base}/connections/${connection.id}"><code>${connection.id}</code></a>
          </td>
          <td>${endUserCell(connection)}</td>
          <td>${connection.organization?.display_name ?? connection.organization?.id ?? '—'}</td>
          <td>${connection.integration_id}</td>
          <td>${connectionStatusBadge(connection.status, connection.status_reason)}</td>
          <td>${timeCell(connection.reauth_by, now)}</td>
          <td>${connection.scopes.join(' ')}</td>
          <td>${timeCell(connection.updated_at, now)}</td>
        </tr>`,
    );
    return c.html(
      layout(frame, {
        title: 'Connections',
        section: 'connections',
        body: html`<form
            class="card filters"
            method="get"
            action="${base}/connections"
            role="search"
            aria-label="Search connections"
          >
            ${filterField('q', 'End user id or e-mail', filters.q)}
            ${filterField('organization_id', 'Organization id', filters.organization_id)}
            ${filterField('integration_id', 'Integration', filters.integration_id)}
            <div>
              <label for="status">Status</label
              ><select id="status" name="status">
                <option value="">any</option>
                <option value="active" ${filters.status === 'active' ? ' selected' : ''}>
                  active
                </option>
                <option
                  value="needs_reauth"
                  ${filters.status === 'needs_reauth' ? ' selected' : ''}
                >
                  needs reauth
                </option>
              </select>
            </div>
            <div><button type="submit">Search</button></div>
          </form>
          ${
            page.data.length === 0
              ? html`<p>No connection matches.</p>`
              : html`<table>
                  <caption>
                    Connections, newest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Id</th>
                      <th scope="col">End user</th>
                      <th scope="col">Organization</th>
                      <th scope="col">Integration</th>
                      <th scope="col">Status</th>
                      <th scope="col">Reauth by</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Last refresh or change</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows}
                  </tbody>
                </table>`
          }
          ${page.next_cursor ? html`<p><a href="${base}/connections${queryString({ ...kept, cursor: page.next_cursor })}" rel="next">Next page</a></p>` : ''}`,
      }),
    );
  });

  app.get('/connections/:id', async (c) => {
    const id = readFilters(connectionId, c.req.param('id'));
    const record = await services.store.connections.find(id);
    if (!record) throw new ApiError('connection_not_found');
    const connection = connectionSummary(record);
    const [logs, deliveries] = await Promise.all([
      listLogs(services, {
        connection_id: id,
        limit: '100',
        attempt_id: undefined,
        cursor: undefined,
      }),
      deliveriesOf(services, frameOf(c, base), id),
    ]);
    const history = logs.data.filter((entry) => STATUS_EVENTS.has(entry.type));
    const frame = frameOf(c, base);
    const now = services.clock();
    const notice =
      c.req.query('refreshed') === '1'
        ? html`<p class="notice" role="status">
            Refreshed: PingOne issued new tokens; the log entry is below.
          </p>`
        : '';
    return c.html(
      layout(frame, {
        title: `Connection ${connection.id}`,
        section: 'connections',
        body: html`${notice}
          <section class="card" aria-labelledby="meta">
            <h2 id="meta">Details</h2>
            <dl>
              <dt>Status</dt>
              <dd>${connectionStatusBadge(connection.status, connection.status_reason)}</dd>
              <dt>End user</dt>
              <dd>
                ${endUserCell(connection)}
                <span class="muted">(<code>${connection.end_user.id}</code>)</span>
              </dd>
              <dt>Organization</dt>
              <dd>
                ${connection.organization ? html`${connection.organization.display_name ?? ''} <code>${connection.organization.id}</code>` : '—'}
              </dd>
              <dt>Integration</dt>
              <dd><code>${connection.integration_id}</code></dd>
              <dt>PingOne account</dt>
              <dd>
                ${connection.provider_account.email ?? connection.provider_account.name ?? ''}
                <code>${connection.provider_account.sub}</code>
              </dd>
              <dt>Scopes</dt>
              <dd>${connection.scopes.join(' ')}</dd>
              <dt>Reauth by</dt>
              <dd>${timeCell(connection.reauth_by, now)}</dd>
              <dt>Created</dt>
              <dd>${timeCell(connection.created_at, now)}</dd>
              <dt>Updated</dt>
              <dd>${timeCell(connection.updated_at, now)}</dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="actions">
            <h2 id="actions">Actions</h2>
            <form method="post" action="${base}/connections/${id}/refresh">
              ${csrfField(frame)}<button type="submit">Refresh now</button>
            </form>
            <p>
              <a class="button secondary" href="${base}/connections/${id}/disconnect"
                >Disconnect…</a
              >
            </p>
          </section>
          <h2>Status history</h2>
          ${logTable(frame, history, now, 'Status changes, newest first')}
          <h2>Log entries</h2>
          ${logTable(frame, logs.data, now, 'Operations log of this connection, newest first')}
          <p>
            <a href="${base}/logs?connection_id=${id}">All of its entries in the operations log</a>
          </p>
          <h2>Webhook deliveries</h2>
          ${deliveries}`,
      }),
    );
  });

  app.post('/connections/:id/refresh', async (c) => {
    const id = readFilters(connectionId, c.req.param('id'));
    // The same call as `GET /connections/:id?refresh=force`; the tokens go nowhere.
    await readConnection(services, id, true);
    return c.redirect(`${base}/connections/${id}?refreshed=1`, 303);
  });

  // The confirmation step is a page of its own, so it works without JavaScript.
  app.get('/connections/:id/disconnect', async (c) => {
    const id = readFilters(connectionId, c.req.param('id'));
    const record = await services.store.connections.find(id);
    if (!record) throw new ApiError('connection_not_found');
    const frame = frameOf(c, base);
    return c.html(
      layout(frame, {
        title: 'Disconnect this connection?',
        section: 'connections',
        body: html`<section class="card">
          <p>
            This revokes at PingOne what PingOne lets us revoke, deletes connection
            <code>${id}</code> of ${record.endUser.email ?? record.endUser.id}, and sends
            <code>connection.deleted</code>. The end user must connect again.
          </p>
          <form method="post" action="${base}/connections/${id}/disconnect">
            ${csrfField(frame)}
            <button type="submit">Disconnect</button>
            <a class="button secondary" href="${base}/connections/${id}">Cancel</a>
          </form>
        </section>`,
      }),
    );
  });

  app.post('/connections/:id/disconnect', async (c) => {
    const id = readFilters(connectionId, c.req.param('id'));
    const result = await deleteConnection(services, id);
    const list = (items: readonly string[]) =>
      items.length === 0
        ? html`<span class="muted">none</span>`
        : items.map((item) => html`<code>${item}</code> `);
    return c.html(
      layout(frameOf(c, base), {
        title: 'Disconnected',
        section: 'connections',
        body: html`<section class="card" role="status">
            <p>Connection <code>${id}</code> is deleted.</p>
            <dl id="revocation">
              <dt>deleted</dt>
              <dd>${String(result.deleted)}</dd>
              <dt>revoked</dt>
              <dd>${list(result.revoked)}</dd>
              <dt>not_revocable</dt>
              <dd>
                ${list(result.not_revocable)}${result.not_revocable.length ? html` <span class="muted">(PingOne does not let us revoke these; they stay valid until they expire or the sign-on session ends)</span>` : ''}
              </dd>
            </dl>
          </section>
          <p><a href="${base}/connections">Back to the connections</a></p>`,
      }),
    );
  });
}
