import type { CredentialCipher } from '../crypto/credentials.js';
import type { ConnectionRecord } from '../store/connections.js';

/** The tokens of a connection, as encrypted at rest. */
export interface StoredCredentials {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly token_type: string;
  readonly scope: string;
  /** Epoch milliseconds; absent when PingOne gave no `expires_in`. */
  readonly expires_at?: number;
}

/** A connection with its decrypted credentials, fresh enough to hand out. */
export interface FreshCredentials {
  readonly connection: ConnectionRecord;
  readonly credentials: StoredCredentials;
}

/** Decrypts a connection's credentials. */
export async function readCredentials(
  cipher: CredentialCipher,
  connection: ConnectionRecord,
): Promise<StoredCredentials> {
  return JSON.parse(await cipher.decrypt(connection.credentials)) as StoredCredentials;
}
