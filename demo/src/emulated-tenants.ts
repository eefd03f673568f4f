import type { Emulator, EmulatorEnvironmentOptions, EmulatorUser } from '@pingone-connect/emulator';
import { CUSTOMER_IDS, type CustomerId } from './customers.js';
import type { TenantSetup } from './tenant-pingone.js';

/** One customer's PingOne as the emulator plays it: its environment, application and admin. */
export interface EmulatedTenant {
  environmentId: string;
  clientId: string;
  /** Who signs in on that environment's sign-on page. */
  user: EmulatorUser;
}

/** Fixed ids, so that the values the demo prints stay the same from run to run. */
export const EMULATED_TENANTS: Readonly<Record<CustomerId, EmulatedTenant>> = {
  acme: {
    environmentId: 'a0c3e7d1-5b2f-4e8a-9c6d-1f2e3a4b5c01',
    clientId: 'a0c3e7d1-0a11-4c0e-8d1a-ac3e00000001',
    user: {
      id: 'a0c3e7d1-7e57-4a1b-8c2d-ac3e00000042',
      username: 'acme-admin',
      password: 'acme-password',
      email: 'ada@acme.example',
      givenName: 'Ada',
      familyName: 'Lovelace',
    },
  },
  globex: {
    environmentId: 'b1d4f8e2-6c3a-4f9b-8d7e-2a3b4c5d6e02',
    clientId: 'b1d4f8e2-0b22-4d1f-9e2b-91b3e0000001',
    user: {
      id: 'b1d4f8e2-7e57-4b2c-9d3e-91b3e0000007',
      username: 'globex-admin',
      password: 'globex-password',
      email: 'hank@globex.example',
      givenName: 'Hank',
      familyName: 'Scorpio',
    },
  },
};

/**
 * The emulator's environments, one per customer, each with one OIDC Web App whose redirect URI
 * is the server's callback and whose secret was made for this run.
 */
export function emulatorEnvironments(
  callbackUrl: string,
  secrets: Readonly<Record<CustomerId, string>>,
): EmulatorEnvironmentOptions[] {
  return CUSTOMER_IDS.map((customer) => {
    const tenant = EMULATED_TENANTS[customer];
    return {
      id: tenant.environmentId,
      clients: [
        {
          clientId: tenant.clientId,
          clientSecret: secrets[customer],
          redirectUris: [callbackUrl],
          tokenEndpointAuthMethod: 'client_secret_post',
        },
      ],
      users: [tenant.user],
    };
  });
}

/**
 * How the sample backend reaches each customer's emulated PingOne: the integration id is the
 * customer's slug, and the panel is pre-filled with its environment's application.
 */
export function emulatedTenantSetups(
  emulator: Emulator,
  secrets: Readonly<Record<CustomerId, string>>,
): Record<CustomerId, TenantSetup> {
  const setup = (customer: CustomerId): TenantSetup => {
    const { environmentId, clientId } = EMULATED_TENANTS[customer];
    const environment = emulator.environment(environmentId);
    return {
      integrationId: customer,
      emulated: {
        environmentId,
        clientId,
        clientSecret: secrets[customer],
        authBaseUrl: environment.authBaseUrl,
        apiBaseUrl: environment.apiBaseUrl,
      },
    };
  };
  return { acme: setup('acme'), globex: setup('globex') };
}
