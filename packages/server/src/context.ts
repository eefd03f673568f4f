import type { Config } from './config.js';
import type { FreshCredentials } from './connections/credentials.js';
import type { SingleFlight } from './connections/single-flight.js';
import type { CredentialCipher } from './crypto/credentials.js';
import type { DashboardSession } from './dashboard/session.js';
import type { Journal } from './journal/journal.js';
import type { Logger } from './logger/logger.js';
import type { ServerMetrics } from './metrics/metrics.js';
import type { LinkPageVariables } from './links/variables.js';
import type { PopupVariables } from './middleware/popup-headers.js';
import type { RequestIdVariables } from './middleware/request-id.js';
import type { Sleep } from './proxy/sleep.js';
import type { Upstream } from './proxy/upstream.js';
import type { IntegrationRegistry } from './integrations/registry.js';
import type { SessionRecord } from './store/sessions.js';
import type { Store } from './store/store.js';

/** What every route needs, built once by `createApp`. */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  /** Diagnostics only; what happened goes through `journal`, which writes its lines. */
  readonly logger: Logger;
  /** Records what happened: operations-log row, webhook and log line (DESIGN §10). */
  readonly journal: Journal;
  /** Milliseconds since the epoch; every expiry check reads this clock. */
  readonly clock: () => number;
  /** Refreshes in flight in this process, by connection id (the in-process half of §6.1). */
  readonly refreshes: SingleFlight<FreshCredentials>;
  readonly cipher: CredentialCipher;
  /**
   * The integrations (configured and API-made) and their PingOne clients, by id; always
   * looked up by the id a stored session, attempt or connection carries (DESIGN §5.14).
   */
  readonly integrations: IntegrationRegistry;
  /** Calls to PingOne's API outside the proxy: `AppOptions.fetch`, else the global `fetch`. */
  readonly fetch: typeof fetch;
  /** The proxy's calls to PingOne: over `AppOptions.fetch` when given, else `undici.request`. */
  readonly upstream: Upstream;
  /** How the proxy waits out PingOne's `Retry-After`: `AppOptions.sleep`, else the timers. */
  readonly sleep: Sleep;
  /** Set when `METRICS_TOKEN` is; the journal's entries reach it through its observer. */
  readonly metrics: ServerMetrics | undefined;
}

/** The Hono environment of the app. */
export interface AppEnv {
  Variables: PopupVariables &
    LinkPageVariables &
    RequestIdVariables & {
      /** The verified connect session, on routes behind `sessionAuth()`. */
      session: SessionRecord;
      /** The signed-in operator, on the dashboard's pages behind its sign-in. */
      dashboardSession: DashboardSession;
    };
}
