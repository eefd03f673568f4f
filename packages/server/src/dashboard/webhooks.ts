import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv, Services } from '../context.js';
import type { PageDeps } from './deps.js';
import { frameOf } from './headers.js';
import { layout, type Html, type PageFrame } from './layout.js';

/** A connection's webhook deliveries, as a table. */
export async function deliveriesOf(
  _services: Services,
  _frame: PageFrame,
  _connectionId: string,
): Promise<Html> {
  return html`<p class="muted">The delivery log is not available on this server.</p>`;
}

/** Webhook deliveries. */
export function webhookRoutes(app: Hono<AppEnv>, { base }: PageDeps): void {
  app.get('/webhooks', (c) =>
    c.html(
      layout(frameOf(c, base), {
        title: 'Webhook deliveries',
        section: 'webhooks',
        body: html`<p class="muted">The delivery log is not available on this server.</p>`,
      }),
    ),
  );
}
