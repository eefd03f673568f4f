#!/usr/bin/env node
// `pingone-emulator` (`pnpm emulator`): runs the emulator until SIGINT or SIGTERM.
import { parseCliOptions, UsageError, USAGE } from './cli-options.js';
import { startEmulator } from './start-emulator.js';
import type { Emulator, EmulatorEnvironment } from './types.js';

function gracePeriod(seconds: number | undefined): string {
  return seconds ? `${seconds} s (a used refresh token works once more within it)` : 'none';
}

/** One environment's settings: what a user copies to point the server at it. */
function describeEnvironment(environment: EmulatorEnvironment): string[] {
  const [client] = environment.clients;
  return [
    `  Issuer (auth base URL)  ${environment.issuer}`,
    `  Discovery               ${environment.issuer}/.well-known/openid-configuration`,
    `  API base URL            ${environment.apiBaseUrl}`,
    `  Environment id          ${environment.id}`,
    '',
    `Client (OIDC ${client?.applicationType === 'WORKER' ? 'Worker' : 'Web App'})`,
    `  client id               ${client?.clientId}`,
    `  client secret           ${client?.clientSecret}`,
    `  token auth method       ${client?.tokenEndpointAuthMethod}`,
    `  redirect URIs           ${client?.redirectUris.join(' ')}`,
    `  PKCE enforcement        ${client?.pkceEnforcement}`,
    `  refresh token duration  ${client?.refreshTokenDuration} s, rolling ${client?.refreshTokenRollingDuration} s`,
    `  refresh grace period    ${gracePeriod(client?.refreshTokenRollingGracePeriodDuration)}`,
    `  session validation      ${client?.skipTokenSessionValidation ? 'skipped (tokens outlive the session)' : 'on (tokens end with the sign-on session)'}`,
    `  post-logout URIs        ${client?.postLogoutRedirectUris?.join(' ') || 'none'}`,
    '',
    'Users (username / password)',
    ...environment.users
      .slice(0, 10)
      .map(
        (u) =>
          `  ${u.username} / ${u.password}   ${u.givenName} ${u.familyName} <${u.email}>` +
          (u.roleAssignments?.length
            ? `   roles: ${u.roleAssignments.map((r) => r.role).join(', ')}`
            : ''),
      ),
    ...(environment.users.length > 10 ? [`  … and ${environment.users.length - 10} more`] : []),
    '',
    'Server settings for this environment:',
    `  PINGONE_ENVIRONMENT_ID=${environment.id}`,
    `  PINGONE_AUTH_BASE_URL=${environment.authBaseUrl}`,
    `  PINGONE_API_BASE_URL=${environment.apiBaseUrl}`,
    `  PINGONE_CLIENT_ID=${client?.clientId}`,
    `  PINGONE_CLIENT_SECRET=${client?.clientSecret}`,
    `  PINGONE_TOKEN_AUTH_METHOD=${client?.tokenEndpointAuthMethod}`,
    '',
  ];
}

function describe(emulator: Emulator): string {
  const { environments } = emulator;
  const lines = [
    'PingOne emulator — an emulator, not PingOne. For local development and tests only.',
    '',
    ...(environments.length === 1
      ? describeEnvironment(environments[0]!)
      : environments.flatMap((environment, i) => [
          // Each environment stands for another customer's PingOne: one block per tenant.
          `=== Environment ${i + 1} of ${environments.length} (${environment.id}) ===`,
          '',
          ...describeEnvironment(environment),
        ])),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`pingone-emulator: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  let emulator: Emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    process.stderr.write(`pingone-emulator: ${message}\n`);
    // A bad option is a usage error; anything else (a port in use) a failure to start.
    process.exitCode = error instanceof TypeError ? 2 : 1;
    if (code === 'EADDRINUSE') process.stderr.write('Choose another port with --port.\n');
    return;
  }

  // Handlers first: whoever reads "Listening" may signal at once.
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`Received ${signal}, stopping.\n`);
    emulator.close().then(
      () => process.stdout.write('Stopped.\n'),
      (error: Error) => {
        process.stderr.write(`pingone-emulator: ${error.message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  process.stdout.write(describe(emulator));
  if (options.autoApprove) {
    process.stdout.write(
      'Auto-approve is ON: a login_hint signs that user on without any page (test use only).\n',
    );
  }
  process.stdout.write('Listening. Press Ctrl+C to stop.\n');
}

await main();
