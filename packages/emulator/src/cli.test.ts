import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliOptions } from './cli-options.js';
import { DEFAULT_CLIENT, DEFAULT_ENVIRONMENT_ID } from './defaults.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Run[] = [];

/** Runs the CLI from source (through tsx) with the given arguments and extra environment. */
function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const handle = { child, stdout: () => out, stderr: () => err, exited };
  running.push(handle);
  return handle;
}

/** Waits for the line the CLI prints once it listens: the explicit signal, not a timer. */
function listening(handle: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (handle.stdout().includes('Press Ctrl+C to stop.')) resolve(handle.stdout());
    };
    handle.child.stdout.on('data', check);
    handle.exited.then((code) => reject(new Error(`the CLI exited (${code}): ${handle.stderr()}`)));
    check();
  });
}

/** Every value printed after `label`, one per environment. */
function printedAll(output: string, label: string): string[] {
  return [...output.matchAll(new RegExp(`^ *${label}=?\\s*(\\S+)$`, 'gm'))].map((m) => m[1]!);
}

function printed(output: string, label: string): string {
  const match = new RegExp(`^ *${label}=?\\s*(\\S+)$`, 'm').exec(output);
  if (!match?.[1]) throw new Error(`no ${label} in the output`);
  return match[1];
}

afterEach(() => {
  for (const { child } of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('pingone-emulator', () => {
  it('prints the issuer, API base URL, client and users, and says it is not PingOne', async () => {
    const output = await listening(run(['--port', '0']));

    expect(output).toContain('an emulator, not PingOne');
    expect(printed(output, 'Issuer \\(auth base URL\\)')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}\/as$/,
    );
    expect(printed(output, 'client id')).toBe(DEFAULT_CLIENT.clientId);
    expect(printed(output, 'client secret')).toBe(DEFAULT_CLIENT.clientSecret);
    expect(printed(output, 'token auth method')).toBe('client_secret_post');
    expect(output).toMatch(/^ {2}demo \/ demo-password /m);
    expect(output).toContain('refresh grace period    none');
    expect(output).toContain('PKCE enforcement        OPTIONAL');
    expect(output).toMatch(/^ {2}demo \/ demo-password .* roles: Environment Admin$/m);
    expect(output).not.toContain('Auto-approve is ON');
  });

  it('serves the issuer it prints', async () => {
    const output = await listening(run(['--port', '0']));
    const issuer = printed(output, 'PINGONE_AUTH_BASE_URL');

    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(((await response.json()) as { issuer: string }).issuer).toBe(issuer);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops cleanly on %s', async (signal) => {
    const handle = run(['--port', '0']);
    await listening(handle);

    handle.child.kill(signal);
    expect(await handle.exited).toBe(0);
    expect(handle.stdout()).toContain('Stopped.');
  });

  it('takes options from flags', async () => {
    const output = await listening(
      run([
        '--port',
        '0',
        '--environment-id',
        '0f0e0d0c-0b0a-4908-8706-050403020100',
        '--client-id',
        'my-app',
        '--redirect-uri',
        'http://127.0.0.1:5000/a',
        '--redirect-uri',
        'http://127.0.0.1:5000/b',
        '--token-auth-method',
        'client_secret_basic',
        '--refresh-token-grace-period',
        '30',
        '--application-type',
        'WORKER',
        '--pkce-enforcement',
        'S256_REQUIRED',
        '--refresh-token-duration',
        '3600',
        '--refresh-token-rolling-duration',
        '7200',
        '--skip-token-session-validation',
        '--post-logout-redirect-uri',
        'http://127.0.0.1:5000/bye',
        '--user-role',
        'Identity Data Admin',
        '--extra-users',
        '12',
        '--auto-approve',
      ]),
    );
    expect(output).toContain('Client (OIDC Worker)');
    expect(output).toContain('PKCE enforcement        S256_REQUIRED');
    expect(output).toContain('refresh token duration  3600 s, rolling 7200 s');
    expect(output).toContain('session validation      skipped');
    expect(output).toContain('post-logout URIs        http://127.0.0.1:5000/bye');
    expect(output).toMatch(/^ {2}demo \/ demo-password .* roles: Identity Data Admin$/m);
    expect(output).toContain('… and 3 more');

    expect(printed(output, 'PINGONE_ENVIRONMENT_ID')).toBe('0f0e0d0c-0b0a-4908-8706-050403020100');
    expect(printed(output, 'PINGONE_CLIENT_ID')).toBe('my-app');
    expect(printed(output, 'PINGONE_TOKEN_AUTH_METHOD')).toBe('client_secret_basic');
    expect(output).toContain(
      'redirect URIs           http://127.0.0.1:5000/a http://127.0.0.1:5000/b',
    );
    expect(output).toContain('refresh grace period    30 s');
    expect(output).toContain('Auto-approve is ON');
  });

  it('takes options from PINGONE_EMULATOR_* variables', async () => {
    const output = await listening(
      run([], {
        PINGONE_EMULATOR_PORT: '0',
        PINGONE_EMULATOR_CLIENT_ID: 'from-env',
        PINGONE_EMULATOR_REDIRECT_URIS: 'http://127.0.0.1:5000/x, http://127.0.0.1:5000/y',
        PINGONE_EMULATOR_REFRESH_TOKEN_GRACE_PERIOD: '45',
        PINGONE_EMULATOR_PKCE_ENFORCEMENT: 'REQUIRED',
        PINGONE_EMULATOR_USER_ROLES: 'none',
        PINGONE_EMULATOR_POST_LOGOUT_REDIRECT_URIS:
          'http://127.0.0.1:5000/p, http://127.0.0.1:5000/q',
      }),
    );
    expect(output).toContain('PKCE enforcement        REQUIRED');
    expect(output).toContain(
      'post-logout URIs        http://127.0.0.1:5000/p http://127.0.0.1:5000/q',
    );
    expect(output).not.toContain('roles:');

    expect(printed(output, 'PINGONE_CLIENT_ID')).toBe('from-env');
    expect(output).toContain(
      'redirect URIs           http://127.0.0.1:5000/x http://127.0.0.1:5000/y',
    );
    expect(output).toContain('refresh grace period    45 s');
  });

  it.each([
    ['an unknown flag', ['--bogus']],
    ['a port that is not a number', ['--port', 'eighty']],
    ['an environment id that is not a uuid', ['--port', '0', '--environment-id', 'prod']],
    ['an unknown auth method', ['--port', '0', '--token-auth-method', 'none']],
    ['a grace period that is not a number', ['--port', '0', '--refresh-token-grace-period', '1m']],
    ['a grace period over a day', ['--port', '0', '--refresh-token-grace-period', '86401']],
    ['an unknown application type', ['--port', '0', '--application-type', 'SPA']],
    ['an unknown PKCE enforcement', ['--port', '0', '--pkce-enforcement', 'ALWAYS']],
    ['private_key_jwt without --jwks', ['--port', '0', '--token-auth-method', 'private_key_jwt']],
    ['a --jwks that is not JSON', ['--port', '0', '--jwks', '{']],
    ['an unknown role', ['--port', '0', '--user-role', 'Superuser']],
    ['too many extra environments', ['--port', '0', '--extra-environments', '10001']],
    [
      '--environment with --environments',
      ['--port', '0', '--environment', DEFAULT_ENVIRONMENT_ID, '--environments', '2'],
    ],
    [
      '--environment with --environment-id',
      [
        '--port',
        '0',
        '--environment',
        DEFAULT_ENVIRONMENT_ID,
        '--environment-id',
        DEFAULT_ENVIRONMENT_ID,
      ],
    ],
    ['--environments 0', ['--port', '0', '--environments', '0']],
    ['an --environment that is not a uuid', ['--port', '0', '--environment', 'tenant-a']],
  ])('exits with status 2 on %s', async (_, args) => {
    const handle = run(args);

    expect(await handle.exited).toBe(2);
    expect(handle.stderr()).toMatch(/^pingone-emulator: /);
    expect(handle.stdout()).not.toContain('Listening');
  });

  it('prints each environment’s issuer, client and server settings with --environments', async () => {
    const output = await listening(
      run(['--port', '0', '--environments', '2', '--redirect-uri', 'http://127.0.0.1:5000/cb']),
    );
    const ids = printedAll(output, 'PINGONE_ENVIRONMENT_ID');
    const issuers = printedAll(output, 'PINGONE_AUTH_BASE_URL');
    const clientIds = printedAll(output, 'PINGONE_CLIENT_ID');
    const secrets = printedAll(output, 'PINGONE_CLIENT_SECRET');
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(DEFAULT_ENVIRONMENT_ID);
    expect(new Set(ids).size).toBe(2);
    expect(new Set(clientIds).size).toBe(2);
    expect(secrets).toEqual([DEFAULT_CLIENT.clientSecret, `${DEFAULT_CLIENT.clientSecret}-2`]);
    expect(printedAll(output, 'redirect URIs')).toEqual([
      'http://127.0.0.1:5000/cb',
      'http://127.0.0.1:5000/cb',
    ]);
    expect(output.match(/^ {2}demo \/ demo-password /gm)).toHaveLength(2);
    for (const [i, issuer] of issuers.entries()) {
      expect(issuer).toContain(`/${ids[i]}/as`);
      const response = await fetch(`${issuer}/.well-known/openid-configuration`);
      expect(((await response.json()) as { issuer: string }).issuer).toBe(issuer);
    }
  });

  it('runs the environments named by --environment', async () => {
    const named = ['0f0e0d0c-0b0a-4908-8706-050403020100', '1f1e1d1c-1b1a-4918-8716-151413121110'];
    const output = await listening(
      run(['--port', '0', '--environment', named[0]!, '--environment', named[1]!]),
    );
    expect(printedAll(output, 'PINGONE_ENVIRONMENT_ID')).toEqual(named);
  });

  it('generates the same environment, client and user ids on every run', () => {
    const options = parseCliOptions(['--environments', '2'], {});
    expect(options).not.toBe('help');
    const [first, second] = (options as Exclude<typeof options, 'help'>).environments!;
    expect(first).toMatchObject({ id: DEFAULT_ENVIRONMENT_ID, clients: [DEFAULT_CLIENT] });
    expect(second).toMatchObject({
      id: 'ba5e6256-931b-4848-834c-7ab201c0ebc7',
      clients: [{ clientId: 'f15aef08-f455-4dfb-ae15-c6c7d3e64f2e' }],
    });
    expect(second!.users![0]!.id).not.toBe(first!.users![0]!.id);
  });

  it('prints its usage with --help', async () => {
    const handle = run(['--help']);

    expect(await handle.exited).toBe(0);
    expect(handle.stdout()).toContain('Usage: pingone-emulator');
  });
});
