// The test harness shared by the packages' tests and the benchmark. No test runner here: a
// step that goes wrong throws, which fails whichever test (or run) called it.
export { freePort } from './port.js';
export { TestClock } from './clock.js';
export { emulatorEnv, type EmulatorEndpoints, type EmulatorClientCredentials } from './env.js';
export {
  connectFlow,
  mintSession,
  newAttemptId,
  signIn,
  startAttempt,
  type ApprovingEmulator,
  type ConnectedFlow,
  type FetchLike,
  type FlowTarget,
  type MintedSession,
  type SignedIn,
  type SignInOptions,
  type StartedAttempt,
} from './flow.js';
