import type { Counter } from 'prom-client';
import type { JournalEntry, LoneEntry } from '../journal/journal.js';

/** The counters the journal's entries feed (`ServerMetrics` has them). */
export interface JournalCounters {
  readonly connectFlows: Counter<'integration' | 'outcome'>;
  readonly refreshes: Counter<'integration' | 'outcome'>;
  readonly webhookDeliveries: Counter<'outcome'>;
}

/** The integration an entry is about. */
function integrationOf(entry: JournalEntry | LoneEntry): string {
  const { subject } = entry;
  if ('session' in subject) return subject.session.integrationId;
  if ('connection' in subject) return subject.connection.integrationId;
  return subject.integrationId;
}

/**
 * Counts what the journal recorded (DESIGN §4.11): each flow outcome, refresh and webhook
 * delivery is an entry there already, once its change has committed, so the steps that make
 * them carry no instrumentation of their own. Other events are not counted.
 */
export function countJournalEntry(metrics: JournalCounters, entry: JournalEntry | LoneEntry): void {
  switch (entry.event) {
    case 'attempt.succeeded':
      metrics.connectFlows.inc({ integration: integrationOf(entry), outcome: 'connected' });
      return;
    // `attempt.failed` is a failed attempt whose session was purged meanwhile.
    case 'connect.failed':
    case 'attempt.failed':
      metrics.connectFlows.inc({
        integration: integrationOf(entry),
        outcome: entry.failure?.code ?? 'internal_error',
      });
      return;
    case 'connection.refreshed':
      metrics.refreshes.inc({ integration: integrationOf(entry), outcome: 'refreshed' });
      return;
    case 'connection.refresh_superseded':
      metrics.refreshes.inc({ integration: integrationOf(entry), outcome: 'superseded' });
      return;
    case 'connection.refresh_failed':
      metrics.refreshes.inc({
        integration: integrationOf(entry),
        outcome: entry.failure?.code ?? 'refresh_failed',
      });
      return;
    case 'webhook.delivered':
      metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      return;
    case 'webhook.attempt_failed':
      metrics.webhookDeliveries.inc({ outcome: 'retrying' });
      return;
    case 'webhook.failed':
      metrics.webhookDeliveries.inc({ outcome: 'failed' });
      return;
    default:
      return;
  }
}
