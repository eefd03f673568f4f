import {
  PingOneApiError,
  PingOneConnect,
  PingOneConnectError,
  WebhookVerificationError,
  type WebhookEvent,
} from '@pingone-connect/node';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** The signed-in user of the sample app. A real app takes this from its own session. */
export const DEMO_END_USER = {
  id: 'acme-user-42',
  email: 'ada@acme.example',
  displayName: 'Ada Lovelace',
} as const;

export const DEMO_ORGANIZATION = { id: 'acme', displayName: 'Acme Analytics' } as const;

export interface SampleBackendOptions {
  client: PingOneConnect;
  /** The PingOne environment the connections sign in to (the server's PINGONE_ENVIRONMENT_ID). */
  environmentId: string;
  /** What the page needs to render the element. */
  page: { serverUrl: string; mode: 'emulator' | 'pingone' };
}

/**
 * The customer's backend in miniature: it mints connect sessions for its signed-in user with
 * the Node client, lists that user's connections, calls the PingOne API through the proxy
 * (PingOne's answer, refusals included, goes to the page as `{status, data}`),
 * and receives the server's webhooks (relayed live to the page). It never hands a PingOne
 * token to the browser.
 */
export function createSampleBackend({ client, environmentId, page }: SampleBackendOptions) {
  const webhooks = new Set<(event: WebhookEvent) => void>();

  return new Hono()
    .get('/api/config', (c) => c.json({ ...page, end_user: DEMO_END_USER }))
    .post('/api/connect-session', async (c) => {
      const { token, expires_at } = await client.createConnectSession({
        endUser: DEMO_END_USER,
        organization: DEMO_ORGANIZATION,
      });
      return c.json({ token, expires_at });
    })
    .get('/api/connections', async (c) => {
      const { data } = await client.listConnections({ endUserId: DEMO_END_USER.id });
      return c.json({ data });
    })
    .post('/api/connections/:id/profile', async (c) => {
      // The user's own record: what a Web App's self-service `p1:read:user` token may read.
      // `sub` is the PingOne user id the connection signed in as.
      const connectionId = c.req.param('id');
      const { provider_account } = await client.getConnection(connectionId);
      const response = await client.get({
        endpoint: `/v1/environments/${environmentId}/users/${encodeURIComponent(provider_account.sub)}`,
        connectionId,
      });
      return c.json({ status: response.status, data: response.data });
    })
    .post('/api/connections/:id/environments', async (c) => {
      // The seed's quickstart call, GET /v1/environments?limit=10 through the proxy. PingOne
      // answers a Web App's self-service token 403 ACCESS_FAILED (it carries no role); the page
      // shows that answer as it is.
      const response = await client.get({
        endpoint: '/v1/environments',
        params: { limit: 10 },
        connectionId: c.req.param('id'),
      });
      return c.json({ status: response.status, data: response.data });
    })
    .delete('/api/connections/:id', async (c) => {
      await client.deleteConnection(c.req.param('id'));
      return c.body(null, 204);
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
  if (error instanceof WebhookVerificationError) {
    return c.json({ error: { code: error.code, message: error.message } }, 400);
  }
  if (error instanceof PingOneApiError) {
    return c.json({ status: error.status, data: error.data }, 502);
  }
  if (error instanceof PingOneConnectError) {
    return c.json({ error: { code: error.code, message: error.message } }, 502);
  }
  console.error('sample backend:', error.message);
  return c.json({ error: { code: 'internal_error', message: 'The sample backend failed.' } }, 500);
}
