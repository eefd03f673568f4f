import type { PingOneConnect } from '@pingone-connect/widget';

interface Connection {
  id: string;
  status: 'active' | 'needs_reauth';
  scopes: string[];
  created_at: string;
  updated_at: string;
  provider_account: { sub: string; email?: string; name?: string };
}

interface PageConfig {
  serverUrl: string;
  mode: 'emulator' | 'pingone';
  end_user: { id: string; displayName: string };
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const element = $<PingOneConnect>('connect');

/** Calls the sample backend; a non-2xx answer becomes an Error with the server's message. */
async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    const error = body?.error;
    throw new Error(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
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
  const { data } = await api<{ data: Connection[] }>('/api/connections');
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
    const response = await fetch(`/api/connections/${encodeURIComponent(connectionId)}/${call}`, {
      method: 'POST',
    });
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
    await api(`/api/connections/${encodeURIComponent(connectionId)}`, { method: 'DELETE' });
    log('event', 'Disconnected', { connection_id: connectionId });
  } catch (error) {
    log('error', 'Disconnect failed', { message: (error as Error).message });
  }
  await loadConnections();
}

function listenToWebhooks() {
  const source = new EventSource('/api/webhooks');
  source.addEventListener('message', (event) => {
    const payload = JSON.parse(event.data) as { type: string; data: unknown };
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
  await import('@pingone-connect/widget/define');
  // The token is minted by Acme's backend when the user clicks, after the popup is open.
  element.tokenProvider = async () =>
    (await api<{ token: string }>('/api/connect-session', { method: 'POST' })).token;

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

  $('refresh').addEventListener('click', () => void loadConnections());
  $('clear-log').addEventListener('click', () => $('log').replaceChildren());
  listenToWebhooks();
  await loadConnections();
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  log('error', 'The sample app could not start', { message: (error as Error).message });
});
