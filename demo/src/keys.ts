import { randomBytes } from 'node:crypto';

/** Keys made fresh for one demo run; they live only in this process's memory. */
export interface DemoKeys {
  secretKey: string;
  sessionSigningKey: string;
  encryptionKey: string;
  webhookSecret: string;
  emulatorClientSecret: string;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export function generateKeys(): DemoKeys {
  return {
    secretKey: `sk_demo_${random(24)}`,
    sessionSigningKey: random(32),
    encryptionKey: random(32),
    webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    emulatorClientSecret: random(24),
  };
}
