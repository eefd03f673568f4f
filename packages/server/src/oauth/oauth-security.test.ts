import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher } from '../crypto/credentials.js';
import {
  HOST_ORIGIN,
  PUBLIC_URL,
  callback,
  connectionCount,
  connectFlow,
  mint,
  pollAttempt,
  postConnect,
  postedResult,
  signIn,
  startAttempt,
  startHarness,
  type Harness,
} from '../../test/support.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** The coded error a callback response posts (or shows, when it posts nothing). */
async function outcome(
  response: Response,
): Promise<{ status: number; code: string; posted: boolean }> {
  const html = await response.text();
  const { message } = postedResult(html);
  if (message)
    return { status: response.status, code: message.ok ? 'ok' : message.error.code, posted: true };
  const shown = /Error code: <code>([a-z_]+)<\/code>/.exec(html)?.[1] ?? '';
  return { status: response.status, code: shown, posted: false };
}

function attemptRow(attemptId: string): Record<string, unknown> {
  const db = new BetterSqlite3(harness.databaseFile, { readonly: true });
  try {
    return db.prepare('select * from attempts where id = ?').get(attemptId) as Record<
      string,
      unknown
    >;
  } finally {
    db.close();
  }
}

function updateAttempt(attemptId: string, column: 'nonce', value: string): void {
  const db = new BetterSqlite3(harness.databaseFile);
  try {
    db.prepare(`update attempts set ${column} = ? where id = ?`).run(value, attemptId);
  } finally {
    db.close();
  }
}

describe('§5.2 state is 256 random bits, stored hashed, single use, short-lived and bound to the browser', () => {
  it('sends 256 random bits of state and stores only their hash', async () => {
    const { token } = await mint(harness);
    const attempt = await startAttempt(harness, token);
    const state = attempt.authorizeUrl.searchParams.get('state') ?? '';
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    const row = attemptRow(attempt.attemptId);
    expect(row.state_hash).toBe(createHash('sha256').update(state).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(state);
  });

  it('sets the binding cookie HttpOnly, SameSite=Lax, on /oauth, for 10 minutes, and stores only its hash', async () => {
    const { token } = await mint(harness);
    const response = await postConnect(harness, { session_token: token });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pingone-connect-binding=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/oauth');
    expect(cookie).toContain('Max-Age=600');
  });

  it('rejects an unknown state with state_mismatch and posts nothing', async () => {
    const { url, cookie } = await signIn(harness);
    url.searchParams.set('state', 'A'.repeat(43));
    expect(await outcome(await callback(harness, url, cookie))).toEqual({
      status: 400,
      code: 'state_mismatch',
      posted: false,
    });
  });

  it('rejects a callback without state with state_mismatch', async () => {
    const { url, cookie } = await signIn(harness);
    url.searchParams.delete('state');
    expect(await outcome(await callback(harness, url, cookie))).toMatchObject({
      status: 400,
      code: 'state_mismatch',
    });
  });

  it('rejects a replayed state with state_used', async () => {
    const { url, cookie } = await signIn(harness);
    expect((await outcome(await callback(harness, url, cookie))).code).toBe('ok');
    expect(await outcome(await callback(harness, url, cookie))).toEqual({
      status: 409,
      code: 'state_used',
      posted: false,
    });
  });

  it('rejects a callback without the binding cookie with browser_mismatch', async () => {
    const { url } = await signIn(harness);
    expect(await outcome(await callback(harness, url))).toEqual({
      status: 403,
      code: 'browser_mismatch',
      posted: true,
    });
  });

  it('rejects a callback with another browser’s binding cookie with browser_mismatch', async () => {
    const mine = await signIn(harness);
    const { token } = await mint(harness);
    const someoneElse = await startAttempt(harness, token);
    expect((await outcome(await callback(harness, mine.url, someoneElse.cookie))).code).toBe(
      'browser_mismatch',
    );
  });

  it('fails closed: after a binding mismatch the state is spent for the right browser too', async () => {
    const { url, cookie } = await signIn(harness);
    expect((await outcome(await callback(harness, url))).code).toBe('browser_mismatch');
    expect((await outcome(await callback(harness, url, cookie))).code).toBe('state_used');
  });

  it('records a callback failure on the attempt, for polling', async () => {
    const { url, token, attemptId } = await signIn(harness);
    await callback(harness, url);
    const poll = await pollAttempt(harness, attemptId, token);
    expect(await poll.json()).toMatchObject({
      status: 'error',
      error: { code: 'browser_mismatch' },
    });
  });

  it('rejects a state older than 10 minutes', async () => {
    const { url, cookie, attemptId } = await signIn(harness);
    harness.clock.advance(10 * 60 * 1000 + 1);
    const result = await outcome(await callback(harness, url, cookie));
    expect(result).toMatchObject({ code: 'state_mismatch', posted: true });
    expect(attemptRow(attemptId)).toMatchObject({ status: 'error', connection_id: null });
  });
});

describe('§5.3 PKCE S256 always; the ID token and the authorization response are checked', () => {
  it('always sends an S256 code challenge and keeps the verifier encrypted', async () => {
    const { token } = await mint(harness);
    const attempt = await startAttempt(harness, token);
    const params = attempt.authorizeUrl.searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    const stored = String(attemptRow(attempt.attemptId).code_verifier);
    expect(stored.split('.')).toHaveLength(5);
    const verifier = await new CredentialCipher(harness.config.encryptionKeys).decrypt(stored);
    expect(params.get('code_challenge')).toBe(
      createHash('sha256').update(verifier).digest('base64url'),
    );
    expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('rejects an ID token whose nonce is not the attempt’s with id_token_invalid', async () => {
    const { url, cookie, attemptId } = await signIn(harness);
    updateAttempt(attemptId, 'nonce', 'a-different-nonce');
    const before = await connectionCount(harness);
    expect((await outcome(await callback(harness, url, cookie))).code).toBe('id_token_invalid');
    expect(await connectionCount(harness)).toBe(before);
    expect(harness.logs.join('\n')).toContain('unexpected ID Token \\"nonce\\" claim value');
  });

  it('rejects an authorization response from another issuer with issuer_mismatch', async () => {
    const { url, cookie } = await signIn(harness);
    url.searchParams.set('iss', 'https://auth.pingone.com/attacker/as');
    expect(await outcome(await callback(harness, url, cookie))).toMatchObject({
      status: 400,
      code: 'issuer_mismatch',
    });
  });

  it('reports a declined consent as access_denied', async () => {
    const { token } = await mint(harness);
    const attempt = await startAttempt(harness, token);
    const url = await harness.emulator.approve(attempt.authorizeUrl, { deny: true });
    const html = await (await callback(harness, url, attempt.cookie)).text();
    expect(postedResult(html).message).toMatchObject({
      ok: false,
      attempt_id: attempt.attemptId,
      error: { code: 'access_denied', oauth_error: { error: 'access_denied' } },
    });
  });

  it('reports any other OAuth error as provider_error with the raw oauth_error', async () => {
    const { url, cookie } = await signIn(harness);
    const errorUrl = new URL(url.origin + url.pathname);
    errorUrl.search = new URLSearchParams({
      error: 'temporarily_unavailable',
      error_description: 'Try later (Correlation ID: 123)',
      state: url.searchParams.get('state') ?? '',
    }).toString();
    const html = await (await callback(harness, errorUrl, cookie)).text();
    expect(postedResult(html).message).toMatchObject({
      ok: false,
      error: {
        code: 'provider_error',
        oauth_error: {
          error: 'temporarily_unavailable',
          error_description: 'Try later (Correlation ID: 123)',
        },
      },
    });
  });
});

describe('§5.3 RFC 9207 iss in the authorization response, sent or not', () => {
  it('connects when PingOne neither sends iss nor promises it, as PingOne does by default', async () => {
    const { url, cookie } = await signIn(harness);
    expect(url.searchParams.has('iss')).toBe(false);
    expect((await outcome(await callback(harness, url, cookie))).code).toBe('ok');
  });

  describe('when PingOne promises iss in its discovery document', () => {
    let promising: Harness;
    beforeAll(async () => {
      promising = await startHarness({ emulator: { faults: { authorizationResponseIss: true } } });
    });
    afterAll(() => promising?.close());

    it('connects when the response carries PingOne’s iss', async () => {
      const { url, cookie } = await signIn(promising);
      expect(url.searchParams.get('iss')).toBe(promising.emulator.issuer);
      expect((await outcome(await callback(promising, url, cookie))).code).toBe('ok');
    });

    it('rejects an authorization response without iss when the server promises one with issuer_mismatch', async () => {
      const { url, cookie } = await signIn(promising);
      url.searchParams.delete('iss');
      expect((await outcome(await callback(promising, url, cookie))).code).toBe('issuer_mismatch');
    });
  });
});

describe('§5.3 the ID token’s own claims and signature are checked', () => {
  type TokenBody = Record<string, unknown> & { id_token: string };

  /**
   * One sign-in whose token response passes through `rewrite`, standing in for a misbehaving
   * provider: a string is sent as the raw body.
   */
  async function withTokenResponse(rewrite: (body: TokenBody) => TokenBody | string) {
    const proxied = await startHarness({
      app: {
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!String(input).endsWith('/token')) return response;
          const body = rewrite((await response.json()) as TokenBody);
          const headers = { 'content-type': 'application/json' };
          const text = typeof body === 'string' ? body : JSON.stringify(body);
          return new Response(text, { status: response.status, headers });
        },
      },
    });
    const { token } = await mint(proxied);
    const attempt = await startAttempt(proxied, token);
    const url = await proxied.emulator.approve(attempt.authorizeUrl);
    const html = await (await callback(proxied, url, attempt.cookie)).text();
    const logs = proxied.logs.join('\n');
    await proxied.close();
    return { message: postedResult(html).message, logs };
  }

  const withIdToken = (rewrite: (parts: string[]) => string[]) =>
    withTokenResponse((body) => ({
      ...body,
      id_token: rewrite(body.id_token.split('.')).join('.'),
    }));

  const claims = (change: Record<string, unknown>) => (parts: string[]) => {
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as object;
    return [
      parts[0] ?? '',
      Buffer.from(JSON.stringify({ ...payload, ...change })).toString('base64url'),
      parts[2] ?? '',
    ];
  };

  it('rejects an ID token for another audience with id_token_invalid', async () => {
    const { message, logs } = await withIdToken(claims({ aud: 'another-client' }));
    expect(message).toMatchObject({ ok: false, error: { code: 'id_token_invalid' } });
    expect(logs).toContain('unexpected JWT \\"aud\\" (audience) claim value');
  });

  it('rejects an ID token from another issuer with id_token_invalid', async () => {
    const { message, logs } = await withIdToken(
      claims({ iss: 'https://auth.pingone.com/other/as' }),
    );
    expect(message).toMatchObject({ ok: false, error: { code: 'id_token_invalid' } });
    expect(logs).toContain('unexpected JWT \\"iss\\" (issuer) claim value');
  });

  it('rejects an expired ID token with id_token_invalid', async () => {
    const { message, logs } = await withIdToken(
      claims({ exp: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(message).toMatchObject({ ok: false, error: { code: 'id_token_invalid' } });
    expect(logs).toContain('expiration is past current timestamp');
  });

  it('rejects an ID token whose signature does not verify with id_token_invalid', async () => {
    const { message, logs } = await withIdToken((parts) => [
      parts[0] ?? '',
      parts[1] ?? '',
      Buffer.alloc(256, 7).toString('base64url'),
    ]);
    expect(message).toMatchObject({ ok: false, error: { code: 'id_token_invalid' } });
    expect(logs).toContain('JWT signature verification failed');
  });

  it('rejects an ID token that is not a JWT with id_token_invalid', async () => {
    const { message } = await withIdToken((parts) => parts.slice(0, 2));
    expect(message).toMatchObject({ ok: false, error: { code: 'id_token_invalid' } });
  });

  it('rejects an ID token whose header is not base64url JSON with id_token_invalid', async () => {
    const { message } = await withIdToken((parts) => ['not-json', ...parts.slice(1)]);
    expect(message).toMatchObject({ ok: false, error: { code: 'id_token_invalid' } });
  });

  it('rejects an ID token without a sub with id_token_invalid', async () => {
    const { message, logs } = await withIdToken(claims({ sub: undefined }));
    expect(message).toMatchObject({ ok: false, error: { code: 'id_token_invalid' } });
    expect(logs).toContain('claim missing');
  });

  it('reports a token response without an access token as token_exchange_failed', async () => {
    const { message } = await withTokenResponse(
      ({ access_token: _, ...body }) => body as TokenBody,
    );
    expect(message).toMatchObject({ ok: false, error: { code: 'token_exchange_failed' } });
  });

  it('reports a token response with a malformed expires_in as token_exchange_failed', async () => {
    const { message } = await withTokenResponse((body) => ({ ...body, expires_in: 'soon' }));
    expect(message).toMatchObject({ ok: false, error: { code: 'token_exchange_failed' } });
  });

  it('reports a token response that is not JSON as token_exchange_failed', async () => {
    const { message } = await withTokenResponse(() => '{"access_token":');
    expect(message).toMatchObject({ ok: false, error: { code: 'token_exchange_failed' } });
  });
});

describe('§5.4 the redirect URI is exactly PUBLIC_URL/oauth/callback and never comes from a request', () => {
  it('sends exactly PUBLIC_URL/oauth/callback as redirect_uri', async () => {
    const { token } = await mint(harness);
    const attempt = await startAttempt(harness, token);
    expect(attempt.authorizeUrl.searchParams.get('redirect_uri')).toBe(
      `${PUBLIC_URL}/oauth/callback`,
    );
    expect(attempt.authorizeUrl.href.startsWith(`${harness.emulator.issuer}/`)).toBe(true);
  });

  it('ignores redirect targets smuggled into the connect form and its query', async () => {
    const { token } = await mint(harness);
    const response = await harness.app.request(
      `${PUBLIC_URL}/oauth/connect?redirect_uri=https://attacker.example/cb&return_to=https://attacker.example`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: HOST_ORIGIN },
        body: new URLSearchParams({
          session_token: token,
          attempt_id: 'att_smuggled_redirect',
          origin: HOST_ORIGIN,
          redirect_uri: 'https://attacker.example/cb',
        }).toString(),
      },
    );
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.href.startsWith(`${harness.emulator.issuer}/`)).toBe(true);
    expect(location.searchParams.getAll('redirect_uri')).toEqual([`${PUBLIC_URL}/oauth/callback`]);
    expect(location.href).not.toContain('attacker');
  });

  it('never answers the callback with a redirect, whatever it carries', async () => {
    const { url, cookie } = await signIn(harness);
    url.searchParams.set('redirect_uri', 'https://attacker.example/');
    url.searchParams.set('return_to', 'https://attacker.example/');
    const response = await callback(harness, url, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('§5.9 popup pages have a per-response nonce CSP and keep their opener', () => {
  function expectPopupHeaders(response: Response): string {
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1] ?? '';
    expect(nonce).not.toBe('');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`form-action 'self' ${new URL(harness.emulator.issuer).origin}`);
    expect(csp).toContain("base-uri 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-opener-policy')).not.toBe('same-origin');
    return nonce;
  }

  it('sends the popup headers on the success page, with the nonce on its only script and style', async () => {
    const flow = await connectFlow(harness);
    const nonce = expectPopupHeaders(flow.response);
    expect(flow.html.match(/<script/g)).toHaveLength(1);
    expect(flow.html).toContain(`<script nonce="${nonce}">`);
    expect(flow.html).toContain(`<style nonce="${nonce}">`);
    expect(flow.html).not.toMatch(/\son[a-z]+=/i);
    expect(flow.html).toContain('if (!window.opener) return;');
    expect(flow.html).toContain('You can close this window.');
  });

  it('uses a fresh nonce for every response', async () => {
    const { token } = await mint(harness);
    const first = expectPopupHeaders(await postConnect(harness, { session_token: token }));
    const second = expectPopupHeaders(await postConnect(harness, { session_token: token }));
    expect(first).not.toBe(second);
  });

  it('sends the popup headers on failure pages and on the redirect to PingOne', async () => {
    expectPopupHeaders(await postConnect(harness, { session_token: 'not-a-token' }));
    expectPopupHeaders(await callback(harness, `${PUBLIC_URL}/oauth/callback?state=unknown`));
    const { token } = await mint(harness);
    expectPopupHeaders(await postConnect(harness, { session_token: token }));
  });

  /** Asserts the popup's result page for a coded error, with the popup headers. */
  async function expectResultPage(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectPopupHeaders(response);
    const html = await response.text();
    expect(html).toContain(`Error code: <code>${code}</code>`);
    expect(html).toContain('You can close this window.');
    return html;
  }

  const postConnectBody = (
    body: NonNullable<RequestInit['body']>,
    headers: Record<string, string> = {},
  ) =>
    harness.app.request(harness.url('/oauth/connect'), {
      method: 'POST',
      headers: { origin: HOST_ORIGIN, ...headers },
      body,
      // A stream body needs it; a string does not mind.
      duplex: 'half',
    } as RequestInit);

  it('answers a connect form over 64 KiB with the result page and invalid_request', async () => {
    const { token } = await mint(harness);
    const form = new URLSearchParams({
      session_token: token,
      attempt_id: 'att_body_too_large_01',
      origin: HOST_ORIGIN,
      padding: 'x'.repeat(70_000),
    });
    await expectResultPage(
      await postConnectBody(form.toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      400,
      'invalid_request',
    );
  });

  it('tells the opener about a connect form over 64 KiB through the attempt id in its URL', async () => {
    const { token } = await mint(harness);
    const attemptId = 'att_body_too_large_02';
    const response = await harness.app.request(
      harness.url(`/oauth/connect?attempt_id=${attemptId}`),
      {
        method: 'POST',
        headers: { origin: HOST_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          session_token: token,
          attempt_id: attemptId,
          origin: HOST_ORIGIN,
          padding: 'x'.repeat(70_000),
        }).toString(),
      },
    );
    const posted = postedResult(await expectResultPage(response, 400, 'invalid_request'));
    expect(posted.targetOrigin).toBe(HOST_ORIGIN);
    expect(posted.message).toMatchObject({
      ok: false,
      attempt_id: attemptId,
      error: { code: 'invalid_request' },
    });
  });

  it('tells no origin outside ALLOWED_ORIGINS about a refused connect form', async () => {
    const response = await harness.app.request(
      harness.url('/oauth/connect?attempt_id=att_body_too_large_03'),
      {
        method: 'POST',
        headers: {
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `padding=${'x'.repeat(70_000)}`,
      },
    );
    expect(postedResult(await expectResultPage(response, 400, 'invalid_request'))).toEqual({
      message: null,
      targetOrigin: null,
    });
  });

  it('refuses a connect form whose URL names another attempt than its body', async () => {
    const { token } = await mint(harness);
    const response = await harness.app.request(
      harness.url('/oauth/connect?attempt_id=att_url_attempt_0001'),
      {
        method: 'POST',
        headers: { origin: HOST_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          session_token: token,
          attempt_id: 'att_body_attempt_001',
          origin: HOST_ORIGIN,
        }).toString(),
      },
    );
    expect(response.status).toBe(400);
    expect(postedResult(await response.text()).message).toBeNull();
  });

  it('answers a streamed connect form that grows over 64 KiB with the result page and invalid_request', async () => {
    const chunk = new TextEncoder().encode(`padding=${'x'.repeat(16 * 1024)}&`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    await expectResultPage(
      await postConnectBody(body, { 'content-type': 'application/x-www-form-urlencoded' }),
      400,
      'invalid_request',
    );
  });

  it('answers a connect request that is not a form with the result page and 400', async () => {
    await expectResultPage(
      await postConnectBody('{"session_token":"x"}', { 'content-type': 'application/json' }),
      400,
      'invalid_request',
    );
  });

  it('answers a connect request with the wrong method with the result page', async () => {
    const response = await harness.app.request(harness.url('/oauth/connect'));
    await expectResultPage(response, 400, 'invalid_request');
  });

  it('answers a callback without a query with the result page', async () => {
    await expectResultPage(
      await callback(harness, `${PUBLIC_URL}/oauth/callback`),
      400,
      'state_mismatch',
    );
  });

  it('escapes the message so nothing in it can end the script', async () => {
    const { token } = await mint(harness, { end_user: { id: 'user-</script><script>alert(1)//' } });
    const attempt = await startAttempt(harness, token);
    const url = await harness.emulator.approve(attempt.authorizeUrl);
    const html = await (await callback(harness, url, attempt.cookie)).text();
    expect(html).not.toContain('</script><script>');
    expect(postedResult(html).message).toMatchObject({
      end_user_id: 'user-</script><script>alert(1)//',
    });
  });
});
