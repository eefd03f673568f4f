export { startEmulator } from './start-emulator.js';
export { ApproveError } from './approve.js';
export {
  DEFAULT_CLIENT,
  DEFAULT_CUSTOM_RESOURCE,
  DEFAULT_ENVIRONMENT_ID,
  DEFAULT_USER,
  OIDC_SCOPES,
  ORGANIZATION_ID,
  PINGONE_API_SCOPES,
} from './defaults.js';
export { MULTIPLE_RESOURCES_DESCRIPTION } from './scopes.js';
export type {
  ApplicationType,
  ApproveOptions,
  Emulator,
  EmulatorBrowser,
  EmulatorClient,
  EmulatorEnvironment,
  EmulatorEnvironmentOptions,
  EmulatorFaults,
  EmulatorJwks,
  EmulatorLiveFaults,
  EmulatorOptions,
  EmulatorResource,
  EmulatorRoleAssignment,
  EmulatorTokenTtl,
  EmulatorUser,
  PingOneRole,
  PkceEnforcement,
  RefreshHold,
  RefreshHoldOptions,
  RoleAssignmentScope,
  RotateClientSecretOptions,
  SignOffParameters,
  SignOnSession,
  SignOnSessionEndReason,
  TokenEndpointAuthMethod,
} from './types.js';
