import type { Integration as IntegrationView, SigningKeyView } from '@pingone-connect/protocol';
import type { Integration } from '../config.js';
import type { PublicJwk } from '../crypto/signing-key.js';
import type { IntegrationRecord } from '../store/integrations.js';
import { placeOf } from './location.js';

const iso = (time: number) => new Date(time).toISOString();

/** The public key an administrator registers in PingOne, as the JWKS PingOne takes. */
function signingKeyView(publicJwk: PublicJwk): SigningKeyView {
  return { kid: publicJwk.kid, alg: publicJwk.alg, jwks: { keys: [{ ...publicJwk }] } };
}

/** A stored integration as the API answers it; the secret or private key stays behind. */
export function storedIntegrationView(record: IntegrationRecord): IntegrationView {
  const { region, customDomain } = placeOf(record.location);
  return {
    id: record.id,
    display_name: record.displayName,
    environment_id: record.environmentId,
    region,
    custom_domain: customDomain,
    client_id: record.clientId,
    token_auth_method: record.clientAuth.method,
    signing_key:
      record.clientAuth.method === 'private_key_jwt'
        ? signingKeyView(record.clientAuth.publicJwk)
        : null,
    scopes: [...record.scopes],
    skip_token_session_validation: record.skipTokenSessionValidation,
    refresh_token_duration: record.refreshTokenDuration,
    refresh_token_rolling_duration: record.refreshTokenRollingDuration,
    source: 'api',
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
  };
}

/** A configured integration as the API answers it; the secret or private key stays behind. */
export function configuredIntegrationView(integration: Integration): IntegrationView {
  return {
    id: integration.id,
    display_name: integration.displayName,
    environment_id: integration.environmentId,
    region: integration.region,
    custom_domain: integration.customDomain,
    client_id: integration.clientId,
    token_auth_method: integration.clientAuth.method,
    signing_key:
      integration.clientAuth.method === 'private_key_jwt'
        ? signingKeyView(integration.clientAuth.signingKey.publicJwk)
        : null,
    scopes: [...integration.scopes],
    skip_token_session_validation: integration.skipTokenSessionValidation,
    refresh_token_duration: integration.refreshTokenDuration,
    refresh_token_rolling_duration: integration.refreshTokenRollingDuration,
    source: 'config',
    created_at: null,
    updated_at: null,
  };
}
