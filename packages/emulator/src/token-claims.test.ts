import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER, ORGANIZATION_ID } from './defaults.js';
import { claimsOf, connect, discover, insecure, refresh, useEmulator } from '../test/helpers.js';

describe('token claims, as PingOne lists them (token-claims)', () => {
  const emulator = useEmulator();

  it('the ID token carries sid, acr, amr, auth_time, env, org and p1.region', async () => {
    const tokens = await connect(emulator());
    const claims = claimsOf(tokens.id_token!);
    const session = emulator()
      .sessions()
      .find((s) => s.id === claims.sid);

    expect(session).toBeDefined();
    expect(claims).toMatchObject({
      sub: DEFAULT_USER.id,
      aud: DEFAULT_CLIENT.clientId,
      acr: 'Single_Factor',
      amr: ['pwd'],
      auth_time: session!.signedOnAt.getTime() / 1000,
      env: emulator().environmentId,
      org: ORGANIZATION_ID,
      'p1.region': 'NA',
    });
  });

  it('the access token for the PingOne API carries sid, env, org, client_id, scope, auth_time, acr and aud as an array', async () => {
    const tokens = await connect(emulator());
    const claims = claimsOf(tokens.access_token);

    expect(claims).toMatchObject({
      iss: emulator().issuer,
      sub: DEFAULT_USER.id,
      aud: [emulator().apiBaseUrl],
      client_id: DEFAULT_CLIENT.clientId,
      scope: 'openid profile email p1:read:user',
      sid: claimsOf(tokens.id_token!).sid,
      env: emulator().environmentId,
      org: ORGANIZATION_ID,
      acr: 'Single_Factor',
      auth_time: claimsOf(tokens.id_token!).auth_time,
    });
  });

  it('a custom resource’s access token has its audience in an array, a sid, and no env or org', async () => {
    const tokens = await connect(emulator(), { params: { scope: 'openid read:photos' } });
    const claims = claimsOf(tokens.access_token);

    expect(claims.aud).toEqual(['urn:example:photos']);
    expect(claims.sid).toBe(claimsOf(tokens.id_token!).sid);
    expect(claims).not.toHaveProperty('env');
    expect(claims).not.toHaveProperty('org');
  });

  it('the tokens of a refresh keep the sign-on’s sid and auth_time', async () => {
    const tokens = await connect(emulator());
    const response = await refresh(emulator(), tokens.refresh_token!);
    const refreshed = (await response.json()) as { id_token: string; access_token: string };

    for (const jwt of [refreshed.id_token, refreshed.access_token]) {
      expect(claimsOf(jwt)).toMatchObject({
        sid: claimsOf(tokens.id_token!).sid,
        auth_time: claimsOf(tokens.id_token!).auth_time,
      });
    }
  });

  it('UserInfo answers the user’s claims only, without the session and environment claims', async () => {
    const tokens = await connect(emulator());
    const as = await discover(emulator());
    const response = await oauth.userInfoRequest(
      as,
      { client_id: DEFAULT_CLIENT.clientId },
      tokens.access_token,
      insecure,
    );
    const body = (await response.json()) as Record<string, unknown>;

    for (const claim of ['sid', 'env', 'org', 'acr', 'p1.region'])
      expect(body).not.toHaveProperty(claim);
    expect(body.sub).toBe(DEFAULT_USER.id);
  });
});
