import { randomBytes } from 'node:crypto';
import { CUSTOMER_IDS, type CustomerId } from './customers.js';

/** Keys made fresh for one demo run; they live only in this process's memory. */
export interface DemoKeys {
  secretKey: string;
  sessionSigningKey: string;
  encryptionKey: string;
  webhookSecret: string;
  /** `DASHBOARD_PASSWORD`: the operator's sign-in to the server's `/dashboard`. */
  dashboardPassword: string;
  /** The client secret of each customer's application in the emulator. */
  emulatorClientSecrets: Readonly<Record<CustomerId, string>>;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export function generateKeys(): DemoKeys {
  return {
    secretKey: `sk_demo_${random(24)}`,
    sessionSigningKey: random(32),
    encryptionKey: random(32),
    webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    dashboardPassword: random(18),
    emulatorClientSecrets: Object.fromEntries(
      CUSTOMER_IDS.map((customer) => [customer, random(24)]),
    ) as Record<CustomerId, string>,
  };
}
