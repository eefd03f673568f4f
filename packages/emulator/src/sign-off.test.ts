import { describe, expect, it } from 'vitest';
import { approve } from './approve.js';
import { CookieJar } from './cookie-jar.js';
import { DEFAULT_CLIENT } from './defaults.js';
import { authorization, browser, discover, useEmulator } from './test-helpers.js';

describe('sign-off', () => {
  const emulator = useEmulator();

  it('asks a signed-on user for confirmation on the emulator’s own page, then signs off', async () => {
    const jar = new CookieJar();
    const { url } = await authorization(await discover(emulator()), DEFAULT_CLIENT);
    const { apiBaseUrl: origin, environmentId, users } = emulator();
    await approve({ origin, environmentPath: `/${environmentId}/`, users, jar }, url);

    const get = browser(jar);
    const signoff = new URL(`${emulator().issuer}/signoff`);
    const confirm = await get(signoff);
    const page = await confirm.text();

    expect(confirm.status).toBe(200);
    expect(confirm.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page).toContain('not PingOne');
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);

    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    const done = await get(new URL(action!, signoff), {
      method: 'POST',
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }),
    });
    const signedOff = await get(new URL(done.headers.get('location')!, signoff));

    expect(await signedOff.text()).toContain('You have signed off');
  });
});
