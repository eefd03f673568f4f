import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from './start-demo.js';

let demo: Demo | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

describe('pnpm demo', () => {
  it('uses real PingOne when its settings are in the environment, and says so', async () => {
    // Stands in for the network: records what the server asks PingOne, answers 503.
    const requested: string[] = [];
    const offline: typeof fetch = async (input) => {
      requested.push(input instanceof Request ? input.url : String(input));
      return new Response('{}', { status: 503, headers: { 'content-type': 'application/json' } });
    };
    demo = await startDemo({
      fetch: offline,
      ports: { app: 0, server: 0, emulator: 0 },
      env: {
        PINGONE_ENVIRONMENT_ID: '5a1d3e7f-2b4c-4d6e-8f90-1a2b3c4d5e6f',
        PINGONE_REGION: 'eu',
        PINGONE_CLIENT_ID: 'real-client',
        PINGONE_CLIENT_SECRET: 'real-secret',
      },
    });
    expect(demo.mode).toBe('pingone');
    expect(demo.emulator).toBeNull();
    const config = (await (await fetch(`${demo.appUrl}/api/config`)).json()) as { mode: string };
    expect(config.mode).toBe('pingone');
    expect(requested).toEqual([]);

    // Starting a connect makes the server discover PingOne's EU authorization server.
    const { token } = await demo.client.createConnectSession({ endUser: { id: 'u1' } });
    const form = new URLSearchParams({
      session_token: token,
      attempt_id: 'att_real_pingone_1',
      origin: demo.appUrl,
    });
    await fetch(`${demo.serverUrl}/oauth/connect`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(requested).toEqual([
      'https://auth.pingone.eu/5a1d3e7f-2b4c-4d6e-8f90-1a2b3c4d5e6f/as/.well-known/openid-configuration',
    ]);
  });

  it('in real-PingOne mode, Acme’s PingOne is the operator’s and cannot be changed from the page', async () => {
    const offline: typeof fetch = async () => new Response('{}', { status: 503 });
    demo = await startDemo({
      fetch: offline,
      ports: { app: 0, server: 0, emulator: 0 },
      env: {
        PINGONE_ENVIRONMENT_ID: '5a1d3e7f-2b4c-4d6e-8f90-1a2b3c4d5e6f',
        PINGONE_CLIENT_ID: 'real-client',
        PINGONE_CLIENT_SECRET: 'real-secret',
      },
    });
    const acme = `${demo.appUrl}/api/customers/acme/pingone`;
    expect(await (await fetch(acme)).json()).toMatchObject({
      integration_id: 'pingone',
      integration: { source: 'config', environment_id: '5a1d3e7f-2b4c-4d6e-8f90-1a2b3c4d5e6f' },
      suggested: null,
      emulated: false,
    });
    const saved = await fetch(acme, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        environment_id: '5a1d3e7f-2b4c-4d6e-8f90-1a2b3c4d5e6f',
        region: 'com',
        client_id: 'real-client',
        client_secret: 'another-secret',
      }),
    });
    expect(saved.status).toBe(409);
    expect(await saved.json()).toMatchObject({ error: { code: 'conflict' } });
    // Globex has no PingOne until its admin sets one up.
    const globex = await (await fetch(`${demo.appUrl}/api/customers/globex/pingone`)).json();
    expect(globex).toMatchObject({ integration_id: 'globex', integration: null });
  });

  it('prints the URL to open and stops everything cleanly on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, DEMO_APP_PORT: '0', DEMO_SERVER_PORT: '0', DEMO_EMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    let appUrl: string | undefined;
    for await (const line of createInterface({ input: child.stdout! })) {
      appUrl = /Open the sample app:\s+(\S+)/.exec(line)?.[1];
      if (appUrl) break;
    }
    expect(appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(appUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<pingone-connect');

    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(fetch(appUrl!)).rejects.toThrow();
  });
});
