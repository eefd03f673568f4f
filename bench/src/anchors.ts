// The anchors of bench/anchors/, each started as its own process on loopback, measured the way
// the project's server is.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '@pingone-connect/testing';
import { startService, type Service } from './child.js';

export type AnchorName =
  'healthz' | 'mint' | 'read' | 'proxy-node-http' | 'proxy-fetch' | 'connect-client';

/** Starts anchor `name` with `env` (PORT is chosen here unless given). */
export async function startAnchor(
  name: AnchorName,
  env: Record<string, string> = {},
  label: string = name,
): Promise<Service> {
  const port = env.PORT ?? String(await freePort());
  const module = fileURLToPath(new URL(`../anchors/${name}.ts`, import.meta.url));
  return startService(
    `${label} anchor`,
    ['--import', 'tsx', module],
    { NODE_ENV: 'production', SECRET_KEY: randomBytes(16).toString('hex'), ...env, PORT: port },
    `http://127.0.0.1:${port}`,
  );
}

/** Runs `body` with anchor `name` started, and stops it after. */
export async function withAnchor<T>(
  name: AnchorName,
  env: Record<string, string>,
  body: (anchor: Service, secretKey: string) => Promise<T>,
  label?: string,
): Promise<T> {
  const secretKey = env.SECRET_KEY ?? randomBytes(16).toString('hex');
  const anchor = await startAnchor(name, { ...env, SECRET_KEY: secretKey }, label);
  try {
    return await body(anchor, secretKey);
  } finally {
    await anchor.close();
  }
}
