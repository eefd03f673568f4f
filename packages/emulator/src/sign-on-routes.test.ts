import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import {
  authorization,
  browser,
  CORRELATED,
  discover,
  locationOf,
  useEmulator,
} from '../test/helpers.js';

describe('the sign-on routes refuse bad requests with a 400 page', () => {
  const emulator = useEmulator();

  /** A browser that has started an authorization and been sent to the sign-on page. */
  async function atSignOn() {
    const get = browser();
    const { url } = await authorization(await discover(emulator()), DEFAULT_CLIENT);
    return { get, signOn: locationOf(await get(url), url) };
  }

  async function expectErrorPage(response: Response): Promise<void> {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('id="error-code">invalid_request<');
    expect(/id="error-description">([^<]*)</.exec(page)?.[1]?.trim()).toMatch(CORRELATED);
  }

  it('a sign-on page opened without the interaction cookie', async () => {
    const { signOn } = await atSignOn();
    await expectErrorPage(await browser()(signOn));
  });

  it('a sign-on page with another interaction id than the cookie’s', async () => {
    const { get, signOn } = await atSignOn();
    await expectErrorPage(await get(new URL(`${signOn.href.replace(/[^/]+$/, '')}not-this-one`)));
  });

  it('a consent decision posted before signing on', async () => {
    const { get, signOn } = await atSignOn();
    await expectErrorPage(
      await get(new URL(`${signOn.href}/consent`), {
        method: 'POST',
        body: new URLSearchParams({ decision: 'allow' }),
      }),
    );
  });

  it('a consent decision that is neither Allow nor Deny', async () => {
    const { get, signOn } = await atSignOn();
    const login = await get(new URL(`${signOn.href}/login`), {
      method: 'POST',
      body: new URLSearchParams({
        username: DEFAULT_USER.username,
        password: DEFAULT_USER.password,
      }),
    });
    const consent = locationOf(await get(locationOf(login, signOn)), signOn);
    await expectErrorPage(
      await get(new URL(`${consent.href}/consent`), {
        method: 'POST',
        body: new URLSearchParams({ decision: 'maybe' }),
      }),
    );
  });

  it('a sign-on post without a password gets the form again with 401', async () => {
    const { get, signOn } = await atSignOn();
    const response = await get(new URL(`${signOn.href}/login`), {
      method: 'POST',
      body: new URLSearchParams({ username: DEFAULT_USER.username }),
    });

    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Incorrect username or password.');
  });
});
