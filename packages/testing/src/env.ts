/** Where an emulator answers (what `startEmulator` returns has these). */
export interface EmulatorEndpoints {
  readonly environmentId: string;
  readonly authBaseUrl: string;
  readonly apiBaseUrl: string;
}

/** The emulator client the server signs in as (an `EmulatorClient` is one). */
export interface EmulatorClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Any of the emulator's; the server's configuration refuses those it does not support. */
  tokenEndpointAuthMethod?: string;
}

/**
 * The `PINGONE_*` environment (DESIGN §4.1) of a server that signs in against `emulator` as
 * `client`. `PINGONE_TOKEN_AUTH_METHOD` is set only when the client names one.
 */
export function emulatorEnv(
  emulator: EmulatorEndpoints,
  client: EmulatorClientCredentials,
): Record<string, string> {
  return {
    PINGONE_ENVIRONMENT_ID: emulator.environmentId,
    PINGONE_CLIENT_ID: client.clientId,
    PINGONE_CLIENT_SECRET: client.clientSecret,
    ...(client.tokenEndpointAuthMethod
      ? { PINGONE_TOKEN_AUTH_METHOD: client.tokenEndpointAuthMethod }
      : {}),
    PINGONE_AUTH_BASE_URL: emulator.authBaseUrl,
    PINGONE_API_BASE_URL: emulator.apiBaseUrl,
  };
}
