export { startEmulator } from './start-emulator.js';
export { ApproveError } from './approve.js';
export {
  DEFAULT_CLIENT,
  DEFAULT_CUSTOM_RESOURCE,
  DEFAULT_ENVIRONMENT_ID,
  DEFAULT_USER,
  PINGONE_API_SCOPES,
} from './defaults.js';
export { MULTIPLE_RESOURCES_DESCRIPTION } from './scopes.js';
export type {
  ApproveOptions,
  Emulator,
  EmulatorClient,
  EmulatorFaults,
  EmulatorLiveFaults,
  EmulatorOptions,
  EmulatorResource,
  EmulatorTokenTtl,
  EmulatorUser,
  RefreshHold,
  RefreshHoldOptions,
  TokenEndpointAuthMethod,
} from './types.js';
