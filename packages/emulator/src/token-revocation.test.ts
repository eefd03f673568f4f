import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER } from './defaults.js';
import {
  BASIC_CLIENT,
  claimsOf,
  clientAuth,
  connect,
  discover,
  insecure,
  refresh,
  useEmulator,
} from '../test/helpers.js';
import type { EmulatorClient } from './types.js';

describe('/as/revoke revokes custom-resource tokens with a sid and leaves PingOne API tokens valid (token-revocation)', () => {
  const emulator = useEmulator({ clients: [DEFAULT_CLIENT, BASIC_CLIENT] });

  async function revoke(token: string, client: EmulatorClient = DEFAULT_CLIENT): Promise<Response> {
    const as = await discover(emulator());
    return oauth.revocationRequest(
      as,
      { client_id: client.clientId },
      clientAuth(client),
      token,
      insecure,
    );
  }

  async function active(token: string, client: EmulatorClient = DEFAULT_CLIENT): Promise<boolean> {
    const as = await discover(emulator());
    const response = await oauth.introspectionRequest(
      as,
      { client_id: client.clientId },
      clientAuth(client),
      token,
      insecure,
    );
    return (await oauth.processIntrospectionResponse(as, { client_id: client.clientId }, response))
      .active;
  }

  const me = (token: string) =>
    fetch(
      `${emulator().apiBaseUrl}/v1/environments/${emulator().environmentId}/users/${DEFAULT_USER.id}`,
      { headers: { authorization: `Bearer ${token}` } },
    );

  it('a refresh token for p1: scopes: 200, and it still refreshes', async () => {
    const tokens = await connect(emulator());
    const response = await revoke(tokens.refresh_token!);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect((await refresh(emulator(), tokens.refresh_token!)).status).toBe(200);
  });

  it('a PingOne API access token: 200, and the Management API still takes it', async () => {
    const tokens = await connect(emulator());

    expect((await revoke(tokens.access_token)).status).toBe(200);
    expect((await me(tokens.access_token)).status).toBe(200);
    expect(await active(tokens.access_token)).toBe(true);
  });

  it('a refresh token for OpenID Connect scopes only, not a custom resource’s: 200, and it still refreshes', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid profile' } });

    expect((await revoke(tokens.refresh_token!)).status).toBe(200);
    expect((await refresh(emulator(), tokens.refresh_token!)).status).toBe(200);
  });

  it('a custom resource’s refresh token is revoked: the next refresh gets invalid_grant', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid read:photos' } });

    expect((await revoke(tokens.refresh_token!)).status).toBe(200);
    const after = await refresh(emulator(), tokens.refresh_token!);
    expect(after.status).toBe(400);
    expect(((await after.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('a custom resource’s access token is revoked with its grant: inactive, and the refresh token too', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid read:photos' } });
    expect(await active(tokens.access_token)).toBe(true);

    expect((await revoke(tokens.access_token)).status).toBe(200);
    expect(await active(tokens.access_token)).toBe(false);
    expect((await refresh(emulator(), tokens.refresh_token!)).status).toBe(400);
  });

  it('another client’s custom-resource token is left alone', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid read:photos' } });

    expect((await revoke(tokens.refresh_token!, BASIC_CLIENT)).status).toBe(200);
    expect((await refresh(emulator(), tokens.refresh_token!)).status).toBe(200);
  });

  it('introspects a custom resource’s JWT access token with its claims, for its own client only', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid read:photos' } });
    const as = await discover(emulator());
    const response = await oauth.introspectionRequest(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      clientAuth(DEFAULT_CLIENT),
      tokens.access_token,
      insecure,
    );
    const body = await oauth.processIntrospectionResponse(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      response,
    );

    expect(body).toMatchObject({
      active: true,
      client_id: DEFAULT_CLIENT.clientId,
      sub: DEFAULT_USER.id,
      sid: claimsOf(tokens.access_token).sid,
      scope: 'openid read:photos',
    });
    expect(await active(tokens.access_token, BASIC_CLIENT)).toBe(false);
  });
});
