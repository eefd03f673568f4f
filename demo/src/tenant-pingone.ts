import {
  PingOneConnectError,
  type CreatedIntegration,
  type Integration,
  type PingOneConnect,
  type PreflightResult,
} from '@pingone-connect/node';
import type { Customer } from './customers.js';

/** PingOne's regions, as the settings panel offers them. */
export const REGIONS = ['com', 'ca', 'eu', 'com.au', 'sg', 'asia'] as const;
type Region = (typeof REGIONS)[number];

/** Where a customer's PingOne is when the emulator plays it: what the panel is pre-filled with. */
export interface EmulatedPingOne {
  environmentId: string;
  clientId: string;
  clientSecret: string;
  authBaseUrl: string;
  apiBaseUrl: string;
}

/** How the sample backend reaches one customer's PingOne. */
export interface TenantSetup {
  /** The integration of the customer's sessions and connections. */
  integrationId: string;
  /**
   * In emulator mode: the emulator environment standing in for the customer's PingOne. Its URLs
   * are sent instead of a region (the server accepts them only with ALLOW_LOOPBACK_PINGONE).
   */
  emulated?: EmulatedPingOne;
}

/** What the settings panel shows: the integration once set up, else what to pre-fill. */
export interface PingOneSettings {
  integration_id: string;
  integration: Integration | null;
  suggested: { environment_id: string; client_id: string; client_secret: string } | null;
  emulated: boolean;
}

export async function readPingOne(
  client: PingOneConnect,
  tenant: TenantSetup,
): Promise<PingOneSettings> {
  const { emulated } = tenant;
  return {
    integration_id: tenant.integrationId,
    integration: await findIntegration(client, tenant.integrationId),
    suggested: emulated
      ? {
          environment_id: emulated.environmentId,
          client_id: emulated.clientId,
          client_secret: emulated.clientSecret,
        }
      : null,
    emulated: emulated !== undefined,
  };
}

/** A refusal to show in the panel: the server's code, message and, for a preflight, its checks. */
export interface SaveRefusal {
  ok: false;
  status: 400 | 409 | 422;
  error: { code: string; message: string; details?: { checks: PreflightResult['checks'] } };
}

export type SaveResult =
  { ok: true; value: { integration: Integration; preflight: PreflightResult } } | SaveRefusal;

/** The sample SaaS, as its pages name it. */
const PRODUCT_NAME = 'Acme Analytics';

/** The panel's form, as posted. */
interface PingOneForm {
  environment_id: string;
  client_id: string;
  client_secret: string;
  where: { region: Region } | { custom_domain: string };
}

/**
 * Sets up the customer's PingOne: a new integration (`POST /integrations`), or, when it exists
 * for the same environment and application, a new client secret (`PATCH`). Either way the
 * server runs its preflight first and stores nothing that failed it; the checks come back to
 * the panel as they are.
 */
export async function savePingOne(
  client: PingOneConnect,
  customer: Customer,
  tenant: TenantSetup,
  body: unknown,
): Promise<SaveResult> {
  const form = parseForm(body, tenant.emulated !== undefined);
  if (typeof form === 'string') return refusal(400, 'invalid_request', form);
  const id = tenant.integrationId;
  try {
    const existing = await findIntegration(client, id);
    if (!existing) {
      const where = tenant.emulated
        ? { auth_base_url: tenant.emulated.authBaseUrl, api_base_url: tenant.emulated.apiBaseUrl }
        : form.where;
      const created: CreatedIntegration = await client.createIntegration({
        id,
        // What the hosted link page says the account connects to: the product, for the
        // customer (the session's organization).
        display_name: PRODUCT_NAME,
        environment_id: form.environment_id,
        ...where,
        client_id: form.client_id,
        client_secret: form.client_secret,
      });
      return { ok: true, value: { integration: created, preflight: created.preflight } };
    }
    if (existing.source === 'config') {
      return refusal(
        409,
        'conflict',
        `${customer.displayName}'s PingOne was set up by the operator (PINGONE_* variables) and cannot be changed here.`,
      );
    }
    if (!sameApplication(existing, form, tenant.emulated !== undefined)) {
      return refusal(
        409,
        'conflict',
        `${customer.displayName}'s PingOne is set up with another environment or application; only its client secret can be changed.`,
      );
    }
    const { preflight, ...integration } = await client.updateIntegration(id, {
      client_secret: form.client_secret,
    });
    return {
      ok: true,
      // A new secret always re-runs the checks (DESIGN §4.8), so `preflight` is there.
      value: { integration, preflight: preflight ?? { ok: true, checks: [] } },
    };
  } catch (error) {
    if (error instanceof PingOneConnectError && isPanelStatus(error.status)) {
      return refusal(error.status, error.code, error.message, error.details);
    }
    throw error;
  }
}

async function findIntegration(client: PingOneConnect, id: string): Promise<Integration | null> {
  try {
    return await client.getIntegration(id);
  } catch (error) {
    if (error instanceof PingOneConnectError && error.code === 'integration_not_found') return null;
    throw error;
  }
}

function sameApplication(existing: Integration, form: PingOneForm, emulated: boolean): boolean {
  if (existing.environment_id !== form.environment_id) return false;
  if (existing.client_id !== form.client_id) return false;
  if (emulated) return true;
  return 'region' in form.where
    ? existing.custom_domain === null && existing.region === form.where.region
    : existing.custom_domain === form.where.custom_domain;
}

const isPanelStatus = (status: number): status is SaveRefusal['status'] =>
  status === 400 || status === 409 || status === 422;

function refusal(
  status: SaveRefusal['status'],
  code: string,
  message: string,
  details?: { checks: PreflightResult['checks'] },
): SaveRefusal {
  return { ok: false, status, error: { code, message, ...(details ? { details } : {}) } };
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * The form, or what is missing from it. The server validates the values themselves; in
 * emulator mode region and custom domain are not asked (the emulator's URLs are sent).
 */
function parseForm(body: unknown, emulated: boolean): PingOneForm | string {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const environment_id = text(fields.environment_id);
  const client_id = text(fields.client_id);
  const client_secret = text(fields.client_secret);
  if (!environment_id || !client_id || !client_secret) {
    return 'Fill in the environment id, the client id and the client secret.';
  }
  const custom_domain = text(fields.custom_domain);
  const region = text(fields.region) || 'com';
  if (!emulated && !custom_domain && !(REGIONS as readonly string[]).includes(region)) {
    return `The region must be one of ${REGIONS.join(', ')}.`;
  }
  const where = custom_domain ? { custom_domain } : { region: region as Region };
  return { environment_id, client_id, client_secret, where };
}
