import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  REVOCABLE_SCOPES_ENV,
  connect,
  deleteConnection,
  readConnection,
} from '../../test/connections.js';
import { isActiveFor } from '../../test/introspect.js';
import { CLIENT_ID, startHarness, type Harness } from '../../test/support.js';

// The emulator's client is registered with the method under test, and it refuses a client
// that authenticates otherwise (as PingOne does): every call passing proves the method was used.
describe.each(['client_secret_jwt', 'private_key_jwt'] as const)(
  'the configured integration authenticating with %s',
  (method) => {
    let harness: Harness;
    beforeEach(async () => {
      harness = await startHarness({ tokenAuthMethod: method, env: REVOCABLE_SCOPES_ENV });
    });
    afterEach(() => harness.close());

    it('connects, refreshes and revokes with client assertions', async () => {
      const id = await connect(harness);
      expect(harness.emulator.tokenRequests('authorization_code')).toBe(1);
      const first = await readConnection(harness, id);

      const refreshed = await readConnection(harness, id, true);
      expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
      const refreshToken = refreshed.credentials.refresh_token ?? '';
      expect(refreshToken).not.toBe(first.credentials.refresh_token);

      const auth = harness.config.integrations[0]!.clientAuth;
      expect(auth.method).toBe(method);
      const active = () => isActiveFor(harness.emulator.issuer, CLIENT_ID, auth, refreshToken);
      expect(await active()).toBe(true);
      const deleted = await deleteConnection(harness, id);
      expect(deleted.status).toBe(200);
      expect(await deleted.json()).toEqual({
        deleted: true,
        revoked: ['refresh_token', 'access_token'],
        not_revocable: [],
      });
      expect(await active()).toBe(false);
      expect(harness.logs.join('\n')).not.toContain('connection.revoke_failed');
    });
  },
);
