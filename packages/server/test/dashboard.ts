// Drives the dashboard as a browser would: sign in, keep the cookie, post forms with the token.
import type { Harness } from './support.js';

/** A password long enough for DASHBOARD_PASSWORD. */
export const DASHBOARD_PASSWORD = 'correct horse battery staple 42';

/** The env that turns the dashboard on. */
export const dashboardEnv = { DASHBOARD_PASSWORD };

/** Posts the sign-in form; the raw answer. */
export async function postSignIn(
  harness: Pick<Harness, 'app' | 'url'>,
  fields: { username?: string; password?: string; next?: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  return await harness.app.request(harness.url('/dashboard/sign-in'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({
      username: fields.username ?? 'admin',
      password: fields.password ?? DASHBOARD_PASSWORD,
      ...(fields.next ? { next: fields.next } : {}),
    }).toString(),
  });
}

/** A signed-in operator: the cookie to send back, and page reads and form posts with it. */
export interface Operator {
  readonly cookie: string;
  get(path: string): Promise<Response>;
  /** Posts `fields` with the CSRF token of the page at `from` (unless `fields.csrf` is given). */
  post(path: string, fields?: Record<string, string>, from?: string): Promise<Response>;
}

/** The CSRF token in a page's forms. */
export function csrfOf(page: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error('the page has no CSRF field');
  return token;
}

/** Signs in (expecting success) and returns the operator. */
export async function signInOperator(harness: Harness): Promise<Operator> {
  // Sign-in is rate limited per client: tests that sign in often wait out its refill.
  harness.clock.advance(15_000);
  const answer = await postSignIn(harness, {});
  if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}`);
  const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const get = async (path: string) =>
    await harness.app.request(harness.url(path), { headers: { cookie } });
  return {
    cookie,
    get,
    async post(path, fields = {}, from = '/dashboard') {
      const csrf = fields['csrf'] ?? csrfOf(await (await get(from)).text());
      return await harness.app.request(harness.url(path), {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, ...fields }).toString(),
      });
    },
  };
}
