import {
  PingOneApiError,
  PingOneConnect,
  PingOneConnectError,
  WebhookVerificationError,
  type WebhookEvent,
} from '@pingone-connect/node';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { CUSTOMERS, isCustomerId, type Customer, type CustomerId } from './customers.js';
import { savePingOne, readPingOne, type TenantSetup } from './tenant-pingone.js';

export interface SampleBackendOptions {
  client: PingOneConnect;
  /** How each customer reaches its PingOne: its integration id, and the panel's suggestion. */
  tenants: Readonly<Record<CustomerId, TenantSetup>>;
  /** What the page needs to render the element. */
  page: { serverUrl: string; mode: 'emulator' | 'pingone' };
}

/** How long a connect link the page sends stays usable: the server's default, 24 hours. */
const CONNECT_LINK_SECONDS = 24 * 60 * 60;

/** A request naming something the sample app does not know, in the server's error shape. */
class SampleRequestError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: 'invalid_request' | 'connection_not_found',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The SaaS's backend in miniature. Each customer (tenant) sets up its own PingOne from the
 * settings panel (the backend adds it as an integration through the Node client, and the server
 * checks it first); then the backend mints connect sessions for that customer's signed-in admin
 * with the customer's `integration_id` (or a connect link for the admin to hand over), lists
 * only that customer's connections, calls the PingOne API through the proxy (PingOne's answer,
 * refusals included, goes to the page as `{status, data}`), and receives the server's webhooks
 * (relayed live to the page). It never hands a PingOne token to the browser, and nothing of one
 * customer is reachable under another.
 */
export function createSampleBackend({ client, tenants, page }: SampleBackendOptions) {
  const webhooks = new Set<(event: WebhookEvent) => void>();

  const customerOf = (c: Context): Customer => {
    const id = c.req.param('customer') ?? '';
    if (!isCustomerId(id))
      throw new SampleRequestError(404, 'invalid_request', 'No such customer.');
    return CUSTOMERS[id];
  };

  /** The connection, when it belongs to this customer's admin and integration; else 404. */
  const ownConnection = async (c: Context) => {
    const customer = customerOf(c);
    const connection = await client.getConnection(c.req.param('id') ?? '');
    const owned =
      connection.integration_id === tenants[customer.id].integrationId &&
      connection.end_user.id === customer.endUser.id;
    if (!owned) {
      throw new SampleRequestError(404, 'connection_not_found', 'No such connection here.');
    }
    return connection;
  };

  return new Hono()
    .get('/api/config', (c) =>
      c.json({
        ...page,
        customers: Object.values(CUSTOMERS).map(({ id, displayName, endUser }) => ({
          id,
          display_name: displayName,
          end_user: endUser,
        })),
      }),
    )
    .get('/api/customers/:customer/pingone', async (c) => {
      const customer = customerOf(c);
      return c.json(await readPingOne(client, tenants[customer.id]));
    })
    .put('/api/customers/:customer/pingone', async (c) => {
      const customer = customerOf(c);
      const body: unknown = await c.req.json().catch(() => null);
      const saved = await savePingOne(client, customer, tenants[customer.id], body);
      if (!saved.ok) return c.json({ error: saved.error }, saved.status);
      return c.json(saved.value);
    })
    .post('/api/customers/:customer/connect-session', async (c) => {
      const customer = customerOf(c);
      const { token, expires_at } = await client.createConnectSession({
        endUser: customer.endUser,
        organization: { id: customer.id, displayName: customer.displayName },
        integrationId: tenants[customer.id].integrationId,
      });
      return c.json({ token, expires_at });
    })
    .post('/api/customers/:customer/connect-link', async (c) => {
      // A link for whoever connects the customer's PingOne, handed over by e-mail or chat:
      // its page runs the flow on the server and shows the outcome, and this backend learns
      // it by webhook. The session's token stays here; the page gets only the link.
      const customer = customerOf(c);
      const { connect_link } = await client.createConnectSession({
        endUser: customer.endUser,
        organization: { id: customer.id, displayName: customer.displayName },
        integrationId: tenants[customer.id].integrationId,
        link: { expiresIn: CONNECT_LINK_SECONDS },
      });
      if (!connect_link) throw new Error('The server answered no connect_link.');
      return c.json({ connect_link, expires_in: CONNECT_LINK_SECONDS });
    })
    .get('/api/customers/:customer/connections', async (c) => {
      const customer = customerOf(c);
      const { data } = await client.listConnections({
        endUserId: customer.endUser.id,
        integrationId: tenants[customer.id].integrationId,
      });
      return c.json({ data });
    })
    .post('/api/customers/:customer/connections/:id/profile', async (c) => {
      // The user's own record: what a Web App's self-service `p1:read:user` token may read.
      // `sub` is the PingOne user id the connection signed in as, in the customer's environment.
      const { id, integration_id, provider_account } = await ownConnection(c);
      const { environment_id } = await client.getIntegration(integration_id);
      const response = await client.get({
        endpoint: `/v1/environments/${environment_id}/users/${encodeURIComponent(provider_account.sub)}`,
        connectionId: id,
        integrationId: integration_id,
      });
      return c.json({ status: response.status, data: response.data });
    })
    .post('/api/customers/:customer/connections/:id/environments', async (c) => {
      // The seed's quickstart call, GET /v1/environments?limit=10 through the proxy. PingOne
      // answers a Web App's self-service token 403 ACCESS_FAILED (it carries no role); the page
      // shows that answer as it is.
      const { id, integration_id } = await ownConnection(c);
      const response = await client.get({
        endpoint: '/v1/environments',
        params: { limit: 10 },
        connectionId: id,
        integrationId: integration_id,
      });
      return c.json({ status: response.status, data: response.data });
    })
    .delete('/api/customers/:customer/connections/:id', async (c) => {
      const { id } = await ownConnection(c);
      // What PingOne revoked and what it does not let anyone revoke (its own API's tokens).
      return c.json(await client.deleteConnection(id));
    })
    .post('/webhooks', async (c) => {
      const event = client.verifyWebhook(c.req.raw.headers, await c.req.text());
      for (const listener of webhooks) listener(event);
      return c.body(null, 204);
    })
    .get('/api/webhooks', (c) =>
      streamSSE(c, async (stream) => {
        const send = (event: WebhookEvent) => void stream.writeSSE({ data: JSON.stringify(event) });
        webhooks.add(send);
        stream.onAbort(() => {
          webhooks.delete(send);
        });
        await stream.writeSSE({ event: 'ready', data: '{}' });
        while (!stream.aborted && !stream.closed) await stream.sleep(15_000);
      }),
    )
    .onError((error, c) => sampleError(error, c));
}

/** Shows the page what went wrong, in the server's error shape, without any secret. */
function sampleError(error: Error, c: Context) {
  if (error instanceof SampleRequestError) {
    return c.json({ error: { code: error.code, message: error.message } }, error.status);
  }
  if (error instanceof WebhookVerificationError) {
    return c.json({ error: { code: error.code, message: error.message } }, 400);
  }
  if (error instanceof PingOneApiError) {
    return c.json({ status: error.status, data: error.data }, 502);
  }
  if (error instanceof PingOneConnectError) {
    // The server's refusals of the page's request keep their status; anything else is the
    // sample backend's upstream failing.
    const status = error.status === 404 || error.status === 409 ? error.status : 502;
    return c.json({ error: { code: error.code, message: error.message } }, status);
  }
  console.error('sample backend:', error.message);
  return c.json({ error: { code: 'internal_error', message: 'The sample backend failed.' } }, 500);
}
