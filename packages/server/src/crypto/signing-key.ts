import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/**
 * The algorithms PingOne takes for a `private_key_jwt` client assertion: "Create a digitally
 * signed JWT using RS256, RS384, or RS512 with a private key owned by the application"
 * (https://docs.pingidentity.com/pingone/applications/p1_token_endpoint_authentication_methods.html).
 * A workflow page of PingOne's API docs also names ES256/384/512, but the product documentation
 * does not, so an EC key is refused here rather than accepted and refused by PingOne later.
 */
export const SIGNING_ALGS = ['RS256', 'RS384', 'RS512'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** The public half of a signing key, as PingOne's application `jwks` takes it. */
export interface PublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly use: 'sig';
}

/** An RSA private JWK, normalised to its key members plus `kid` and `alg`. */
export interface PrivateJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly d: string;
  readonly p: string;
  readonly q: string;
  readonly dp: string;
  readonly dq: string;
  readonly qi: string;
  readonly kid: string;
  readonly alg: SigningAlg;
}

/**
 * The private key an integration signs its `private_key_jwt` assertions with. The private JWK
 * is encrypted at rest and never answered or logged; only `publicJwk` (and so `kid`, `alg`)
 * is shown, for the administrator to register in PingOne.
 */
export interface ClientSigningKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly privateJwk: PrivateJwk;
  readonly publicJwk: PublicJwk;
}

/** A key, or why the value is not one (the message never quotes the value). */
export type SigningKeyResult =
  | { readonly ok: true; readonly key: ClientSigningKey }
  | { readonly ok: false; readonly message: string };

/** PingOne's workflow for private_key_jwt asks for "RSA 2048+" keys; so does NIST SP 800-57. */
const MIN_RSA_BITS = 2048;
const KID = /^[\x21-\x7e]{1,128}$/;

const refuse = (message: string): SigningKeyResult => ({ ok: false, message });

/** RFC 7638 thumbprint of an RSA public key: the default `kid`. */
function thumbprint(n: string, e: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The key as a private JWK from node:crypto, which fills in and checks every member. */
function exportPrivate(key: KeyObject): Omit<PrivateJwk, 'kid' | 'alg'> {
  return key.export({ format: 'jwk' }) as unknown as Omit<PrivateJwk, 'kid' | 'alg'>;
}

/**
 * Checks that `value` (a JWK object, or its JSON) is an RSA private key PingOne can verify
 * assertions of, and derives its public half. `kid` defaults to the RFC 7638 thumbprint,
 * `alg` to RS256.
 */
export function parseSigningKey(value: unknown): SigningKeyResult {
  const jwk = asObject(value);
  if (!jwk) return refuse('must be a private JSON Web Key (a JSON object)');
  if (jwk.kty === 'oct') {
    return refuse(
      'is a symmetric key; private_key_jwt needs an RSA private key (client_secret_jwt signs with the client secret instead)',
    );
  }
  if (jwk.kty === 'EC' || jwk.kty === 'OKP') {
    return refuse(
      `is an ${jwk.kty} key; PingOne accepts only RSA keys (RS256, RS384, RS512) for private_key_jwt`,
    );
  }
  if (jwk.kty !== 'RSA') return refuse('must be an RSA private JSON Web Key (kty "RSA")');
  if (jwk.d === undefined) {
    return refuse(
      'is a public key; give the private JWK here (with d, p, q, …) and register its public half in PingOne',
    );
  }
  const alg = jwk.alg ?? 'RS256';
  if (typeof alg !== 'string' || !(SIGNING_ALGS as readonly string[]).includes(alg)) {
    return refuse(
      `alg must be one PingOne accepts for private_key_jwt: ${SIGNING_ALGS.join(', ')}`,
    );
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') return refuse('use must be "sig" when given');
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || !KID.test(jwk.kid))) {
    return refuse('kid must be 1 to 128 printable characters when given');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    return refuse('is not a usable RSA private key (check that it was copied whole)');
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return refuse(`must be an RSA key of at least ${MIN_RSA_BITS} bits`);
  const members = exportPrivate(key);
  const kid = typeof jwk.kid === 'string' ? jwk.kid : thumbprint(members.n, members.e);
  const signingAlg = alg as SigningAlg;
  return {
    ok: true,
    key: {
      kid,
      alg: signingAlg,
      privateJwk: { ...members, kid, alg: signingAlg },
      publicJwk: { kty: 'RSA', n: members.n, e: members.e, kid, alg: signingAlg, use: 'sig' },
    },
  };
}

/** A new 2048-bit RSA signing key (`pingone-connect-server generate-key`, tests). */
export function generateSigningKey(alg: SigningAlg = 'RS256'): ClientSigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS });
  const parsed = parseSigningKey({ ...exportPrivate(privateKey), alg });
  if (!parsed.ok) throw new Error(`generated key refused: ${parsed.message}`);
  return parsed.key;
}
