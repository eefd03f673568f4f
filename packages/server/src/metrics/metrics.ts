import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConnectionCount } from '../store/stats.js';
import type { Store } from '../store/store.js';
import { countJournalEntry, type JournalCounters } from './journal-counters.js';
import type { JournalObserver } from '../journal/journal.js';

/** How a proxied call ended, as the duration histogram labels it. */
export type ProxyStatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'error';
const STATUS_CLASSES: readonly ProxyStatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * Seconds: PingOne answers in tens of milliseconds; the top buckets hold calls that waited out
 * a `Retry-After` (up to `PROXY_RETRIES` × `PROXY_RETRY_MAX_WAIT_MS`).
 */
const PROXY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** How long the connections gauge shows one count before it counts again. */
export const CONNECTIONS_MAX_AGE_MS = 60_000;

/** Options of {@link ServerMetrics}. */
export interface MetricsOptions {
  /** Read at scrape time for the outbox and connection gauges. */
  readonly store: Store;
  /** Milliseconds since the epoch: the outbox's oldest age is measured against it. */
  readonly clock: () => number;
}

/**
 * The server's Prometheus metrics (DESIGN §4.11), in a registry of its own rather than
 * prom-client's global one, so that several servers in one process (tests, an embedding app)
 * each count their own. Every label value is bounded: an integration id (chosen by the
 * operator), an error code of the closed list, a status, a check name; never an end user, a
 * connection, a path or an error's text. The package README lists every metric.
 */
export class ServerMetrics implements JournalCounters {
  readonly registry = new Registry();
  readonly connectFlows: Counter<'integration' | 'outcome'>;
  readonly refreshes: Counter<'integration' | 'outcome'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly preflightFailures: Counter<'check'>;
  readonly #proxyDuration: Histogram<'integration' | 'status_class'>;
  /** The histogram's children by integration, then status class: no label lookup per call. */
  readonly #proxyChildren = new Map<string, Map<ProxyStatusClass, { observe(v: number): void }>>();
  /** Hands each journal entry to the counters; give it to every journal of the server. */
  readonly observer: JournalObserver = (entry) => countJournalEntry(this, entry);

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    this.connectFlows = new Counter({
      name: 'pingone_connect_connect_flows_total',
      help: 'Connect flows that ended, by integration and outcome (connected, or the error code).',
      labelNames: ['integration', 'outcome'],
      registers,
    });
    this.refreshes = new Counter({
      name: 'pingone_connect_refreshes_total',
      help: 'Token refreshes, by integration and outcome (refreshed, superseded, or the error code).',
      labelNames: ['integration', 'outcome'],
      registers,
    });
    this.#proxyDuration = new Histogram({
      name: 'pingone_connect_proxy_request_duration_seconds',
      help: 'Proxied PingOne API calls, retries included, by integration and status class (error: the server answered with its own error).',
      labelNames: ['integration', 'status_class'],
      buckets: PROXY_BUCKETS,
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'pingone_connect_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome (delivered, retrying, failed).',
      labelNames: ['outcome'],
      registers,
    });
    this.preflightFailures = new Counter({
      name: 'pingone_connect_preflight_failures_total',
      help: 'Integration preflights that failed, by the check that failed.',
      labelNames: ['check'],
      registers,
    });
    const { store, clock } = options;
    // Collected at scrape time, so the values hold across replicas and restarts. The two
    // outbox gauges of one scrape share one query: the registry collects them side by side.
    let backlog: ReturnType<Store['stats']['outboxBacklog']> | undefined;
    const outbox = () =>
      (backlog ??= store.stats.outboxBacklog().finally(() => (backlog = undefined)));
    new Gauge({
      name: 'pingone_connect_outbox_depth',
      help: 'Webhook events waiting for delivery (neither delivered nor given up).',
      registers,
      async collect() {
        this.set((await outbox()).depth);
      },
    });
    new Gauge({
      name: 'pingone_connect_outbox_oldest_age_seconds',
      help: 'Age of the oldest webhook event waiting for delivery; 0 when none waits.',
      registers,
      async collect() {
        const { oldestCreatedAt } = await outbox();
        this.set(oldestCreatedAt === null ? 0 : Math.max(0, (clock() - oldestCreatedAt) / 1000));
      },
    });
    // Counted at most once a minute: even over its index, a million connections take a
    // SQLite server's event loop ~150 ms, more than a scrape every 15 s should cost.
    let counted: { at: number; counts: Promise<ConnectionCount[]> } | undefined;
    const connections = () => {
      const now = clock();
      if (!counted || now - counted.at >= CONNECTIONS_MAX_AGE_MS) {
        const counts = store.stats.connectionsByStatus();
        counted = { at: now, counts };
        // A failed count is not kept: the next scrape tries again.
        counts.catch(() => {
          if (counted?.counts === counts) counted = undefined;
        });
      }
      return counted.counts;
    };
    new Gauge({
      name: 'pingone_connect_connections',
      help: 'Stored connections, by integration and status (counted at most once a minute).',
      labelNames: ['integration', 'status'],
      registers,
      async collect() {
        const counts = await connections();
        // An integration deleted since the last scrape leaves no stale series behind.
        this.reset();
        for (const { integrationId, status, count } of counts) {
          this.set({ integration: integrationId, status }, count);
        }
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * One proxied call: `status` is PingOne's answer, or `'error'` when the server answered with
   * its own error instead. Called from where the call's log row is made.
   */
  proxyCall(integrationId: string, status: number | 'error', durationMs: number): void {
    const statusClass =
      status === 'error' ? 'error' : (STATUS_CLASSES[Math.floor(status / 100) - 1] ?? '5xx');
    let children = this.#proxyChildren.get(integrationId);
    if (!children) this.#proxyChildren.set(integrationId, (children = new Map()));
    let child = children.get(statusClass);
    if (!child) {
      child = this.#proxyDuration.labels(integrationId, statusClass);
      children.set(statusClass, child);
    }
    child.observe(durationMs / 1000);
  }

  /** The text exposition format, and its content type. */
  async exposition(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
