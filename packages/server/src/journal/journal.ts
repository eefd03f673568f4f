import { failureFields, type ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { redact, type Logger } from '../logger/logger.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { LogEntry } from '../store/journal.js';
import type { SessionRecord } from '../store/sessions.js';
import type { Store, Transaction } from '../store/store.js';
import {
  isWebhookEventType,
  type ConnectionEventType,
  type WebhookEventType,
} from '@pingone-connect/protocol';
import {
  connectFailedPayload,
  webhookPayload,
  type RevocationFields,
  type WebhookPayload,
} from '../webhooks/payload.js';

/** What the operations log records besides the webhook events, one name per kind of event. */
export type OperationEvent =
  | 'session.created'
  | 'session.revoked'
  | 'attempt.started'
  | 'attempt.succeeded'
  | 'attempt.failed'
  | 'callback.replayed'
  | 'grant.discarded'
  | 'connection.refreshed'
  | 'connection.refresh_superseded'
  | 'connection.revoke_failed'
  | 'proxy.request'
  | 'proxy.retry'
  | 'integration.created'
  | 'integration.updated'
  | 'integration.deleted'
  | 'webhook.delivered'
  | 'webhook.attempt_failed'
  | 'webhook.failed'
  | 'webhook.redelivery_requested';

/** An attempt that ended in an error: its session says whose it was (`connect.failed`). */
export interface AttemptSubject {
  readonly session: SessionRecord;
  readonly attemptId: string;
}

/** Who an event is about, as the operations log files it. */
export interface Subject {
  readonly integrationId: string;
  readonly endUserId?: string | null;
  readonly connectionId?: string | null;
  readonly attemptId?: string | null;
}

/** An event about a connection: the record itself, which its webhook describes. */
export interface ConnectionSubject {
  readonly connection: ConnectionRecord;
  readonly attemptId?: string;
}

interface EntryFields {
  readonly level: LogEntry['level'];
  /** Safe to show the integrator: no token, code, secret or request input. */
  readonly message: string;
  /** Details, without secrets (they are redacted again on the way in). */
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * What went wrong, when something did: its code (and PingOne's `oauth_error`) go in the
   * row's details, and its reason and cause in the log line too, for the operator.
   */
  readonly failure?: ApiError;
}

/** What happened, said once: the operations-log row, the log line and the webhook come from it. */
export type JournalEntry = EntryFields &
  (
    | {
        readonly event: ConnectionEventType;
        readonly subject: ConnectionSubject;
        /**
         * False to record the event without telling the integrator again, e.g. a refresh that
         * failed and left the connection as it was. Default true.
         */
        readonly webhook?: boolean;
        /**
         * `connection.deleted`: what PingOne revoked and what it does not let us revoke, said
         * alike in the row's details and the webhook's data.
         */
        readonly revocation?: RevocationFields;
      }
    | {
        /** An attempt ended in an error; `webhook: false` for one the end user abandoned. */
        readonly event: 'connect.failed';
        readonly subject: AttemptSubject;
        readonly failure: ApiError;
        readonly webhook?: boolean;
        readonly revocation?: never;
      }
    | {
        readonly event: OperationEvent;
        readonly subject: Subject | ConnectionSubject;
        readonly webhook?: never;
        readonly revocation?: never;
        /**
         * The change put an event already in the outbox back in line (a redelivery): the
         * dispatcher is woken once it commits, as for a new event.
         */
        readonly requeued?: true;
      }
  );

/**
 * An entry that belongs to no state change (a proxied call): no webhook, since a webhook is
 * queued in the outbox with the change it tells of.
 */
export type LoneEntry = EntryFields & {
  readonly event: OperationEvent;
  readonly subject: Subject | ConnectionSubject;
};

/** Options of {@link Journal}. */
export interface JournalOptions {
  /** Where each event's line goes once its transaction has committed. */
  readonly logger: Logger;
  /** Milliseconds since the epoch: each row's time, and its webhook's `timestamp`. */
  readonly clock: () => number;
  /**
   * Set when `WEBHOOK_URL` is: webhook events are then queued in the outbox, and `wake` runs
   * once a transaction that queued one has committed. Absent, no webhook is queued.
   */
  readonly webhooks?: { readonly wake: () => void };
}

function subjectOf(subject: Subject | ConnectionSubject | AttemptSubject): Subject {
  if ('session' in subject) {
    const { session, attemptId } = subject;
    return {
      integrationId: session.integrationId,
      endUserId: session.endUser.id,
      connectionId: session.connectionId,
      attemptId,
    };
  }
  if (!('connection' in subject)) return subject;
  const { connection, attemptId } = subject;
  return {
    integrationId: connection.integrationId,
    endUserId: connection.endUser.id,
    connectionId: connection.id,
    ...(attemptId === undefined ? {} : { attemptId }),
  };
}

/** The webhook an entry makes at `at`, if it is a webhook event and not told otherwise. */
function webhookOf(entry: JournalEntry, at: number): WebhookPayload | undefined {
  if (!isWebhookEventType(entry.event) || entry.webhook === false) return undefined;
  if (entry.event === 'connect.failed') {
    const { session, attemptId } = entry.subject;
    return connectFailedPayload(session, attemptId, entry.failure.toResultError(), at);
  }
  if (!('connection' in entry.subject)) return undefined;
  return webhookPayload(entry.event, entry.subject.connection, at, entry.revocation);
}

/** The row's details: the failure's code first, then the entry's own. */
function detailsOf(entry: JournalEntry): Record<string, unknown> | null {
  const { failure, revocation } = entry;
  const data = revocation
    ? { ...entry.data, revoked: revocation.revoked, not_revocable: revocation.not_revocable }
    : entry.data;
  if (!failure && !data) return null;
  const details = {
    ...(failure
      ? {
          error_code: failure.code,
          ...(failure.oauthError ? { oauth_error: failure.oauthError } : {}),
        }
      : {}),
    ...data,
  };
  return redact(details) as Record<string, unknown>;
}

/**
 * Says what happened, once (DESIGN §10, after node-oidc-provider's `emit`): each step hands
 * {@link record} one entry, in the transaction of the change it describes, and gets the
 * operations-log row, the webhook in the outbox when the event is one, and — only once that
 * transaction has committed — the log line and the dispatcher woken. So no line tells of a
 * change that rolled back, no row or webhook goes without its line, and no queued webhook
 * waits for the next poll.
 */
export class Journal {
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #webhooks: { readonly wake: () => void } | undefined;

  constructor(options: JournalOptions) {
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#webhooks = options.webhooks;
  }

  /**
   * Records `entry` in `trx`, the transaction of the change it describes: the row and the
   * webhook commit with the change or not at all, so a crash can neither lose the event of a
   * committed change nor send one for a change that rolled back (DESIGN §6.4).
   */
  async record(trx: Transaction, entry: JournalEntry): Promise<void> {
    const { at, row, line } = this.#written(entry);
    await trx.journal.insert(row);
    const webhook = this.#webhooks && webhookOf(entry, at);
    if (webhook) {
      await trx.outbox.insert({
        id: newId('evt', at),
        type: webhook.type,
        payload: JSON.stringify(webhook),
        connectionId: webhook.data.connection_id,
        createdAt: at,
      });
    }
    trx.afterCommit(() => {
      this.#logger[entry.level](entry.event, line);
      if (webhook || ('requeued' in entry && entry.requeued)) this.#webhooks?.wake();
    });
  }

  /**
   * Records `entry`, which no state change carries, in the store's next batch of log rows
   * (DESIGN §8: one commit per batch instead of an fsync per row) and returns at once: the
   * caller's answer does not wait for the commit. The line follows once the batch has
   * committed. Should the batch fail, the row is not retried: its line goes out anyway as a
   * `journal.write_failed` warning with the error, so the event still reaches the operator;
   * nothing is thrown, since what it tells of happened either way.
   */
  recordAlone(store: Store, entry: LoneEntry): void {
    const { row, line } = this.#written(entry);
    store.journal.append(row).then(
      () => this.#logger[entry.level](entry.event, line),
      (error: unknown) =>
        // `event` names the line itself, so the entry's goes under another key.
        this.#logger.warn('journal.write_failed', { ...line, entry_event: entry.event, error }),
    );
  }

  /** The row and the line of `entry`, stamped now. */
  #written(entry: JournalEntry) {
    const at = this.#clock();
    const subject = subjectOf(entry.subject);
    const data = detailsOf(entry);
    const row: LogEntry = {
      id: newId('log', at),
      createdAt: at,
      level: entry.level,
      event: entry.event,
      message: entry.message,
      ...subject,
      data,
    };
    const line = {
      message: entry.message,
      integration_id: subject.integrationId,
      ...(subject.endUserId ? { end_user_id: subject.endUserId } : {}),
      ...(subject.connectionId ? { connection_id: subject.connectionId } : {}),
      ...(subject.attemptId ? { attempt_id: subject.attemptId } : {}),
      ...data,
      ...(entry.failure ? failureFields(entry.failure) : {}),
    };
    return { at, row, line };
  }
}
