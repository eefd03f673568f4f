import type { IntegrationSource } from '@pingone-connect/protocol';
import type { Config, Integration } from '../config.js';
import type { CredentialCipher } from '../crypto/credentials.js';
import { ApiError } from '../errors.js';
import { ProviderClient, type ProviderClientOptions } from '../pingone/provider-client.js';
import type { IntegrationRecord } from '../store/integrations.js';
import type { Store } from '../store/store.js';
import { openClientAuth } from './client-credential.js';
import { integrationUrls, placeOf } from './location.js';

/** An integration ready for use: its settings, the secret or key decrypted, and its PingOne client. */
export interface ResolvedIntegration {
  readonly integration: Integration;
  readonly source: IntegrationSource;
  /** The stored revision the client was built from; null for a config integration. */
  readonly revision: number | null;
  readonly provider: ProviderClient;
}

/** Options of {@link IntegrationRegistry}. */
export interface IntegrationRegistryOptions {
  readonly config: Config;
  readonly store: Store;
  readonly cipher: CredentialCipher;
  readonly provider: ProviderClientOptions;
}

/**
 * An API-made integration with its secret or private key decrypted, as a {@link ProviderClient}
 * takes it.
 */
export async function integrationOf(
  record: IntegrationRecord,
  cipher: CredentialCipher,
): Promise<Integration> {
  const { location } = record;
  return {
    id: record.id,
    displayName: record.displayName,
    environmentId: record.environmentId,
    ...placeOf(location),
    clientId: record.clientId,
    clientAuth: await openClientAuth(record.clientAuth, cipher),
    scopes: record.scopes,
    skipTokenSessionValidation: record.skipTokenSessionValidation,
    refreshTokenDuration: record.refreshTokenDuration,
    refreshTokenRollingDuration: record.refreshTokenRollingDuration,
    ...integrationUrls(record.environmentId, location),
  };
}

/**
 * Every integration's PingOne client, by integration id: those of the configuration built
 * once, those made through the API built on first use and cached with the revision they were
 * built from.
 *
 * Several server processes share one database, and a `PATCH` lands on one of them only. So
 * each use of an API-made integration — a flow's start and callback, a refresh, a revocation,
 * a proxy call — first reads its revision (one indexed integer) and rebuilds the client when
 * it moved: the next flow or refresh on *any* replica uses the new secret (DESIGN §4.8), with
 * no cache lifetime to wait out and no message between replicas to lose. The cost is that one
 * read per use, next to the connection reads those calls make anyway.
 */
export class IntegrationRegistry {
  readonly #options: IntegrationRegistryOptions;
  readonly #configured: ReadonlyMap<string, ResolvedIntegration>;
  readonly #cache = new Map<string, Promise<ResolvedIntegration>>();

  constructor(options: IntegrationRegistryOptions) {
    this.#options = options;
    this.#configured = new Map(
      options.config.integrations.map((integration) => [
        integration.id,
        {
          integration,
          source: 'config',
          revision: null,
          provider: this.#client(integration),
        },
      ]),
    );
  }

  /** The integrations of the configuration, in their order. */
  get configured(): readonly ResolvedIntegration[] {
    return [...this.#configured.values()];
  }

  /** Whether the configuration defines `id` (API-made integrations may not take it). */
  isConfigured(id: string): boolean {
    return this.#configured.has(id);
  }

  /** The integration `id`, current as of this call; undefined when there is none. */
  async find(id: string): Promise<ResolvedIntegration | undefined> {
    const configured = this.#configured.get(id);
    if (configured) return configured;
    const revision = await this.#options.store.integrations.revision(id);
    if (revision === undefined) {
      this.#cache.delete(id);
      return undefined;
    }
    const cached = this.#cache.get(id);
    if (cached) {
      const resolved = await cached.catch(() => undefined);
      if (resolved && resolved.revision === revision) return resolved;
    }
    const building = this.#build(id);
    this.#cache.set(id, building);
    building.catch(() => {
      if (this.#cache.get(id) === building) this.#cache.delete(id);
    });
    return await building.catch((error: unknown) => {
      // Deleted between the two reads: as good as never there.
      if (error instanceof ApiError && error.code === 'integration_not_found') return undefined;
      throw error;
    });
  }

  /**
   * The integration `id`.
   *
   * @throws ApiError `integration_not_found`.
   */
  async get(id: string): Promise<ResolvedIntegration> {
    const found = await this.find(id);
    if (!found) throw new ApiError('integration_not_found');
    return found;
  }

  /** The server's one integration, or undefined when it has none or several. */
  async only(): Promise<ResolvedIntegration | undefined> {
    const stored = await this.#options.store.integrations.list({ limit: 2 });
    const configured = this.configured;
    if (configured.length + stored.length !== 1) return undefined;
    return configured[0] ?? (stored[0] && (await this.find(stored[0].id)));
  }

  /** How many integrations the server has, from the configuration and the store. */
  async count(): Promise<number> {
    return this.#configured.size + (await this.#options.store.integrations.count());
  }

  /** Builds the client of a stored integration, from the row as it is now. */
  async #build(id: string): Promise<ResolvedIntegration> {
    const record = await this.#options.store.integrations.find(id);
    if (!record) throw new ApiError('integration_not_found');
    const integration = await integrationOf(record, this.#options.cipher);
    return {
      integration,
      source: 'api',
      revision: record.revision,
      provider: this.#client(integration),
    };
  }

  #client(integration: Integration): ProviderClient {
    return new ProviderClient(
      integration,
      this.#options.config.redirectUri,
      this.#options.provider,
    );
  }
}
