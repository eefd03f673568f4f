import { CookieJar } from './cookie-jar.js';
import type { ApproveOptions, EmulatorUser, SignOffParameters } from './types.js';

/** Why {@link approve} could not reach the client's redirect URI. */
export class ApproveError extends Error {
  /** The OAuth error of the emulator's error page (`invalid_redirect_uri`, …), or `login_failed`, `consent_not_shown`, `unexpected_response`. */
  readonly code: string;
  /** HTTP status of the response that stopped the walk. */
  readonly status: number;

  constructor(message: string, code: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

export interface ApproveInput {
  /** `http://127.0.0.1:{port}` */
  origin: string;
  /** Paths under this prefix are the emulator's; any other URL is the client's. */
  environmentPath: string;
  users: readonly EmulatorUser[];
  /** The browser's cookies; default a fresh jar, as a new private window would have. */
  jar?: CookieJar;
}

const MAX_STEPS = 20;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity).trim();
}

function errorOf(page: string, status: number): ApproveError {
  const code = /id="error-code">([^<]*)</.exec(page)?.[1];
  const description = /id="error-description">([^<]*)</.exec(page)?.[1];
  return code
    ? new ApproveError(decode(description ?? code), decode(code), status)
    : new ApproveError(
        `the emulator answered ${status} with no form to submit`,
        'unexpected_response',
        status,
      );
}

/**
 * Walks an authorization request through the emulator as a browser would: follows its redirects
 * with a cookie jar, posts the real sign-on form (with the user's password) and the real consent
 * form, and stops at the first redirect that leaves the emulator — the client's redirect URI —
 * without fetching it.
 */
export async function approve(
  input: ApproveInput,
  authorizeUrl: string | URL,
  options: ApproveOptions = {},
): Promise<URL> {
  const start = new URL(authorizeUrl);
  if (start.origin !== input.origin) {
    throw new TypeError(`approve: ${start.origin} is not this emulator`);
  }
  const username =
    options.username ?? start.searchParams.get('login_hint') ?? input.users[0]?.username;
  const user = input.users.find((u) => u.username === username);
  if (!user) throw new TypeError(`approve: no user named ${String(username)}`);

  const jar = input.jar ?? new CookieJar();
  let url = start;
  let form: URLSearchParams | undefined;
  let denied = false;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const headers: Record<string, string> = {};
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      body: form,
      headers,
      redirect: 'manual',
    });
    jar.store(url, response);

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== input.origin || !next.pathname.startsWith(input.environmentPath)) {
        if (options.deny && !denied) {
          throw new ApproveError(
            'consent was granted without a consent page to deny',
            'consent_not_shown',
            response.status,
          );
        }
        return next;
      }
      url = next;
      form = undefined;
      continue;
    }

    const page = await response.text();
    const action = /<form\b[^>]*\baction="([^"]+)"/.exec(page)?.[1];
    if (response.status === 401) {
      throw new ApproveError(`sign-on failed for ${user.username}`, 'login_failed', 401);
    }
    if (response.status !== 200 || !action) throw errorOf(page, response.status);
    url = new URL(decode(action), url);
    if (page.includes('name="password"')) {
      form = new URLSearchParams({ username: user.username, password: user.password });
    } else {
      form = new URLSearchParams({ decision: options.deny ? 'deny' : 'allow' });
      denied = options.deny === true;
    }
  }
  throw new ApproveError(
    `no redirect to the client after ${MAX_STEPS} steps`,
    'unexpected_response',
    0,
  );
}

/**
 * Sends a signoff request as the browser of `input.jar` would and returns where the emulator
 * redirects it, without fetching that URL.
 */
export async function signOff(
  input: ApproveInput & { issuer: string },
  parameters: SignOffParameters = {},
): Promise<URL> {
  const url = new URL(`${input.issuer}/signoff`);
  const names = {
    idTokenHint: 'id_token_hint',
    postLogoutRedirectUri: 'post_logout_redirect_uri',
    state: 'state',
  } as const;
  for (const [key, name] of Object.entries(names)) {
    const value = parameters[key as keyof SignOffParameters];
    if (value !== undefined) url.searchParams.set(name, value);
  }
  const jar = input.jar ?? new CookieJar();
  const cookie = jar.header(url);
  const response = await fetch(url, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  });
  jar.store(url, response);
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    await response.body?.cancel();
    return new URL(location, url);
  }
  throw errorOf(await response.text(), response.status);
}
