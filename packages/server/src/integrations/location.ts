import type { Config, Region } from '../config.js';
import { invalidRequest } from '../errors.js';
import type { IntegrationLocation } from '../store/integrations.js';

/** Where an integration's requests go, derived from its location (DESIGN §4.8, §5.15). */
export interface IntegrationUrls {
  /** The issuer, without a trailing slash. */
  readonly authBaseUrl: string;
  /** The Management API base, without a trailing slash. */
  readonly apiBaseUrl: string;
}

/** The location fields of `POST /integrations`, validated for shape only. */
export interface LocationInput {
  readonly region?: Region | undefined;
  readonly custom_domain?: string | undefined;
  readonly auth_base_url?: string | undefined;
  readonly api_base_url?: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * A loopback URL as `ALLOW_LOOPBACK_PINGONE` allows it: `http://127.0.0.1` or `localhost`, any
 * port and path, nothing else (no credentials, query or fragment); null for anything else.
 */
function loopbackUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, '');
}

/**
 * Where a new integration's PingOne is, from the request's location fields, checked against
 * what the operator allows — before any request leaves the server (DESIGN §5.15): a region; a
 * custom domain only when `PINGONE_CUSTOM_DOMAINS` lists it exactly; a loopback issuer only
 * with `ALLOW_LOOPBACK_PINGONE=true`. Nothing else of a request ever becomes a URL.
 *
 * @throws ApiError `invalid_request` naming the field.
 */
export function locateIntegration(config: Config, input: LocationInput): IntegrationLocation {
  const loopback = input.auth_base_url !== undefined || input.api_base_url !== undefined;
  if (loopback) {
    if (input.custom_domain !== undefined || input.region !== undefined) {
      throw invalidRequest(
        'auth_base_url and api_base_url replace region and custom_domain: give one or the other',
      );
    }
    if (!config.allowLoopbackPingone) {
      throw invalidRequest(
        'auth_base_url and api_base_url are accepted only when the server sets ALLOW_LOOPBACK_PINGONE=true',
      );
    }
    const authBaseUrl = input.auth_base_url && loopbackUrl(input.auth_base_url);
    const apiBaseUrl = input.api_base_url && loopbackUrl(input.api_base_url);
    if (!authBaseUrl || !apiBaseUrl) {
      throw invalidRequest(
        'auth_base_url and api_base_url: both required, each an http://127.0.0.1 or http://localhost URL',
      );
    }
    return { kind: 'loopback', authBaseUrl, apiBaseUrl };
  }
  const region = input.region ?? 'com';
  if (input.custom_domain === undefined) return { kind: 'region', region };
  const customDomain = input.custom_domain.toLowerCase();
  if (!config.customDomains.includes(customDomain)) {
    throw invalidRequest('custom_domain: not one of the server’s PINGONE_CUSTOM_DOMAINS');
  }
  return { kind: 'custom_domain', region, customDomain };
}

/**
 * The issuer and API base of a location: `https://auth.pingone.{region}/{env}/as`, or
 * `https://{custom_domain}/as` (a PingOne custom domain stands for one environment, so its
 * issuer has no environment id), and `https://api.pingone.{region}`.
 */
export function integrationUrls(
  environmentId: string,
  location: IntegrationLocation,
): IntegrationUrls {
  switch (location.kind) {
    case 'region':
      return {
        authBaseUrl: `https://auth.pingone.${location.region}/${environmentId}/as`,
        apiBaseUrl: `https://api.pingone.${location.region}`,
      };
    case 'custom_domain':
      return {
        authBaseUrl: `https://${location.customDomain}/as`,
        apiBaseUrl: `https://api.pingone.${location.region}`,
      };
    case 'loopback':
      return { authBaseUrl: location.authBaseUrl, apiBaseUrl: location.apiBaseUrl };
  }
}

/** The region and custom domain a stored location names: neither for a loopback one. */
export function placeOf(location: IntegrationLocation): {
  region: Region | null;
  customDomain: string | null;
} {
  return {
    region: location.kind === 'loopback' ? null : location.region,
    customDomain: location.kind === 'custom_domain' ? location.customDomain : null,
  };
}
