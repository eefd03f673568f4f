import type {
  EmulatorClient,
  EmulatorResource,
  EmulatorRoleAssignment,
  EmulatorUser,
} from './types.js';

/** The environment id the emulator uses unless told otherwise (a fixed demo uuid). */
export const DEFAULT_ENVIRONMENT_ID = '7c2b9e51-3c4a-4f0e-9d6b-1a2f3e4d5c6b';

/** The one Web App registered by default; its secret is public, like everything else here. */
export const DEFAULT_CLIENT: Readonly<EmulatorClient> = Object.freeze({
  clientId: '3d1f2a9b-8c7e-4b6a-9f5d-2e1c0b9a8d7f',
  clientSecret: 'emulator-demo-secret-not-for-production',
  redirectUris: Object.freeze(['http://127.0.0.1:3000/oauth/callback']) as string[],
  tokenEndpointAuthMethod: 'client_secret_post',
});

/** The one user who can sign on by default. */
export const DEFAULT_USER: Readonly<EmulatorUser> = Object.freeze({
  id: '2f6c8a1e-5b7d-4e9f-8a3c-6d1b0e2f4a57',
  username: 'demo',
  password: 'demo-password',
  email: 'demo@example.com',
  givenName: 'Demo',
  familyName: 'User',
  // So that a Worker app signing the demo user on can list environments, as on PingOne.
  roleAssignments: Object.freeze([
    Object.freeze({ role: 'Environment Admin' }),
  ]) as EmulatorRoleAssignment[],
});

/** A custom (non-PingOne) resource, so that tests can mix resources as PingOne forbids. */
export const DEFAULT_CUSTOM_RESOURCE: Readonly<EmulatorResource> = Object.freeze({
  audience: 'urn:example:photos',
  scopes: Object.freeze(['read:photos', 'upload:photos']) as string[],
});

/**
 * Every PingOne API self-management scope PingOne documents, each grantable to a user's token:
 * https://developer.pingidentity.com/pingone-api/foundations/pingone-roles-scopes-and-permissions/access-services-through-scopes-and-roles/pingone-self-management-scopes.html
 * ("Self-management scopes are applicable to users only. They are granted on
 * `authorization_code` and `implicit` authorization flows.")
 */
export const PINGONE_API_SCOPES = Object.freeze([
  'p1:read:user',
  'p1:update:user',
  'p1:update:userMfaEnabled',
  'p1:create:device',
  'p1:read:device',
  'p1:update:device',
  'p1:delete:device',
  'p1:read:userPassword',
  'p1:reset:userPassword',
  'p1:validate:userPassword',
  'p1:read:userLinkedAccounts',
  'p1:delete:userLinkedAccounts',
  'p1:create:pairingKey',
  'p1:read:pairingKey',
  'p1:delete:pairingKey',
  'p1:read:sessions',
  'p1:delete:sessions',
  'p1:read:userConsent',
  'p1:verify:user',
  'p1:read:oauthConsent',
  'p1:update:oauthConsent',
] as const);

/**
 * The OpenID Connect scopes PingOne supports ("PingOne supports the following OIDC scopes":
 * profile, email, address, phone, with openid required):
 * https://developer.pingidentity.com/pingone-api/foundations/pingone-roles-scopes-and-permissions/access-services-through-scopes-and-roles/openid-connect-oidc-scopes.html
 * `offline_access` is not among them, so the emulator refuses it as an unknown scope; PingOne
 * issues refresh tokens by the application's grant types instead.
 */
export const OIDC_SCOPES = Object.freeze([
  'openid',
  'profile',
  'email',
  'address',
  'phone',
] as const);

/** The organization every emulated environment belongs to: the `org` claim (a fixed demo uuid). */
export const ORGANIZATION_ID = '5a1d3e7f-2b4c-4d6e-8f0a-9b8c7d6e5f4a';

/** The emulated environments' region, PingOne's code for North America: the `p1.region` claim. */
export const REGION = 'NA';

/**
 * What the emulator's one sign-on step is: PingOne names `acr` after the sign-on policy that was
 * completed, and its predefined username-and-password policy is `Single_Factor`
 * (token-claims and sign-on-policies pages); `amr` is RFC 8176's `pwd`.
 */
export const SIGN_ON_POLICY = 'Single_Factor';
export const AUTHENTICATION_METHODS: readonly string[] = Object.freeze(['pwd']);
