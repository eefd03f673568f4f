import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_SECRET,
  SECRET_KEY,
  backendGet,
  connectFlow,
  startHarness,
  type Harness,
} from '../../test/support.js';
import {
  DASHBOARD_PASSWORD,
  dashboardEnv,
  postSignIn,
  signInOperator,
} from '../../test/dashboard.js';
import { ABSOLUTE_LIMIT_MS, IDLE_LIMIT_MS } from './session.js';
import { SIGN_IN_PER_MINUTE } from './routes.js';

let harness: Harness;
let connectionId: string;
beforeAll(async () => {
  harness = await startHarness({ env: dashboardEnv });
  const { posted } = await connectFlow(harness);
  if (!posted.message?.ok) throw new Error('the flow failed');
  connectionId = posted.message.connection_id;
});
afterAll(() => harness.close());

/** Every page of the dashboard, with a real connection and a real log entry. */
async function pages(): Promise<string[]> {
  const page = (await (
    await backendGet(harness, `/logs?connection_id=${connectionId}`)
  ).json()) as {
    data: { id: string }[];
  };
  return [
    '/dashboard',
    '/dashboard/connections',
    '/dashboard/connections?q=ada%40example.com&status=active',
    `/dashboard/connections/${connectionId}`,
    `/dashboard/connections/${connectionId}/disconnect`,
    '/dashboard/logs',
    '/dashboard/logs?level=info&event=connection.created',
    ...page.data.map((entry) => `/dashboard/logs/${entry.id}`),
    '/dashboard/tenants',
    '/dashboard/tenants/pingone',
    '/dashboard/webhooks',
  ];
}

const POSTS = [
  '/dashboard/sign-out',
  '/dashboard/tenants',
  '/dashboard/tenants/pingone/preflight',
  '/dashboard/tenants/pingone/secret',
];

describe('§5.17 dashboard: no page or API without sign-in', () => {
  it('every dashboard page redirects to the sign-in page', async () => {
    for (const path of await pages()) {
      const answer = await harness.app.request(harness.url(path));
      expect(answer.status, path).toBe(303);
      expect(answer.headers.get('location'), path).toBe(
        `/dashboard/sign-in?next=${encodeURIComponent(path)}`,
      );
    }
    const actions = [
      ...POSTS,
      `/dashboard/connections/${connectionId}/refresh`,
      `/dashboard/connections/${connectionId}/disconnect`,
    ];
    for (const path of actions) {
      const answer = await harness.app.request(harness.url(path), { method: 'POST' });
      expect(answer.status, path).toBe(303);
      expect(answer.headers.get('location'), path).toMatch(/^\/dashboard\/sign-in\?/);
    }
    // Nothing was done: the connection is still there.
    expect((await backendGet(harness, `/connections/${connectionId}`)).status).toBe(200);
  });

  it('the live tail answers 401 unauthorized', async () => {
    const answer = await harness.app.request(harness.url('/dashboard/logs/stream'), {
      headers: { accept: 'text/event-stream' },
    });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('a page asking for JSON answers 401 unauthorized', async () => {
    const answer = await harness.app.request(harness.url('/dashboard/connections'), {
      headers: { accept: 'application/json' },
    });
    expect(answer.status).toBe(401);
  });
});

describe('§5.17 dashboard: a CSRF token on every state change', () => {
  it('a POST without the CSRF token is refused with 403 and a page', async () => {
    const operator = await signInOperator(harness);
    const answer = await harness.app.request(
      harness.url(`/dashboard/connections/${connectionId}/disconnect`),
      {
        method: 'POST',
        headers: { cookie: operator.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      },
    );
    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await answer.text()).toContain('security token');
    expect((await backendGet(harness, `/connections/${connectionId}`)).status).toBe(200);
  });

  it('a POST with a wrong CSRF token is refused with 403', async () => {
    const operator = await signInOperator(harness);
    const other = await signInOperator(harness);
    // Another session's valid token is as wrong as a made-up one.
    const othersToken = /name="csrf" value="([^"]+)"/.exec(
      await (await other.get('/dashboard')).text(),
    )?.[1];
    for (const csrf of ['x'.repeat(43), othersToken ?? '']) {
      const answer = await operator.post(`/dashboard/connections/${connectionId}/disconnect`, {
        csrf,
      });
      expect(answer.status).toBe(403);
    }
    expect((await backendGet(harness, `/connections/${connectionId}`)).status).toBe(200);
  });
});

describe('§5.17 dashboard: sign-in, its cookie and its rate limit', () => {
  it('sets a session cookie HttpOnly, SameSite=Strict, Path=/dashboard, not Secure on http', async () => {
    harness.clock.advance(15_000);
    const answer = await postSignIn(harness, {});
    expect(answer.status).toBe(303);
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pingone_connect_dashboard=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/dashboard');
    expect(cookie).not.toContain('Secure');
  });

  it('sets the session cookie Secure when PUBLIC_URL is https', async () => {
    const https = await startHarness({
      env: { ...dashboardEnv, PUBLIC_URL: 'https://connect.example.com' },
    });
    try {
      const answer = await postSignIn(
        {
          app: https.app,
          url: (path) => `https://connect.example.com${path}`,
        },
        {},
      );
      expect(answer.status).toBe(303);
      const cookie = answer.headers.get('set-cookie') ?? '';
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/dashboard');
    } finally {
      await https.close();
    }
  });

  it('a wrong password and an unknown user name answer alike', async () => {
    harness.clock.advance(60_000);
    const wrongPassword = await postSignIn(harness, { password: 'not the password at all' });
    const unknownUser = await postSignIn(harness, { username: 'root' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
    expect(unknownUser.headers.get('set-cookie')).toBeNull();
    // The same page but for the response's own nonce.
    const page = async (answer: Response) => (await answer.text()).replace(/nonce="[^"]+"/g, '');
    expect(await page(wrongPassword)).toBe(await page(unknownUser));
  });

  it('is rate limited per client', async () => {
    const limited = await startHarness({ env: dashboardEnv });
    try {
      for (let i = 0; i < SIGN_IN_PER_MINUTE; i += 1) {
        expect((await postSignIn(limited, { password: `wrong password number ${i}` })).status).toBe(
          401,
        );
      }
      // Even the right password waits now.
      const refused = await postSignIn(limited, {});
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(refused.headers.get('set-cookie')).toBeNull();
      limited.clock.advance(60_000);
      expect((await postSignIn(limited, {})).status).toBe(303);
    } finally {
      await limited.close();
    }
  });

  it('refuses a sign-in posted from another site', async () => {
    harness.clock.advance(15_000);
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of foreign) {
      const answer = await postSignIn(harness, {}, headers);
      expect(answer.status).toBe(403);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    // The dashboard's own page posts with Origin: null (no-referrer) and same-origin metadata.
    harness.clock.advance(15_000);
    const own = await postSignIn(harness, {}, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(303);
  });

  it('goes back to the page asked for, and never to another host', async () => {
    harness.clock.advance(15_000);
    const back = await postSignIn(harness, { next: '/dashboard/logs?level=warn' });
    expect(back.headers.get('location')).toBe('/dashboard/logs?level=warn');
    harness.clock.advance(15_000);
    const away = await postSignIn(harness, { next: '//evil.example/dashboard' });
    expect(away.headers.get('location')).toBe('/dashboard');
  });
});

describe('dashboard sessions: idle and absolute expiry', () => {
  it('a session idle for longer than 30 minutes is signed out', async () => {
    const operator = await signInOperator(harness);
    expect((await operator.get('/dashboard')).status).toBe(200);
    harness.clock.advance(IDLE_LIMIT_MS + 1);
    expect((await operator.get('/dashboard')).status).toBe(303);
  });

  it('an active session ends 12 hours after sign-in', async () => {
    const operator = await signInOperator(harness);
    const step = IDLE_LIMIT_MS - 60_000;
    let elapsed = 0;
    while (elapsed + step < ABSOLUTE_LIMIT_MS) {
      harness.clock.advance(step);
      elapsed += step;
      expect((await operator.get('/dashboard')).status).toBe(200);
    }
    harness.clock.advance(ABSOLUTE_LIMIT_MS - elapsed);
    expect((await operator.get('/dashboard')).status).toBe(303);
  });

  it('sign-out ends the session', async () => {
    const operator = await signInOperator(harness);
    expect((await operator.post('/dashboard/sign-out')).status).toBe(303);
    expect((await operator.get('/dashboard')).status).toBe(303);
  });
});

describe('dashboard pages: headers and secrets', () => {
  it('carry a CSP with a fresh nonce, no referrer, no caching, no sniffing, no framing', async () => {
    const operator = await signInOperator(harness);
    const nonces = new Set<string>();
    for (const path of ['/dashboard', '/dashboard/logs', '/dashboard/sign-in']) {
      const answer = await operator.get(path);
      const csp = answer.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain(`style-src 'nonce-${nonce}'`);
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await answer.text();
      // Every style and script is under this response's nonce; nothing is loaded from elsewhere.
      for (const tag of html.match(/<(script|style)\b[^>]*>/g) ?? []) {
        expect(tag).toContain(`nonce="${nonce}"`);
      }
      expect(html).not.toMatch(/\b(src|href)="https?:/);
    }
    expect(nonces.size).toBe(3);
  });

  it('no secret or token appears in any page', async () => {
    const connection = (await (
      await backendGet(harness, `/connections/${connectionId}`)
    ).json()) as {
      credentials: { access_token: string; refresh_token: string; id_token: string };
    };
    const operator = await signInOperator(harness);
    const secrets = {
      access_token: connection.credentials.access_token,
      refresh_token: connection.credentials.refresh_token,
      id_token: connection.credentials.id_token,
      secret_key: SECRET_KEY,
      client_secret: CLIENT_SECRET,
      password: DASHBOARD_PASSWORD,
      session: operator.cookie.split('=')[1]!,
    };
    for (const path of await pages()) {
      const answer = await operator.get(path);
      expect(answer.status, path).toBe(200);
      const html = await answer.text();
      for (const [name, secret] of Object.entries(secrets)) {
        expect(html.includes(secret), `${name} in ${path}`).toBe(false);
      }
    }
  });
});
