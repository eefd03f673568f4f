import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmulator } from './start-emulator.js';
import {
  BASIC_CLIENT,
  CORRELATED,
  connect,
  discover,
  insecure,
  privateKeyJwtClient,
  refresh,
} from '../test/helpers.js';
import { DEFAULT_CLIENT } from './defaults.js';
import type { Emulator, EmulatorClient } from './types.js';

const JWT_CLIENT: EmulatorClient = {
  clientId: 'rotating-jwt-client',
  clientSecret: 'the-first-secret-long-enough-for-hs256-000',
  redirectUris: ['http://127.0.0.1:4031/callback'],
  tokenEndpointAuthMethod: 'client_secret_jwt',
};

const NEW_SECRET = 'the-second-secret-long-enough-for-hs256-11';
const ENV_A = '5a1e0f3c-7d2b-4c9a-8e6f-aaaaaaaaaaaa';
const ENV_B = '5b1e0f3c-7d2b-4c9a-8e6f-bbbbbbbbbbbb';

let running: Emulator | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await running?.close();
  running = undefined;
});

async function emulatorWith(clients: EmulatorClient[]): Promise<Emulator> {
  running = await startEmulator({ clients });
  return running;
}

/** A client as it presents itself: its registration with `secret`. */
const using = (client: EmulatorClient, secret: string): EmulatorClient => ({
  ...client,
  clientSecret: secret,
});

async function errorOf(response: Response): Promise<{ error: string; error_description: string }> {
  return (await response.json()) as { error: string; error_description: string };
}

describe.each([
  ['client_secret_post', DEFAULT_CLIENT],
  ['client_secret_basic', BASIC_CLIENT],
  ['client_secret_jwt', JWT_CLIENT],
] as const)('rotating the secret of a %s client at run time', (_method, client) => {
  it('takes the new secret at once, for a refresh token issued before the rotation', async () => {
    const emulator = await emulatorWith([client]);
    const tokens = await connect(emulator, { client });

    emulator.rotateClientSecret(client.clientId, { secret: NEW_SECRET });

    const response = await refresh(emulator, tokens.refresh_token!, using(client, NEW_SECRET));
    expect(response.status).toBe(200);
  });

  it('still takes the previous secret until it is revoked', async () => {
    const emulator = await emulatorWith([client]);
    const tokens = await connect(emulator, { client });

    emulator.rotateClientSecret(client.clientId, { secret: NEW_SECRET });

    const response = await refresh(emulator, tokens.refresh_token!, client);
    expect(response.status).toBe(200);
  });

  it('refuses the previous secret with invalid_client once it is revoked', async () => {
    const emulator = await emulatorWith([client]);
    const tokens = await connect(emulator, { client });
    emulator.rotateClientSecret(client.clientId, { secret: NEW_SECRET });

    expect(emulator.revokePreviousClientSecret(client.clientId)).toBe(true);

    const response = await refresh(emulator, tokens.refresh_token!, client);
    expect(response.status).toBe(401);
    const body = await errorOf(response);
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(CORRELATED);
    expect(JSON.stringify(body)).not.toContain(client.clientSecret);
  });

  it('keeps the grant when the previous secret is revoked: the new secret refreshes it', async () => {
    const emulator = await emulatorWith([client]);
    const tokens = await connect(emulator, { client });
    emulator.rotateClientSecret(client.clientId, { secret: NEW_SECRET });
    emulator.revokePreviousClientSecret(client.clientId);

    const response = await refresh(emulator, tokens.refresh_token!, using(client, NEW_SECRET));
    expect(response.status).toBe(200);
  });
});

describe('the previous client secret', () => {
  it('stops working when its retention ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    const tokens = await connect(emulator);
    emulator.rotateClientSecret(DEFAULT_CLIENT.clientId, { retainPreviousFor: 3600 });

    vi.setSystemTime(Date.now() + 3600 * 1000);

    const response = await refresh(emulator, tokens.refresh_token!, DEFAULT_CLIENT);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).error).toBe('invalid_client');
  });

  it('works until just before its retention ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    const tokens = await connect(emulator);
    emulator.rotateClientSecret(DEFAULT_CLIENT.clientId, { retainPreviousFor: 3600 });

    vi.setSystemTime(Date.now() + 3599 * 1000);

    expect((await refresh(emulator, tokens.refresh_token!, DEFAULT_CLIENT)).status).toBe(200);
  });

  it('is refused at once when it is not retained', async () => {
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    const tokens = await connect(emulator);
    emulator.rotateClientSecret(DEFAULT_CLIENT.clientId, { retainPreviousFor: 0 });

    const response = await refresh(emulator, tokens.refresh_token!, DEFAULT_CLIENT);
    expect(response.status).toBe(401);
    expect(emulator.revokePreviousClientSecret(DEFAULT_CLIENT.clientId)).toBe(false);
  });

  it('is replaced by a second rotation: only the last two secrets work', async () => {
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    const tokens = await connect(emulator);
    const second = emulator.rotateClientSecret(DEFAULT_CLIENT.clientId);
    emulator.rotateClientSecret(DEFAULT_CLIENT.clientId);

    const first = await refresh(emulator, tokens.refresh_token!, DEFAULT_CLIENT);
    expect(first.status).toBe(401);
    const middle = await refresh(emulator, tokens.refresh_token!, using(DEFAULT_CLIENT, second));
    expect(middle.status).toBe(200);
  });
});

describe('rotateClientSecret', () => {
  it('returns a random new secret when none is given, and lists it as the client’s', async () => {
    const emulator = await emulatorWith([DEFAULT_CLIENT]);

    const secret = emulator.rotateClientSecret(DEFAULT_CLIENT.clientId);

    expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(emulator.clients[0]!.clientSecret).toBe(secret);
  });

  it('takes the new secret at the revocation endpoint too', async () => {
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    const tokens = await connect(emulator);
    emulator.rotateClientSecret(DEFAULT_CLIENT.clientId, { secret: NEW_SECRET });
    emulator.revokePreviousClientSecret(DEFAULT_CLIENT.clientId);

    const response = await oauth.revocationRequest(
      await discover(emulator),
      { client_id: DEFAULT_CLIENT.clientId },
      oauth.ClientSecretPost(NEW_SECRET),
      tokens.refresh_token!,
      insecure,
    );
    expect(response.status).toBe(200);
  });

  it('takes the new secret at the pushed authorization request endpoint too', async () => {
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    emulator.rotateClientSecret(DEFAULT_CLIENT.clientId, { secret: NEW_SECRET });
    emulator.revokePreviousClientSecret(DEFAULT_CLIENT.clientId);

    const response = await oauth.pushedAuthorizationRequest(
      await discover(emulator),
      { client_id: DEFAULT_CLIENT.clientId },
      oauth.ClientSecretPost(NEW_SECRET),
      {
        response_type: 'code',
        redirect_uri: DEFAULT_CLIENT.redirectUris[0]!,
        scope: 'openid',
        code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
        code_challenge_method: 'S256',
      },
      insecure,
    );
    expect(response.status).toBe(201);
  });

  it('throws TypeError for a client the emulator does not have', async () => {
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    expect(() => emulator.rotateClientSecret('no-such-client')).toThrow(TypeError);
  });

  it('throws TypeError for a private_key_jwt client, which has no secret', async () => {
    const keyClient = await privateKeyJwtClient('rotating-key-client', 'http://127.0.0.1:4032/cb');
    const emulator = await emulatorWith([DEFAULT_CLIENT, keyClient]);
    expect(() => emulator.rotateClientSecret(keyClient.clientId)).toThrow(TypeError);
  });

  it('throws TypeError for a retention longer than 30 days', async () => {
    const emulator = await emulatorWith([DEFAULT_CLIENT]);
    expect(() =>
      emulator.rotateClientSecret(DEFAULT_CLIENT.clientId, {
        retainPreviousFor: 30 * 24 * 3600 + 1,
      }),
    ).toThrow(TypeError);
  });
});

describe('rotating a client secret in one of several environments', () => {
  const WEB_B: EmulatorClient = {
    clientId: 'env-b-client',
    clientSecret: 'env-b-secret',
    redirectUris: ['http://127.0.0.1:4033/callback'],
  };

  async function twoEnvironments(): Promise<Emulator> {
    running = await startEmulator({
      environments: [
        { id: ENV_A, clients: [DEFAULT_CLIENT] },
        { id: ENV_B, clients: [WEB_B] },
      ],
    });
    return running;
  }

  it('changes that environment’s client only', async () => {
    const emulator = await twoEnvironments();
    const [a, b] = emulator.environments;
    const tokensA = await connect(a!);

    b!.rotateClientSecret(WEB_B.clientId, { secret: NEW_SECRET, retainPreviousFor: 0 });

    expect((await refresh(a!, tokensA.refresh_token!, DEFAULT_CLIENT)).status).toBe(200);
    expect(a!.clients[0]!.clientSecret).toBe(DEFAULT_CLIENT.clientSecret);
  });

  it('refuses the replaced secret in the environment that rotated it', async () => {
    const emulator = await twoEnvironments();
    const b = emulator.environment(ENV_B);
    const tokensB = await connect(b);

    emulator.rotateClientSecret(WEB_B.clientId, { secret: NEW_SECRET, retainPreviousFor: 0 });

    expect((await refresh(b, tokensB.refresh_token!, WEB_B)).status).toBe(401);
    expect((await refresh(b, tokensB.refresh_token!, using(WEB_B, NEW_SECRET))).status).toBe(200);
  });

  it('does not find another environment’s client through an environment', async () => {
    const emulator = await twoEnvironments();
    const [a] = emulator.environments;
    expect(() => a!.rotateClientSecret(WEB_B.clientId)).toThrow(TypeError);
  });
});
