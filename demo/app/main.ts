import type { PingOneConnect } from '@pingone-connect/widget';

interface Connection {
  id: string;
  status: 'active' | 'needs_reauth';
  scopes: string[];
  created_at: string;
  updated_at: string;
  provider_account: { sub: string; email?: string; name?: string };
}

interface Customer {
  id: string;
  display_name: string;
  end_user: { id: string; displayName: string };
}

interface PageConfig {
  serverUrl: string;
  mode: 'emulator' | 'pingone';
  customers: Customer[];
}

interface PreflightCheck {
  name: string;
  ok: boolean;
  message: string;
}

/** What the sample backend says about the customer's PingOne (`/api/customers/:id/pingone`). */
interface PingOneSettings {
  integration_id: string;
  integration: {
    environment_id: string;
    region: string | null;
    custom_domain: string | null;
    client_id: string;
    source: 'config' | 'api';
  } | null;
  suggested: { environment_id: string; client_id: string; client_secret: string } | null;
  emulated: boolean;
}

/** An error of the sample backend, in the server's shape; `details.checks` for a preflight. */
class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly checks: PreflightCheck[] | undefined,
  ) {
    super(`${code}: ${message}`);
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const element = $<PingOneConnect>('connect');

/** The customer whose admin is using the page; the switcher in the header changes it. */
let customer: Customer;
/** Its integration, once its PingOne is set up: webhooks of other integrations are not shown. */
let integrationId = '';

const customerPath = (path = '') => `/api/customers/${encodeURIComponent(customer.id)}${path}`;

/** Calls the sample backend; a non-2xx answer becomes an ApiError with the server's message. */
async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    const error = body?.error;
    if (!error) throw new ApiError('http_error', `HTTP ${response.status}`, undefined);
    throw new ApiError(error.code, error.message, error.details?.checks);
  }
  return body as T;
}

function log(kind: 'event' | 'webhook' | 'error', title: string, detail?: unknown) {
  const item = document.createElement('li');
  item.className = `log-${kind}`;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  const name = document.createElement('strong');
  name.textContent = title;
  item.append(time, name);
  if (detail !== undefined) {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(detail, null, 2);
    item.append(pre);
  }
  $('log').prepend(item);
}

function chip(text: string) {
  const span = document.createElement('span');
  span.className = 'chip';
  span.textContent = text;
  return span;
}

function button(label: string, className: string, onClick: () => void) {
  const node = document.createElement('button');
  node.type = 'button';
  node.className = className;
  node.textContent = label;
  node.addEventListener('click', onClick);
  return node;
}

async function loadConnections() {
  const { data } = await api<{ data: Connection[] }>(customerPath('/connections'));
  const list = $('connections');
  list.replaceChildren(
    ...data.map((connection) => {
      const item = document.createElement('li');
      item.className = 'connection';
      item.dataset.connectionId = connection.id;
      const who = document.createElement('div');
      const name = document.createElement('strong');
      name.textContent = connection.provider_account.name ?? connection.provider_account.sub;
      const meta = document.createElement('span');
      meta.className = 'muted small';
      meta.textContent = `${connection.provider_account.email ?? ''} · ${connection.id} · connected ${new Date(connection.created_at).toLocaleString()}`;
      who.append(name, meta);
      const status = document.createElement('span');
      status.className = `pill pill-${connection.status}`;
      status.textContent = connection.status === 'active' ? 'Active' : 'Needs re-auth';
      const scopes = document.createElement('div');
      scopes.className = 'chips';
      scopes.setAttribute('aria-label', 'Scopes');
      scopes.append(...connection.scopes.map(chip));
      const actions = document.createElement('div');
      actions.className = 'actions';
      actions.append(
        button('Your PingOne profile', 'primary', () => void callPingOne(connection.id, 'profile')),
        button('List environments', '', () => void callPingOne(connection.id, 'environments')),
        button('Disconnect', 'danger', () => void disconnect(connection.id)),
      );
      item.append(who, status, scopes, actions);
      return item;
    }),
  );
  $('no-connections').hidden = data.length > 0;
}

/** What the sample backend answers for a PingOne call: PingOne's status and body, as they are. */
interface PingOneAnswer {
  status: number;
  data: unknown;
}

function isPingOneAnswer(body: unknown): body is PingOneAnswer {
  return typeof body === 'object' && body !== null && 'status' in body && 'data' in body;
}

/**
 * Calls PingOne through the sample backend and shows its answer. A refusal of PingOne's (the
 * backend's 502 carrying `{status, data}`) is shown like a success: it is PingOne's real answer.
 */
async function callPingOne(connectionId: string, call: 'profile' | 'environments') {
  const output = $('response');
  output.textContent = 'Calling PingOne…';
  try {
    const path = customerPath(`/connections/${encodeURIComponent(connectionId)}/${call}`);
    const response = await fetch(path, { method: 'POST' });
    const body: unknown = await response.json();
    if (!isPingOneAnswer(body)) {
      const error = (body as { error?: { code: string; message: string } }).error;
      throw new Error(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
    }
    output.textContent = JSON.stringify(body.data, null, 2);
    log(body.status < 400 ? 'event' : 'error', `PingOne API answered ${body.status}`);
  } catch (error) {
    output.textContent = String((error as Error).message);
    log('error', 'PingOne API call failed', { message: (error as Error).message });
  }
}

async function disconnect(connectionId: string) {
  try {
    const answer = await api<{ revoked: string[]; not_revocable: string[] }>(
      customerPath(`/connections/${encodeURIComponent(connectionId)}`),
      { method: 'DELETE' },
    );
    log('event', 'Disconnected', { connection_id: connectionId, ...answer });
  } catch (error) {
    log('error', 'Disconnect failed', { message: (error as Error).message });
  }
  await loadConnections();
}

function listenToWebhooks() {
  const source = new EventSource('/api/webhooks');
  source.addEventListener('message', (event) => {
    const payload = JSON.parse(event.data) as { type: string; data: { integration_id: string } };
    // The backend receives every customer's webhooks; this page shows its customer's only.
    if (payload.data.integration_id !== integrationId) return;
    log('webhook', `webhook ${payload.type}`, payload.data);
    void loadConnections();
  });
}

function setupTheme() {
  const toggle = $<HTMLButtonElement>('theme');
  const apply = (dark: boolean) => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    toggle.setAttribute('aria-pressed', String(dark));
    toggle.textContent = dark ? 'Light theme' : 'Dark theme';
  };
  apply(matchMedia('(prefers-color-scheme: dark)').matches);
  toggle.addEventListener('click', () => apply(document.documentElement.dataset.theme !== 'dark'));
}

/** The preflight's checks, one line each: ✓ or ✗, the check's name, and PingOne's message. */
function showChecks(checks: PreflightCheck[] | undefined) {
  const list = $('preflight');
  list.replaceChildren(
    ...(checks ?? []).map((check) => {
      const item = document.createElement('li');
      item.className = check.ok ? 'check check-ok' : 'check check-failed';
      item.dataset.check = check.name;
      item.dataset.ok = String(check.ok);
      const mark = document.createElement('span');
      mark.className = 'check-mark';
      mark.setAttribute('aria-hidden', 'true');
      mark.textContent = check.ok ? '✓' : '✗';
      const name = document.createElement('strong');
      name.textContent = check.name;
      const verdict = document.createElement('span');
      verdict.className = 'check-verdict';
      verdict.textContent = check.ok ? 'ok' : 'failed';
      const message = document.createElement('span');
      message.className = 'muted small';
      message.textContent = check.message;
      item.append(mark, name, verdict, message);
      return item;
    }),
  );
  list.hidden = !checks?.length;
}

/** A control of the settings form: the region is a select, the others are inputs. */
const field = (name: string) =>
  $<HTMLFormElement>('pingone-form').elements.namedItem(name) as
    HTMLInputElement | HTMLSelectElement;

/** Fills the panel: the integration once set up, else the emulator's application (demo mode). */
function showPingOne(settings: PingOneSettings) {
  const { integration, suggested, emulated } = settings;
  integrationId = integration ? settings.integration_id : '';
  const status = $('pingone-status');
  status.textContent = integration ? 'Set up' : 'Not set up';
  status.className = integration ? 'pill pill-active' : 'pill pill-off';
  $('emulated-note').hidden = !emulated;
  const readOnly = integration?.source === 'config';
  $('config-note').hidden = !readOnly;

  const values = integration ?? suggested;
  field('environment_id').value = values?.environment_id ?? '';
  field('client_id').value = values?.client_id ?? '';
  field('region').value = integration?.region ?? 'com';
  field('custom_domain').value = integration?.custom_domain ?? '';
  // A stored secret never comes back: the field then only takes a new one.
  const secret = field('client_secret') as HTMLInputElement;
  secret.value = integration ? '' : (suggested?.client_secret ?? '');
  secret.placeholder = integration ? 'Stored encrypted; type a new one to replace it' : '';
  for (const name of ['environment_id', 'client_id', 'client_secret']) {
    field(name).disabled = readOnly;
  }
  for (const name of ['region', 'custom_domain']) field(name).disabled = emulated || readOnly;
  $<HTMLButtonElement>('save-pingone').disabled = readOnly;

  // Until the customer's PingOne is set up there is nothing to connect to.
  element.integration = settings.integration_id;
  element.disabled = !integration;
  $<HTMLButtonElement>('send-link').disabled = !integration;
  $('connect-hint').hidden = Boolean(integration);
}

async function savePingOne(event: SubmitEvent) {
  event.preventDefault();
  const form = new FormData($<HTMLFormElement>('pingone-form'));
  const status = $('save-status');
  status.textContent = 'Checking with PingOne…';
  showChecks(undefined);
  try {
    const { preflight } = await api<{ preflight: { checks: PreflightCheck[] } }>(
      customerPath('/pingone'),
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Object.fromEntries(form)),
      },
    );
    showChecks(preflight.checks);
    status.textContent = 'Every check passed: saved.';
    log('event', `${customer.display_name}'s PingOne set up`);
    showPingOne(await api<PingOneSettings>(customerPath('/pingone')));
  } catch (error) {
    const checks = error instanceof ApiError ? error.checks : undefined;
    showChecks(checks);
    status.textContent = checks
      ? 'PingOne refused these settings: nothing was saved.'
      : (error as Error).message;
    log('error', `${customer.display_name}'s PingOne not saved`, {
      message: (error as Error).message,
    });
  }
}

/**
 * Redirect mode, on when the page's URL says `mode=redirect`: the URL is what the element
 * comes back to (its `return_to`), so the choice outlives the page leaving for PingOne.
 */
function setupRedirectMode() {
  const toggle = $<HTMLInputElement>('redirect-mode');
  const apply = (on: boolean) => {
    toggle.checked = on;
    // An attribute, as `server` is: set before the element upgrades too.
    element.setAttribute('mode', on ? 'redirect' : 'popup');
    $('redirect-note').hidden = !on;
  };
  apply(new URLSearchParams(location.search).get('mode') === 'redirect');
  toggle.addEventListener('change', () => {
    apply(toggle.checked);
    const url = new URL(location.href);
    if (toggle.checked) url.searchParams.set('mode', 'redirect');
    else url.searchParams.delete('mode');
    history.replaceState(history.state, '', url);
    log('event', toggle.checked ? 'Redirect mode on' : 'Redirect mode off');
  });
}

/** Shows a connect link with its Copy and Open controls, and what happens with it. */
function showConnectLink(link: string | null, note = '') {
  $('connect-link').hidden = link === null;
  $<HTMLInputElement>('connect-link-url').value = link ?? '';
  $<HTMLAnchorElement>('open-link').href = link ?? '';
  $('connect-link-note').textContent = note;
}

/**
 * Asks the sample backend for a connect link for the customer's admin and opens it in a new
 * tab, as the person it is sent to would. The tab is opened inside the click, where a popup
 * blocker allows it, and pointed at the link once the backend has answered; it gets no handle
 * on this page.
 */
async function sendConnectLink() {
  const tab = window.open('', '_blank');
  if (tab) tab.opener = null;
  showConnectLink(null);
  try {
    const { connect_link, expires_in } = await api<{ connect_link: string; expires_in: number }>(
      customerPath('/connect-link'),
      { method: 'POST' },
    );
    const hours = Math.round(expires_in / 3600);
    const opened = tab ? 'Opened in a new tab' : 'The browser blocked the new tab: use Open';
    showConnectLink(
      connect_link,
      `Single use, valid for ${hours} hours: send it by e-mail or chat to whoever connects ${customer.display_name}'s PingOne. ${opened}; the outcome arrives here as a webhook.`,
    );
    tab?.location.replace(connect_link);
    log('event', 'Connect link sent');
  } catch (error) {
    tab?.close();
    log('error', 'Connect link not made', { message: (error as Error).message });
  }
}

/** Copies the shown link, with the clipboard API where the page may use it. */
async function copyConnectLink() {
  const input = $<HTMLInputElement>('connect-link-url');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand('copy');
  }
  $('connect-link-note').textContent = 'Copied to the clipboard.';
}

/** Shows the page as the given customer's admin sees it. */
async function switchTo(next: Customer) {
  customer = next;
  $<HTMLSelectElement>('customer').value = next.id;
  for (const node of document.querySelectorAll('.customer-name')) {
    node.textContent = next.display_name;
  }
  const avatar = $('avatar');
  avatar.textContent = next.end_user.displayName
    .split(' ')
    .map((word) => word[0])
    .join('');
  avatar.setAttribute('aria-label', `Signed in as ${next.end_user.displayName}`);
  $('save-status').textContent = '';
  showChecks(undefined);
  showConnectLink(null);
  $('response').textContent = 'Nothing called yet.';
  showPingOne(await api<PingOneSettings>(customerPath('/pingone')));
  await loadConnections();
  // Tells tests (and anyone watching) that the page now shows this customer.
  document.body.dataset.customer = next.id;
}

async function main() {
  setupTheme();
  const config = await api<PageConfig>('/api/config');
  if (config.mode === 'emulator') {
    const banner = $('mode');
    banner.textContent =
      'Demo mode: signing in goes to the local PingOne emulator, not to PingOne.';
    banner.hidden = false;
  }

  // Configure the element before it upgrades, so it never renders without its server.
  element.setAttribute('server', config.serverUrl);
  setupRedirectMode();
  await import('@pingone-connect/widget/define');
  element.addEventListener('pingone-connect-start', (event) => {
    log('event', 'pingone-connect-start', event.detail);
  });
  element.addEventListener('pingone-connect-success', (event) => {
    log('event', 'pingone-connect-success', event.detail);
    void loadConnections();
  });
  element.addEventListener('pingone-connect-error', (event) => {
    log('error', `pingone-connect-error: ${event.detail.code}`, event.detail);
  });
  element.addEventListener('pingone-connect-close', (event) => {
    log('event', 'pingone-connect-close', event.detail);
  });

  const byId = (id: string | null) => config.customers.find((c) => c.id === id);
  $<HTMLSelectElement>('customer').addEventListener('change', (event) => {
    const next = byId((event.target as HTMLSelectElement).value)!;
    const url = new URL(location.href);
    url.searchParams.set('customer', next.id);
    history.replaceState(null, '', url);
    $('log').replaceChildren();
    void switchTo(next).then(() => log('event', `Switched to ${next.display_name}`));
  });
  $<HTMLFormElement>('pingone-form').addEventListener('submit', (event) => void savePingOne(event));
  $('send-link').addEventListener('click', () => void sendConnectLink());
  $('copy-link').addEventListener('click', () => void copyConnectLink());
  $('refresh').addEventListener('click', () => void loadConnections());
  $('clear-log').addEventListener('click', () => $('log').replaceChildren());
  listenToWebhooks();
  await switchTo(
    byId(new URLSearchParams(location.search).get('customer')) ?? config.customers[0]!,
  );
  // The token is minted by the backend when the user clicks, after the popup is open, for the
  // customer shown at that moment. Given only now that the page shows a customer: with a token
  // the element takes up an attempt that came back to the page, for its integration.
  element.tokenProvider = async () =>
    (await api<{ token: string }>(customerPath('/connect-session'), { method: 'POST' })).token;
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  log('error', 'The sample app could not start', { message: (error as Error).message });
});
