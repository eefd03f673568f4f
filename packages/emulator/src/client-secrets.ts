import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import type { EmulatorClient, RotateClientSecretOptions } from './types.js';

/**
 * PingOne's "Retain Previous Secret", on Generate New Secret: for 1, 7 or 30 days or a custom
 * duration ("30 days is the maximum retention period"), or "Do Not Retain Previous Secret: The
 * previous secret expires immediately"; "If you are not sure how long you should retain the
 * previous client secret, select Retain for 30 Days", which the emulator defaults to. The API's
 * `previous.expiresAt` keeps it "valid for a specified period, up to 30 days"; without it "the
 * previous secret expires immediately", says Ping's CLI (a test passes `retainPreviousFor: 0`).
 * https://docs.pingidentity.com/pingone/applications/p1_generate_client_secret_application.html
 * https://developer.pingidentity.com/pingone-api/platform/applications/application-secret/update-application-secret.html
 * https://developer.pingidentity.com/pingcli/1.4/command_reference/pingcli_pingone_applications_secrets_rotate.html
 */
export const MAX_RETENTION_SECONDS = 30 * 24 * 3600;

interface SecretSlot {
  current: string;
  /** The secret replaced by the last rotation, while it is retained. */
  previous?: { secret: string; expiresAt: number };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The client secrets of one environment as PingOne keeps them: the current one, and after a
 * rotation the previous one until its retention ends or it is revoked ("You can retain the
 * previous client secret to give application owners time to update the secret without causing
 * sign-on errors"; Revoke Previous Client Secret: "The previous secret is revoked. Users must
 * have the new client secret" — quoted from the custom-resource page, the application page
 * being linked from the rotation page but not found stored). Both secrets serve every endpoint
 * that authenticates a client with it — "/as/token, /as/introspect, /as/par, and /as/revoke" —
 * for CLIENT_SECRET_BASIC, CLIENT_SECRET_POST and CLIENT_SECRET_JWT (update-application-secret).
 * https://docs.pingidentity.com/pingone/applications/p1_rotate_client_secret.html
 * https://docs.pingidentity.com/pingone/applications/p1_revoke_client_secret_resource.html
 * https://developer.pingidentity.com/pingone-api/platform/applications/application-secret/update-application-secret.html
 *
 * oidc-provider knows one secret per client, fixed when its static clients are built, and caches
 * the Client built from it. So it is given an inner secret of its own per client, never shown to
 * anyone, and the bridge re-presents every request made with a secret PingOne would take (see
 * {@link asInnerSecret}) under that inner secret. A request with any other secret passes
 * untouched and oidc-provider refuses it as it always did (`401 invalid_client`): the refusal
 * stays oidc-provider's, only the set of accepted secrets is the emulator's. This was preferred
 * over changing the cached Client instances (oidc-provider's internals) and over a Client adapter
 * (oidc-provider takes one adapter for every model, so tokens and grants would need one too),
 * and neither would let two secrets be valid at once.
 */
export class ClientSecrets {
  readonly #slots = new Map<string, SecretSlot>();
  readonly #inner = new Map<string, string>();

  constructor(clients: readonly EmulatorClient[]) {
    for (const client of clients) {
      if (client.tokenEndpointAuthMethod === 'private_key_jwt') continue;
      this.#slots.set(client.clientId, { current: client.clientSecret });
      this.#inner.set(client.clientId, randomBytes(64).toString('base64url'));
    }
  }

  /** The secret oidc-provider is configured with for this client (the registered one for a key client). */
  innerSecretOf(client: EmulatorClient): string {
    return this.#inner.get(client.clientId) ?? client.clientSecret;
  }

  /** @throws TypeError for an unknown client, one of private_key_jwt, or a bad option */
  rotate(clientId: string, options: RotateClientSecretOptions = {}): string {
    const slot = this.#slots.get(clientId);
    if (!slot) throw new TypeError(`emulator: no client ${clientId} that has a secret`);
    const retain = options.retainPreviousFor ?? MAX_RETENTION_SECONDS;
    if (!Number.isInteger(retain) || retain < 0 || retain > MAX_RETENTION_SECONDS) {
      throw new TypeError(
        `emulator: retainPreviousFor must be 0–${MAX_RETENTION_SECONDS} whole seconds`,
      );
    }
    const secret = options.secret ?? randomBytes(48).toString('base64url');
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new TypeError('emulator: a client secret must be a non-empty string');
    }
    // A second rotation replaces the previous secret: PingOne keeps one previous secret only.
    const previous =
      retain > 0 ? { secret: slot.current, expiresAt: Date.now() + retain * 1000 } : undefined;
    this.#slots.set(clientId, { current: secret, ...(previous && { previous }) });
    return secret;
  }

  /** False when the client has no previous secret retained (any more). */
  revokePrevious(clientId: string): boolean {
    const slot = this.#slots.get(clientId);
    if (!slot) throw new TypeError(`emulator: no client ${clientId} that has a secret`);
    const had = this.#previousOf(slot) !== undefined;
    this.#slots.set(clientId, { current: slot.current });
    return had;
  }

  /** The secrets PingOne takes from this client now: the current one, then the retained one. */
  valid(clientId: string): string[] {
    const slot = this.#slots.get(clientId);
    if (!slot) return [];
    const previous = this.#previousOf(slot);
    return previous === undefined ? [slot.current] : [slot.current, previous];
  }

  #previousOf(slot: SecretSlot): string | undefined {
    const { previous } = slot;
    return previous && Date.now() < previous.expiresAt ? previous.secret : undefined;
  }

  /** The inner secret when `presented` is one PingOne takes from this client; else undefined. */
  accept(clientId: string, presented: string): string | undefined {
    const inner = this.#inner.get(clientId);
    return inner !== undefined && this.valid(clientId).some((s) => sameSecret(s, presented))
      ? inner
      : undefined;
  }

  /**
   * A `client_secret_jwt` assertion re-signed with the inner secret when one of the client's
   * valid secrets signed it; else undefined. The payload is kept byte for byte and the header
   * field for field, so oidc-provider checks the claims (audience, expiry, jti replay) as sent.
   */
  async acceptAssertion(clientId: string, assertion: string): Promise<string | undefined> {
    const inner = this.#inner.get(clientId);
    if (inner === undefined) return undefined;
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      return undefined;
    }
    const alg = header.alg;
    if (alg !== 'HS256' && alg !== 'HS384' && alg !== 'HS512') return undefined;
    for (const secret of this.valid(clientId)) {
      try {
        const { payload } = await compactVerify(assertion, new TextEncoder().encode(secret), {
          algorithms: [alg],
        });
        return await new CompactSign(payload)
          .setProtectedHeader(header as { alg: string })
          .sign(new TextEncoder().encode(inner));
      } catch {
        // Not signed with this secret: try the next one.
      }
    }
    return undefined;
  }
}
