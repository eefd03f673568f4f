import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, DEFAULT_USER, ORGANIZATION_ID } from './defaults.js';
import { startEmulator } from './start-emulator.js';
import { claimsOf, connect, discover, useEmulator } from '../test/helpers.js';
import type { EmulatorClient, EmulatorOptions } from './types.js';

const A = '0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a';
const B = '0b0b0b0b-2222-4222-8222-0b0b0b0b0b0b';
const CLIENT_A: EmulatorClient = {
  ...DEFAULT_CLIENT,
  clientId: 'client-a',
  clientSecret: 'a-secret',
};
const CLIENT_B: EmulatorClient = {
  ...DEFAULT_CLIENT,
  clientId: 'client-b',
  clientSecret: 'b-secret',
};
const TWO: EmulatorOptions = {
  environments: [
    { id: A, clients: [CLIENT_A] },
    { id: B, clients: [CLIENT_B] },
  ],
};

describe('several environments in one emulator', () => {
  const emulator = useEmulator(TWO);

  it('serves each environment under its own issuer, the first one also as the emulator’s', async () => {
    const [a, b] = emulator().environments;
    const origin = `http://127.0.0.1:${emulator().port}`;
    expect(a).toMatchObject({ id: A, issuer: `${origin}/${A}/as`, apiBaseUrl: origin });
    expect(b).toMatchObject({
      id: B,
      issuer: `${origin}/${B}/as`,
      authBaseUrl: `${origin}/${B}/as`,
    });
    expect((await discover(b!)).issuer).toBe(b!.issuer);
    expect(emulator()).toMatchObject({ environmentId: A, issuer: a!.issuer, clients: a!.clients });
  });

  it('finds an environment by its id', () => {
    expect(emulator().environment(B)).toBe(emulator().environments[1]);
  });

  it('throws TypeError for an environment it does not have', () => {
    expect(() => emulator().environment(DEFAULT_USER.id)).toThrow(TypeError);
  });

  it('signs with a key of each environment’s own', async () => {
    const kids = await Promise.all(
      emulator().environments.map(async (e) => {
        const jwks = (await (await fetch(`${e.issuer}/jwks`)).json()) as {
          keys: { kid: string }[];
        };
        return jwks.keys.map((k) => k.kid);
      }),
    );
    expect(kids[0]).toHaveLength(1);
    expect(kids[1]).toHaveLength(1);
    expect(kids[0]![0]).not.toBe(kids[1]![0]);
  });

  it('registers each environment’s clients there only', () => {
    const [a, b] = emulator().environments;
    expect(a!.clients.map((c) => c.clientId)).toEqual(['client-a']);
    expect(b!.clients.map((c) => c.clientId)).toEqual(['client-b']);
  });

  it('gives each environment after the first an organization of its own', async () => {
    const [a, b] = emulator().environments;
    expect(a!.organizationId).toBe(ORGANIZATION_ID);
    expect(b!.organizationId).not.toBe(ORGANIZATION_ID);
    const tokens = await connect(b!);
    expect(claimsOf(tokens.access_token)).toMatchObject({ env: B, org: b!.organizationId });
    expect(claimsOf(tokens.id_token!)).toMatchObject({ env: B, org: b!.organizationId });
  });

  it('counts token requests per environment, and their sum emulator-wide', async () => {
    emulator().resetCounters();
    const [a, b] = emulator().environments;
    await connect(b!);
    expect(b!.tokenRequests('authorization_code')).toBe(1);
    expect(a!.tokenRequests()).toBe(0);
    expect(emulator().tokenRequests('authorization_code')).toBe(1);
    emulator().resetCounters();
    expect(b!.tokenRequests()).toBe(0);
  });

  it('keeps sign-on sessions per environment', async () => {
    const [a, b] = emulator().environments;
    const before = { a: a!.sessions().length, b: b!.sessions().length };
    const tokens = await connect(a!);
    const sid = claimsOf(tokens.id_token!).sid;
    expect(a!.sessions().map((s) => s.id)).toContain(sid);
    expect(b!.sessions()).toHaveLength(before.b);
    expect(emulator().sessions()).toHaveLength(before.a + 1 + before.b);
    expect(b!.endSession(sid as string)).toBe(false);
    expect(emulator().endSession(sid as string)).toBe(true);
  });

  it('approves an authorization URL of any environment through the emulator itself', async () => {
    const b = emulator().environments[1]!;
    const tokens = await connect({ ...b, approve: emulator().approve });
    expect(claimsOf(tokens.access_token).iss).toBe(b.issuer);
  });
});

describe('environments options', () => {
  it('throws TypeError when environments is combined with a single-environment option', async () => {
    await expect(startEmulator({ ...TWO, clients: [CLIENT_A] })).rejects.toThrow(
      /environments cannot be combined with clients/,
    );
  });

  it('throws TypeError for a client id registered in two environments', async () => {
    await expect(
      startEmulator({
        environments: [
          { id: A, clients: [CLIENT_A] },
          { id: B, clients: [CLIENT_A] },
        ],
      }),
    ).rejects.toThrow(/client ids must be unique/);
  });

  it('throws TypeError for two environments with one id', async () => {
    await expect(
      startEmulator({
        environments: [
          { id: A, clients: [CLIENT_A] },
          { id: A.toUpperCase(), clients: [CLIENT_B] },
        ],
      }),
    ).rejects.toThrow(/environment ids must be unique/);
  });

  it('throws TypeError for an environment without clients', async () => {
    await expect(
      startEmulator({ environments: [{ id: A } as unknown as { id: string; clients: [] }] }),
    ).rejects.toThrow(/environments\[0\]\.clients must be a non-empty array/);
  });

  it('throws TypeError for an empty environments list', async () => {
    await expect(startEmulator({ environments: [] })).rejects.toThrow(TypeError);
  });

  it('fills in each environment’s users and role assignments in that environment', async () => {
    const emulator = await startEmulator(TWO);
    try {
      expect(emulator.environment(B).users).toEqual([
        {
          ...DEFAULT_USER,
          roleAssignments: [{ role: 'Environment Admin', scope: { type: 'ENVIRONMENT', id: B } }],
        },
      ]);
    } finally {
      await emulator.close();
    }
  });
});
