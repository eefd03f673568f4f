import type { Integration as IntegrationView } from '@pingone-connect/protocol';
import type { Integration } from '../config.js';
import type { IntegrationRecord } from '../store/integrations.js';

const iso = (time: number) => new Date(time).toISOString();

/** A stored integration as the API answers it; the secret stays behind. */
export function storedIntegrationView(record: IntegrationRecord): IntegrationView {
  const { location } = record;
  return {
    id: record.id,
    display_name: record.displayName,
    environment_id: record.environmentId,
    region: location.kind === 'loopback' ? null : location.region,
    custom_domain: location.kind === 'custom_domain' ? location.customDomain : null,
    client_id: record.clientId,
    token_auth_method: record.tokenAuthMethod,
    scopes: [...record.scopes],
    skip_token_session_validation: record.skipTokenSessionValidation,
    refresh_token_duration: record.refreshTokenDuration,
    refresh_token_rolling_duration: record.refreshTokenRollingDuration,
    source: 'api',
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
  };
}

/** A configured integration as the API answers it; the secret stays behind. */
export function configuredIntegrationView(integration: Integration): IntegrationView {
  return {
    id: integration.id,
    display_name: integration.displayName,
    environment_id: integration.environmentId,
    region: integration.region,
    custom_domain: integration.customDomain,
    client_id: integration.clientId,
    token_auth_method: integration.tokenAuthMethod,
    scopes: [...integration.scopes],
    skip_token_session_validation: integration.skipTokenSessionValidation,
    refresh_token_duration: integration.refreshTokenDuration,
    refresh_token_rolling_duration: integration.refreshTokenRollingDuration,
    source: 'config',
    created_at: null,
    updated_at: null,
  };
}
