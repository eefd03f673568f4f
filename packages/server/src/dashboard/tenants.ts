import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { Integration, PreflightCheck } from '@pingone-connect/protocol';
import { REGIONS } from '../config.js';
import type { AppEnv } from '../context.js';
import { ApiError, invalidRequest } from '../errors.js';
import {
  createIntegration,
  listIntegrations,
  preflightIntegration,
  readIntegration,
  updateIntegration,
} from '../integrations/manage.js';
import { createIntegrationBody, patchIntegrationBody } from '../schemas.js';
import type { PageDeps } from './deps.js';
import { optionalText, readFilters } from './filters.js';
import { badge, queryString } from './format.js';
import { frameOf } from './headers.js';
import { csrfField, layout, type Html, type PageFrame } from './layout.js';

const integrationId = z.string().min(1).max(64);

/** The preflight's checks in the order they ran, each with its outcome in words. */
function checkList(checks: readonly PreflightCheck[]): Html {
  return html`<ol class="checks" aria-label="Preflight checks">
    ${checks.map(
      (check) =>
        html`<li>
          ${check.ok ? badge('passed', 'ok') : badge('failed', 'bad')}
          <strong>${check.name}</strong>: ${check.message}
        </li>`,
    )}
  </ol>`;
}

/** What the create form was given back, to fill it again; never the secret. */
type Entered = Partial<
  Record<
    | 'id'
    | 'display_name'
    | 'environment_id'
    | 'region'
    | 'auth_base_url'
    | 'api_base_url'
    | 'client_id'
    | 'token_auth_method'
    | 'scopes',
    string
  >
>;

function createForm(frame: PageFrame, loopback: boolean, entered: Entered): Html {
  const field = (name: keyof Entered, label: string, required = false, hint = '') =>
    html`<div>
      <label for="t-${name}">${label}</label
      ><input
        id="t-${name}"
        name="${name}"
        value="${entered[name] ?? ''}"
        ${required ? html` required` : ''}${hint ? html` aria-describedby="t-${name}-hint"` : ''}
      />${hint ? html`<br /><span id="t-${name}-hint" class="muted">${hint}</span>` : ''}
    </div>`;
  return html`<form
    class="card"
    method="post"
    action="${frame.base}/tenants"
    aria-labelledby="create"
  >
    <h2 id="create">Add a tenant</h2>
    ${csrfField(frame)}
    <div class="grid">
      ${field('id', 'Id (slug)', true, 'a-z, 0-9 and -, e.g. acme')}
      ${field('display_name', 'Display name')}
      ${field('environment_id', 'PingOne environment id', true)}
      <div>
        <label for="t-region">Region</label
        ><select id="t-region" name="region">
          ${REGIONS.map((region) => html`<option value="${region}" ${(entered.region ?? 'com') === region ? ' selected' : ''}>${region}</option>`)}
        </select>
      </div>
      ${loopback ? html`${field('auth_base_url', 'Auth base URL (loopback only)')}${field('api_base_url', 'API base URL (loopback only)')}` : ''}
      ${field('client_id', 'Client id', true)}
      <div>
        <label for="t-client_secret">Client secret</label
        ><input
          id="t-client_secret"
          name="client_secret"
          type="password"
          autocomplete="off"
          required
        />
      </div>
      <div>
        <label for="t-token_auth_method">Token auth method</label
        ><select id="t-token_auth_method" name="token_auth_method">
          ${['client_secret_post', 'client_secret_basic'].map((method) => html`<option value="${method}" ${entered.token_auth_method === method ? ' selected' : ''}>${method}</option>`)}
        </select>
      </div>
      ${field('scopes', 'Scopes (space-separated)', false, 'default: openid profile email p1:read:user')}
    </div>
    <p><button type="submit">Check and add</button></p>
  </form>`;
}

function tenantTable(frame: PageFrame, integrations: readonly Integration[]): Html {
  return html`<table>
    <caption>
      Integrations by id
    </caption>
    <thead>
      <tr>
        <th scope="col">Id</th>
        <th scope="col">Name</th>
        <th scope="col">Environment</th>
        <th scope="col">Region / domain</th>
        <th scope="col">Client id</th>
        <th scope="col">Source</th>
      </tr>
    </thead>
    <tbody>
      ${integrations.map(
        (integration) =>
          html`<tr>
            <td>
              <a href="${frame.base}/tenants/${integration.id}"><code>${integration.id}</code></a>
            </td>
            <td>${integration.display_name ?? '—'}</td>
            <td><code>${integration.environment_id}</code></td>
            <td>${integration.custom_domain ?? integration.region ?? 'loopback'}</td>
            <td><code>${integration.client_id}</code></td>
            <td>
              ${integration.source === 'config' ? badge('configured (read-only)', 'info') : badge('API', 'ok')}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A submitted form as the API's JSON body: empty fields left out, scopes split. */
function createBodyOf(form: Record<string, unknown>): unknown {
  const text = (name: string) =>
    typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : undefined;
  const scopes = text('scopes');
  const authBase = text('auth_base_url');
  return Object.fromEntries(
    Object.entries({
      id: text('id'),
      display_name: text('display_name'),
      environment_id: text('environment_id'),
      // A loopback issuer replaces the region.
      region: authBase ? undefined : text('region'),
      auth_base_url: authBase,
      api_base_url: text('api_base_url'),
      client_id: text('client_id'),
      client_secret: text('client_secret'),
      token_auth_method: text('token_auth_method'),
      scopes: scopes?.split(/\s+/).filter(Boolean),
    }).filter(([, value]) => value !== undefined),
  );
}

function enteredOf(form: Record<string, unknown>): Entered {
  const names = [
    'id',
    'display_name',
    'environment_id',
    'region',
    'auth_base_url',
    'api_base_url',
    'client_id',
    'token_auth_method',
    'scopes',
  ] as const;
  return Object.fromEntries(
    names.flatMap((name) => (typeof form[name] === 'string' ? [[name, form[name]]] : [])),
  ) as Entered;
}

/** Tenants: the integrations, adding one with its preflight, rotating a secret, preflight again. */
export function tenantRoutes(app: Hono<AppEnv>, { services, base }: PageDeps): void {
  const loopback = services.config.allowLoopbackPingone;

  const listPage = async (
    c: Context<AppEnv>,
    outcome: Html,
    entered: Entered,
    status: 200 | 400 | 409 | 422 = 200,
  ) => {
    const cursor = readFilters(
      z.object({ cursor: optionalText(128) }).strict(),
      c.req.query(),
    ).cursor;
    const page = await listIntegrations(services, { cursor, limit: '100' });
    const frame = frameOf(c, base);
    return c.html(
      layout(frame, {
        title: 'Tenants',
        section: 'tenants',
        body: html`${outcome} ${tenantTable(frame, page.data)}
        ${page.next_cursor ? html`<p><a rel="next" href="${base}/tenants${queryString({ cursor: page.next_cursor })}">Next page</a></p>` : ''}
        ${createForm(frame, loopback, entered)}`,
      }),
      status,
    );
  };

  app.get('/tenants', (c) => listPage(c, '', {}));

  app.post('/tenants', async (c) => {
    const form = await c.req.parseBody();
    const entered = enteredOf(form);
    const parsed = createIntegrationBody.safeParse(createBodyOf(form));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = `${issue?.path.join('.') || 'form'}: ${issue?.message ?? 'invalid'}`;
      return listPage(
        c,
        html`<section class="notice" role="alert"><p>Not added. ${message}</p></section>`,
        entered,
        400,
      );
    }
    try {
      const created = await createIntegration(services, parsed.data);
      return listPage(
        c,
        html`<section class="card" role="status" aria-labelledby="outcome">
          <h2 id="outcome">Added ${created.id}: every preflight check passed</h2>
          ${checkList(created.preflight.checks)}
        </section>`,
        {},
      );
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      const checks = error.details?.checks;
      return listPage(
        c,
        html`<section class="card" role="alert" aria-labelledby="outcome">
          <h2 id="outcome">Not added: ${error.message}</h2>
          ${checks ? checkList(checks) : ''}
          <p class="muted">Nothing was stored. Correct the form and try again.</p>
        </section>`,
        entered,
        error.status as 400 | 409 | 422,
      );
    }
  });

  const tenantPage = async (
    c: Context<AppEnv>,
    id: string,
    outcome: Html,
    status: 200 | 400 | 409 | 422 = 200,
  ) => {
    const integration = await readIntegration(services, id);
    const frame = frameOf(c, base);
    return c.html(
      layout(frame, {
        title: `Tenant ${integration.id}`,
        section: 'tenants',
        body: html`${outcome}
          <section class="card">
            <dl>
              <dt>Display name</dt>
              <dd>${integration.display_name ?? '—'}</dd>
              <dt>Environment</dt>
              <dd><code>${integration.environment_id}</code></dd>
              <dt>Region / domain</dt>
              <dd>${integration.custom_domain ?? integration.region ?? 'loopback'}</dd>
              <dt>Client id</dt>
              <dd><code>${integration.client_id}</code></dd>
              <dt>Token auth method</dt>
              <dd>${integration.token_auth_method}</dd>
              <dt>Scopes</dt>
              <dd>${integration.scopes.join(' ')}</dd>
              <dt>Source</dt>
              <dd>
                ${integration.source === 'config' ? 'the server’s configuration (read-only)' : 'made through the API'}
              </dd>
            </dl>
          </section>
          <form class="card" method="post" action="${base}/tenants/${id}/preflight">
            ${csrfField(frame)}
            <h2>Preflight</h2>
            <p>Runs the checks again on the current settings; nothing changes.</p>
            <button type="submit">Re-run preflight</button>
          </form>
          ${
            integration.source === 'api' && integration.token_auth_method !== 'private_key_jwt'
              ? html`<form class="card" method="post" action="${base}/tenants/${id}/secret">
                  ${csrfField(frame)}
                  <h2>Rotate the client secret</h2>
                  <p>The new secret is checked (preflight) before it replaces the old one.</p>
                  <label for="new-secret">New client secret</label
                  ><input
                    id="new-secret"
                    name="client_secret"
                    type="password"
                    autocomplete="off"
                    required
                  />
                  <p><button type="submit">Check and rotate</button></p>
                </form>`
              : ''
          }
          <p>
            <a href="${base}/connections?integration_id=${id}">Its connections</a> ·
            <a href="${base}/logs?integration_id=${id}">Its log entries</a>
          </p>`,
      }),
      status,
    );
  };

  app.get('/tenants/:id', (c) => tenantPage(c, readFilters(integrationId, c.req.param('id')), ''));

  app.post('/tenants/:id/preflight', async (c) => {
    const id = readFilters(integrationId, c.req.param('id'));
    const result = await preflightIntegration(services, id);
    return tenantPage(
      c,
      id,
      html`<section class="card" role="status" aria-labelledby="outcome">
        <h2 id="outcome">Preflight ${result.ok ? 'passed' : 'failed'}</h2>
        ${checkList(result.checks)}
      </section>`,
    );
  });

  app.post('/tenants/:id/secret', async (c) => {
    const id = readFilters(integrationId, c.req.param('id'));
    const form = await c.req.parseBody();
    const parsed = patchIntegrationBody.safeParse({ client_secret: form['client_secret'] });
    try {
      if (!parsed.success) throw invalidRequest('client_secret: not a usable client secret');
      const updated = await updateIntegration(services, id, parsed.data);
      return tenantPage(
        c,
        id,
        html`<section class="card" role="status" aria-labelledby="outcome">
          <h2 id="outcome">Secret rotated</h2>
          ${updated.preflight ? checkList(updated.preflight.checks) : ''}
        </section>`,
      );
    } catch (error) {
      if (
        !(error instanceof ApiError) ||
        error.status >= 500 ||
        error.code === 'integration_not_found'
      )
        throw error;
      const checks = error.details?.checks;
      return tenantPage(
        c,
        id,
        html`<section class="card" role="alert" aria-labelledby="outcome">
          <h2 id="outcome">Not rotated: ${error.message}</h2>
          ${checks ? checkList(checks) : ''}
          <p class="muted">The old secret is still in use.</p>
        </section>`,
        error.status as 400 | 409 | 422,
      );
    }
  });
}
