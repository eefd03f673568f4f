import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HOST_ORIGIN,
  PUBLIC_URL,
  SECRET_KEY,
  startHarness,
  type Harness,
} from '../../test/support.js';

interface LinkSession {
  token: string;
  jti: string;
  expires_at: string;
  connect_link: string;
}

async function mintLink(
  harness: Harness,
  link: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Promise<Response> {
  return await harness.app.request(harness.url('/connect/sessions'), {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      end_user: { id: 'user-1' },
      organization: { id: 'org-1', display_name: 'Acme <Corp>' },
      link,
      ...extra,
    }),
  });
}

async function linkSession(
  harness: Harness,
  link: Record<string, unknown> = {},
): Promise<LinkSession> {
  const response = await mintLink(harness, link);
  expect(response.status).toBe(201);
  return (await response.json()) as LinkSession;
}

const open = (harness: Harness, link: string, headers: Record<string, string> = {}) =>
  harness.app.request(link, { headers });

const press = (harness: Harness, link: string, headers: Record<string, string> = {}) =>
  harness.app.request(link, {
    method: 'POST',
    headers: {
      origin: PUBLIC_URL,
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: '',
  });

const cookieOf = (response: Response) =>
  (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe('connect links', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('mints a connect_link under PUBLIC_URL with a 256-bit secret', async () => {
    const { connect_link: link } = await linkSession(harness);
    expect(link).toMatch(
      new RegExp(`^${PUBLIC_URL}/connect/links/link_[0-9a-z]{26}\\.[A-Za-z0-9_-]{43}$`),
    );
  });

  it('renders the hosted page with the integration and the organization, escaped', async () => {
    const { connect_link: link } = await linkSession(harness);
    const response = await open(harness, link);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Acme &lt;Corp&gt;');
    expect(html).toContain('<form method="post" action="">');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('prefers-color-scheme:dark');
    // No script at all, and nothing secret in the page.
    expect(html).not.toContain('<script');
    expect(html).not.toContain(link.split('.').at(-1));
  });

  it('picks the page language from Accept-Language', async () => {
    const { connect_link: link } = await linkSession(harness);
    const cases: [string, string][] = [
      ['fr-CA,fr;q=0.9,en;q=0.5', 'fr'],
      ['de', 'de'],
      ['es-MX', 'es'],
      ['ja,en;q=0.1', 'ja'],
      ['pt-BR,de;q=0.3', 'de'],
      ['en;q=0.2,ja;q=0.8', 'ja'],
      ['xx', 'en'],
    ];
    for (const [header, lang] of cases) {
      const html = await (await open(harness, link, { 'accept-language': header })).text();
      expect(html, header).toContain(`<html lang="${lang}">`);
    }
  });

  it('runs the flow in the same tab and shows the outcome on the hosted page', async () => {
    const { connect_link: link, token } = await linkSession(harness);
    const started = await press(harness, link);
    expect(started.status).toBe(303);
    const callbackUrl = await harness.emulator.approve(
      new URL(started.headers.get('location') ?? ''),
    );
    const done = await harness.app.request(callbackUrl.toString(), {
      headers: { cookie: cookieOf(started), 'accept-language': 'de' },
    });
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain('PingOne verbunden');
    expect(html).not.toContain('postMessage');
    // The session made its connection.
    const again = await harness.app.request(harness.url('/oauth/connect'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: HOST_ORIGIN },
      body: new URLSearchParams({
        session_token: token,
        attempt_id: 'att_again_1',
        origin: HOST_ORIGIN,
      }).toString(),
    });
    expect(await again.text()).toContain('session_used');
  });

  it('shows the first outcome again when the callback is replayed', async () => {
    const { connect_link: link } = await linkSession(harness);
    const started = await press(harness, link);
    const callbackUrl = await harness.emulator.approve(
      new URL(started.headers.get('location') ?? ''),
    );
    const headers = { cookie: cookieOf(started) };
    expect((await harness.app.request(callbackUrl.toString(), { headers })).status).toBe(200);
    const replay = await harness.app.request(callbackUrl.toString(), { headers });
    expect(await replay.text()).toContain('PingOne connected');
  });

  it('goes to return_url with only the attempt id once the flow ends', async () => {
    const { connect_link: link } = await linkSession(harness, {
      return_url: `${HOST_ORIGIN}/done?x=1`,
    });
    const started = await press(harness, link);
    const callbackUrl = await harness.emulator.approve(
      new URL(started.headers.get('location') ?? ''),
      {
        deny: true,
      },
    );
    const done = await harness.app.request(callbackUrl.toString(), {
      headers: { cookie: cookieOf(started) },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(
      new RegExp(`^${HOST_ORIGIN}/done\\?x=1&pingone_connect_attempt=att_[0-9a-z]{26}$`),
    );
  });

  it('shows a declined consent on the hosted page', async () => {
    const { connect_link: link } = await linkSession(harness);
    const started = await press(harness, link);
    const callbackUrl = await harness.emulator.approve(
      new URL(started.headers.get('location') ?? ''),
      {
        deny: true,
      },
    );
    const done = await harness.app.request(callbackUrl.toString(), {
      headers: { cookie: cookieOf(started) },
    });
    expect(done.status).toBe(403);
    expect(await done.text()).toContain('access_denied');
  });

  it('answers an unknown link with a 404 page', async () => {
    const response = await open(
      harness,
      harness.url('/connect/links/link_00000000000000000000000000.' + 'A'.repeat(43)),
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('Link not found');
  });

  it('answers a known link with the wrong secret like an unknown one', async () => {
    const { connect_link: link } = await linkSession(harness);
    const wrong = `${link.slice(0, -43)}${'B'.repeat(43)}`;
    expect((await open(harness, wrong)).status).toBe(404);
    expect((await press(harness, wrong)).status).toBe(404);
  });

  it('answers a malformed link with a 404 page', async () => {
    expect((await open(harness, harness.url('/connect/links/nonsense'))).status).toBe(404);
  });

  it('refuses return_url outside ALLOWED_ORIGINS at mint', async () => {
    const response = await mintLink(harness, { return_url: 'https://evil.example/done' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  it('refuses expires_in over 7 days at mint', async () => {
    const response = await mintLink(harness, { expires_in: 7 * 24 * 3600 + 1 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('accepts the page’s own post, which a no-referrer page sends with Origin: null', async () => {
    const { connect_link: link } = await linkSession(harness);
    const response = await press(harness, link, {
      origin: 'null',
      'sec-fetch-site': 'same-origin',
    });
    expect(response.status).toBe(303);
  });

  it('refuses a post that the browser says came from another site', async () => {
    const { connect_link: link } = await linkSession(harness);
    const response = await press(harness, link, { origin: 'null', 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
  });

  it('refuses a post from another site', async () => {
    const { connect_link: link } = await linkSession(harness);
    const response = await press(harness, link, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    // And the link is still good.
    expect((await open(harness, link)).status).toBe(200);
  });
});

describe('§5.16 connect links: 256-bit secret, hashed, single use, bounded life', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('starts one flow: the second press and later opens answer 410', async () => {
    const { connect_link: link } = await linkSession(harness);
    expect((await press(harness, link)).status).toBe(303);
    const second = await press(harness, link);
    expect(second.status).toBe(410);
    expect(second.headers.get('location')).toBeNull();
    const reopened = await open(harness, link);
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).toContain('This link can no longer be used');
  });

  it('opening the page does not use the link', async () => {
    const { connect_link: link } = await linkSession(harness);
    expect((await open(harness, link)).status).toBe(200);
    expect((await open(harness, link)).status).toBe(200);
    expect((await press(harness, link)).status).toBe(303);
  });

  it('expires after expires_in (default 24 hours)', async () => {
    const { connect_link: link } = await linkSession(harness);
    harness.clock.advance(24 * 3600 * 1000 - 1000);
    expect((await open(harness, link)).status).toBe(200);
    harness.clock.advance(1000);
    expect((await open(harness, link)).status).toBe(410);
    expect((await press(harness, link)).status).toBe(410);
  });

  it('lives as long as expires_in, beyond the token’s own life', async () => {
    const { connect_link: link } = await linkSession(harness, { expires_in: 3 * 24 * 3600 });
    harness.clock.advance(2 * 24 * 3600 * 1000);
    expect((await press(harness, link)).status).toBe(303);
  });

  it('is revoked with its session', async () => {
    const { connect_link: link, jti } = await linkSession(harness);
    const revoked = await harness.app.request(harness.url(`/connect/sessions/${jti}`), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    expect(revoked.status).toBe(204);
    expect((await open(harness, link)).status).toBe(410);
    expect((await press(harness, link)).status).toBe(410);
  });

  it('keeps the secret out of the database file and every log line', async () => {
    const { connect_link: link } = await linkSession(harness);
    await open(harness, link);
    await press(harness, link);
    await press(harness, link);
    const secret = link.split('.').at(-1) ?? '';
    expect(secret).toHaveLength(43);
    // Every committed byte is in the file or its write-ahead log.
    for (const file of [harness.databaseFile, `${harness.databaseFile}-wal`]) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    expect(harness.logs.join('\n')).not.toContain(secret);
  });

  it('serves the hosted page with a nonce CSP, no referrer and no caching', async () => {
    const { connect_link: link } = await linkSession(harness);
    const first = await open(harness, link);
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`form-action 'self' ${new URL(harness.emulator.issuer).origin}`);
    expect(csp).toMatch(/style-src 'nonce-[A-Za-z0-9_-]{22}'/);
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    const nonce = /nonce-([A-Za-z0-9_-]+)/.exec(csp)?.[1];
    expect(await first.text()).toContain(`<style nonce="${nonce}">`);
    const second = await open(harness, link);
    expect(second.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('lets the Connect button’s redirects end at return_url: its origin is in form-action', async () => {
    // PingOne that remembers the user answers authorize at once, and the callback goes on to
    // return_url in the same redirect chain of the post, which form-action governs.
    const { connect_link: link } = await linkSession(harness, {
      return_url: `${HOST_ORIGIN}/done`,
    });
    const csp = (await open(harness, link)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(
      `form-action 'self' ${new URL(harness.emulator.issuer).origin} ${HOST_ORIGIN};`,
    );
  });

  it('serves the gone and unknown pages with the same headers', async () => {
    const unknown = await open(harness, harness.url('/connect/links/nonsense'));
    expect(unknown.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(unknown.headers.get('referrer-policy')).toBe('no-referrer');
    expect(unknown.headers.get('cache-control')).toBe('no-store');
  });
});
