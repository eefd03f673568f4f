import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT } from './defaults.js';
import { authorization, discover, exchange, useEmulator } from '../test/helpers.js';

describe('the RFC 9207 iss response parameter only when the authorizationResponseIss switch says so (no PingOne page shows it)', () => {
  const emulator = useEmulator();

  afterEach(() => {
    emulator().faults.authorizationResponseIss = false;
  });

  async function callback(params: Record<string, string | null> = {}, deny = false) {
    const as = await discover(emulator());
    const request = await authorization(as, DEFAULT_CLIENT, params);
    return { as, request, callback: await emulator().approve(request.url, { deny }) };
  }

  it('by default sends no iss with the code nor with an error, and discovery does not advertise it', async () => {
    const { as, request, callback: url } = await callback();
    expect(url.searchParams.has('iss')).toBe(false);
    expect(url.searchParams.get('code')).toEqual(expect.any(String));
    expect(as.authorization_response_iss_parameter_supported).toBeUndefined();

    // A client that checks iss when present still completes the flow.
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      await exchange(as, DEFAULT_CLIENT, request, url),
      { expectedNonce: request.nonce },
    );
    expect(tokens.access_token).toEqual(expect.any(String));

    const denied = await callback({}, true);
    expect(denied.callback.searchParams.get('error')).toBe('access_denied');
    expect(denied.callback.searchParams.has('iss')).toBe(false);
  });

  it('with the switch on, sends iss with the code and the error and advertises it', async () => {
    emulator().faults.authorizationResponseIss = true;
    const { as, callback: url } = await callback();
    expect(url.searchParams.get('iss')).toBe(emulator().issuer);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);

    const denied = await callback({}, true);
    expect(denied.callback.searchParams.get('iss')).toBe(emulator().issuer);
  });

  it('leaves iss out of a fragment response too', async () => {
    const { callback: url } = await callback({ response_mode: 'fragment' });
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get('code')).toEqual(expect.any(String));
    expect(fragment.has('iss')).toBe(false);
  });

  it('refuses a bad value for the switch with a TypeError', () => {
    expect(() => {
      emulator().faults.authorizationResponseIss = 'yes' as never;
    }).toThrow(TypeError);
  });
});
