import type { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { WebhookDelivery } from '@pingone-connect/protocol';
import type { AppEnv, Services } from '../context.js';
import { invalidRequest } from '../errors.js';
import { listWebhookDeliveriesQuery } from '../schemas.js';
import { listDeliveries, redeliver } from '../webhooks/deliveries.js';
import type { PageDeps } from './deps.js';
import { optionalText, readFilters } from './filters.js';
import { badge, queryString, timeCell } from './format.js';
import { frameOf } from './headers.js';
import { csrfField, filterField, layout, type Html, type PageFrame } from './layout.js';

const filters = z
  .object({
    outcome: optionalText(16),
    event_type: optionalText(64),
    event_id: optionalText(64),
    connection_id: optionalText(64),
    cursor: optionalText(128),
    redelivered: optionalText(1),
  })
  .strict();

type Filters = z.output<typeof filters>;

/** The page's filters as the API's query, checked by the API's own schema. */
function apiQuery(filters: Filters, limit: string) {
  const { redelivered: _, ...rest } = filters;
  const parsed = listWebhookDeliveriesQuery.safeParse({
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
    limit,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidRequest(`${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function outcomeBadge(delivery: WebhookDelivery): Html {
  switch (delivery.outcome) {
    case 'delivered':
      return badge('delivered', 'ok');
    case 'failed':
      return badge('failed', 'bad');
    case 'error':
      return badge('no answer', 'warn');
  }
}

/** Delivery attempts as a table, each with its Redeliver button. */
function deliveryTable(
  frame: PageFrame,
  deliveries: readonly WebhookDelivery[],
  now: number,
): Html {
  if (deliveries.length === 0) return html`<p class="muted">No delivery attempts.</p>`;
  return html`<table>
    <caption>
      Delivery attempts, newest first
    </caption>
    <thead>
      <tr>
        <th scope="col">Started</th>
        <th scope="col">Event</th>
        <th scope="col">Attempt</th>
        <th scope="col">Outcome</th>
        <th scope="col">Response</th>
        <th scope="col">Duration</th>
        <th scope="col">Next try</th>
        <th scope="col"><span class="sr-only">Action</span></th>
      </tr>
    </thead>
    <tbody>
      ${deliveries.map(
        (delivery) =>
          html`<tr data-delivery="${delivery.id}">
            <td>${timeCell(delivery.started_at, now)}</td>
            <td>
              <a href="${frame.base}/webhooks?event_id=${delivery.event_id}"
                ><code>${delivery.event_type}</code></a
              ><br /><span class="muted mono">${delivery.event_id}</span>
            </td>
            <td>
              ${delivery.attempt}${delivery.redelivery ? html` ${badge('redelivery', 'info')}` : ''}
            </td>
            <td>
              ${outcomeBadge(delivery)}${delivery.error ? html`<br /><span class="muted">${delivery.error}</span>` : ''}
            </td>
            <td>${delivery.response_status ?? '—'}</td>
            <td>${delivery.duration_ms} ms</td>
            <td>${timeCell(delivery.next_attempt_at, now)}</td>
            <td>
              <form method="post" action="${frame.base}/webhooks/${delivery.event_id}/redeliver">
                ${csrfField(frame)}<button
                  type="submit"
                  class="secondary"
                  aria-label="Redeliver ${delivery.event_type} ${delivery.event_id}"
                >
                  Redeliver
                </button>
              </form>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A connection's webhook deliveries, for its page. */
export async function deliveriesOf(
  services: Services,
  frame: PageFrame,
  connectionId: string,
): Promise<Html> {
  const page = await listDeliveries(
    services,
    apiQuery({ connection_id: connectionId } as Filters, '50'),
  );
  return html`${deliveryTable(frame, page.data, services.clock())}
    <p>
      <a href="${frame.base}/webhooks?connection_id=${connectionId}">All of its deliveries</a>
    </p>`;
}

/** Webhook deliveries: every attempt, filtered, and redelivery (DESIGN §4.7). */
export function webhookRoutes(app: Hono<AppEnv>, { services, base }: PageDeps): void {
  app.get('/webhooks', async (c) => {
    const chosen = readFilters(filters, c.req.query());
    const page = await listDeliveries(services, apiQuery(chosen, '50'));
    const frame = frameOf(c, base);
    const { cursor: _, redelivered: __, ...kept } = chosen;
    const option = (value: string, label: string) =>
      html`<option value="${value}" ${chosen.outcome === value ? ' selected' : ''}>
        ${label}
      </option>`;
    return c.html(
      layout(frame, {
        title: 'Webhook deliveries',
        section: 'webhooks',
        body: html`${chosen.redelivered ? html`<p class="notice" role="status">Queued for redelivery with the same <code>webhook-id</code>; its new attempt appears here once sent. <a href="${base}/webhooks${queryString(kept)}">Refresh</a></p>` : ''}
          <form
            class="card filters"
            method="get"
            action="${base}/webhooks"
            role="search"
            aria-label="Filter deliveries"
          >
            <div>
              <label for="outcome">Outcome</label
              ><select id="outcome" name="outcome">
                ${option('', 'any')}${option('delivered', 'delivered')}${option('failed', 'failed (receiver refused)')}${option('error', 'no answer')}
              </select>
            </div>
            ${filterField('event_type', 'Event type', chosen.event_type)}
            ${filterField('connection_id', 'Connection id', chosen.connection_id)}
            ${chosen.event_id ? html`<input type="hidden" name="event_id" value="${chosen.event_id}" />` : ''}
            <div><button type="submit">Filter</button></div>
          </form>
          ${chosen.event_id ? html`<p>Attempts of event <code>${chosen.event_id}</code>. <a href="${base}/webhooks">All events</a></p>` : ''}
          ${deliveryTable(frame, page.data, services.clock())}
          ${page.next_cursor ? html`<p><a rel="next" href="${base}/webhooks${queryString({ ...kept, cursor: page.next_cursor })}">Older attempts</a></p>` : ''}`,
      }),
    );
  });

  app.post('/webhooks/:id/redeliver', async (c) => {
    const id = readFilters(z.string().min(1).max(64), c.req.param('id'));
    const event = await redeliver(services, id);
    return c.redirect(
      `${base}/webhooks${queryString({ event_id: event.id, redelivered: '1' })}`,
      303,
    );
  });
}
