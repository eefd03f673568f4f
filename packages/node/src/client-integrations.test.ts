import type { IntegrationInput } from '@pingone-connect/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../test/rejection.js';
import { CLIENT_ID, CLIENT_SECRET, startStack, type Stack } from '../test/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { ALLOW_LOOPBACK_PINGONE: 'true' } });
});

afterAll(async () => {
  await stack?.close();
});

/** An integration on the stack's emulator and its one client. */
function input(id: string, overrides: Partial<IntegrationInput> = {}): IntegrationInput {
  return {
    id,
    display_name: `Customer ${id}`,
    environment_id: stack.emulator.environmentId,
    auth_base_url: stack.emulator.issuer,
    api_base_url: stack.emulator.apiBaseUrl,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    ...overrides,
  };
}

describe('integrations', () => {
  it('creates an integration whose preflight passed, and connects through it', async () => {
    const created = await stack.client.createIntegration(input('acme'));
    expect(created).toMatchObject({ id: 'acme', source: 'api', preflight: { ok: true } });
    expect(JSON.stringify(created)).not.toContain(CLIENT_SECRET);

    const { connectionId } = await stack.connect({
      session: { endUser: { id: 'user-acme' }, integrationId: 'acme' },
    });
    const connection = await stack.client.getConnection(connectionId);
    expect(connection.integration_id).toBe('acme');
  });

  it('rejects a failed preflight with integration_invalid and the checks in details', async () => {
    const error = await failure(
      stack.client.createIntegration(input('wrong', { client_secret: 'not-the-secret' })),
    );
    expect(error).toMatchObject({ code: 'integration_invalid', status: 422 });
    expect(error.details?.checks.at(-1)).toMatchObject({ name: 'client_credentials', ok: false });
    expect((await failure(stack.client.getIntegration('wrong'))).code).toBe(
      'integration_not_found',
    );
  });

  it('lists, reads, updates and preflights integrations', async () => {
    await stack.client.createIntegration(input('listed'));
    const page = await stack.client.listIntegrations({ limit: 100 });
    expect(page.data.map((integration) => [integration.id, integration.source])).toEqual(
      expect.arrayContaining([
        ['listed', 'api'],
        ['pingone', 'config'],
      ]),
    );
    expect(await stack.client.getIntegration('listed')).toMatchObject({
      display_name: 'Customer listed',
    });
    const updated = await stack.client.updateIntegration('listed', {
      display_name: 'Renamed',
      client_secret: CLIENT_SECRET,
    });
    expect(updated).toMatchObject({ display_name: 'Renamed', preflight: { ok: true } });
    expect(await stack.client.preflightIntegration('listed')).toMatchObject({ ok: true });
  });

  it('refuses to delete an integration with connections unless told to delete them', async () => {
    await stack.client.createIntegration(input('leaving'));
    const { connectionId } = await stack.connect({
      session: { endUser: { id: 'user-leaving' }, integrationId: 'leaving' },
    });
    expect(await failure(stack.client.deleteIntegration('leaving'))).toMatchObject({
      code: 'conflict',
      status: 409,
    });
    await expect(
      stack.client.deleteIntegration('leaving', { deleteConnections: true }),
    ).resolves.toBeUndefined();
    expect((await failure(stack.client.getConnection(connectionId))).code).toBe(
      'connection_not_found',
    );
    expect((await failure(stack.client.getIntegration('leaving'))).code).toBe(
      'integration_not_found',
    );
  });

  it('refuses a configured integration’s change with conflict', async () => {
    expect(
      await failure(stack.client.updateIntegration('pingone', { display_name: 'x' })),
    ).toMatchObject({ code: 'conflict' });
  });

  it('refuses an empty integration id before any request', async () => {
    await expect(stack.client.getIntegration('')).rejects.toThrow(TypeError);
  });
});
