import { isErrorCode, type ResultError } from '@pingone-connect/protocol';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { joinScopes, splitScopes } from './columns.js';
import type { AttemptsTable, Database } from './schema.js';

/**
 * How an attempt reports its outcome (DESIGN §4.9): `popup` posts it to the opener from the
 * result page; `redirect` sends the browser back to `returnTo` (on one of the session's
 * origins) with only the attempt id added; `link` shows it on the hosted link page, or sends
 * the browser to the link's `return_url` the same way.
 */
export type AttemptDelivery =
  | { readonly mode: 'popup' }
  | { readonly mode: 'redirect'; readonly returnTo: string }
  | { readonly mode: 'link'; readonly returnTo: string | null };

/** What `/oauth/connect` records before sending the browser to PingOne. */
export interface NewAttempt {
  readonly id: string;
  readonly sessionJti: string;
  readonly integrationId: string;
  readonly origin: string;
  readonly stateHash: string;
  /** Encrypted. */
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly bindingHash: string;
  readonly scopes: readonly string[];
  readonly delivery: AttemptDelivery;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * An attempt in one of its states. `exchanging` means a callback has claimed it and is
 * talking to PingOne; only that callback can finish it.
 */
export type AttemptRecord = NewAttempt &
  (
    | { readonly status: 'pending' | 'exchanging' }
    | { readonly status: 'success'; readonly connectionId: string; readonly completedAt: number }
    | { readonly status: 'error'; readonly error: ResultError; readonly completedAt: number }
  );

/** A stored error, checked again on the way out: the column is only text to the database. */
function toResultError(json: string | null): ResultError {
  const value: unknown = json === null ? null : JSON.parse(json);
  if (typeof value === 'object' && value !== null && 'code' in value && isErrorCode(value.code)) {
    return value as ResultError;
  }
  return { code: 'internal_error', message: 'The attempt failed.' };
}

function toDelivery(row: Selectable<AttemptsTable>): AttemptDelivery {
  switch (row.mode) {
    case 'redirect':
      // Written with its URL, always: a row without one reports nowhere rather than anywhere.
      return row.return_to === null
        ? { mode: 'popup' }
        : { mode: 'redirect', returnTo: row.return_to };
    case 'link':
      return { mode: 'link', returnTo: row.return_to };
    default:
      return { mode: 'popup' };
  }
}

function toAttempt(row: Selectable<AttemptsTable>): AttemptRecord {
  const base: NewAttempt = {
    id: row.id,
    sessionJti: row.session_jti,
    integrationId: row.integration_id,
    origin: row.origin,
    stateHash: row.state_hash,
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    bindingHash: row.binding_hash,
    scopes: splitScopes(row.scopes),
    delivery: toDelivery(row),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
  const completedAt = Number(row.completed_at);
  switch (row.status) {
    case 'success':
      return { ...base, status: 'success', connectionId: row.connection_id ?? '', completedAt };
    case 'error':
      return { ...base, status: 'error', error: toResultError(row.error), completedAt };
    default:
      return { ...base, status: row.status };
  }
}

type Status = AttemptsTable['status'];

/**
 * The `attempts` table. Every change of status is a conditional update from the statuses it
 * may leave, so that a state works once (DESIGN §5.2, §6.2) and only the first outcome of an
 * attempt counts; each returns the row it wrote, or undefined when another request got there
 * first.
 */
export class AttemptRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Inserts a pending attempt; undefined when its id is already taken. */
  async insert(attempt: NewAttempt): Promise<AttemptRecord | undefined> {
    const row = await this.#db
      .insertInto('attempts')
      .values({
        id: attempt.id,
        session_jti: attempt.sessionJti,
        integration_id: attempt.integrationId,
        origin: attempt.origin,
        state_hash: attempt.stateHash,
        code_verifier: attempt.codeVerifier,
        nonce: attempt.nonce,
        binding_hash: attempt.bindingHash,
        scopes: joinScopes(attempt.scopes),
        status: 'pending',
        mode: attempt.delivery.mode,
        return_to: attempt.delivery.mode === 'popup' ? null : attempt.delivery.returnTo,
        connection_id: null,
        error: null,
        created_at: attempt.createdAt,
        expires_at: attempt.expiresAt,
        completed_at: null,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && toAttempt(row);
  }

  async find(id: string): Promise<AttemptRecord | undefined> {
    const row = await this.#db
      .selectFrom('attempts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAttempt(row);
  }

  async findByStateHash(stateHash: string): Promise<AttemptRecord | undefined> {
    const row = await this.#db
      .selectFrom('attempts')
      .selectAll()
      .where('state_hash', '=', stateHash)
      .executeTakeFirst();
    return row && toAttempt(row);
  }

  /** `pending` → `exchanging`. */
  async claim(id: string): Promise<AttemptRecord | undefined> {
    return this.#move(id, ['pending'], { status: 'exchanging' });
  }

  /** `exchanging` → `success`. */
  async complete(id: string, connectionId: string, at: number): Promise<AttemptRecord | undefined> {
    return this.#move(id, ['exchanging'], {
      status: 'success',
      connection_id: connectionId,
      completed_at: at,
    });
  }

  /** `pending` or `exchanging` → `error`; undefined when it had already finished. */
  async fail(id: string, error: ResultError, at: number): Promise<AttemptRecord | undefined> {
    return this.#move(id, ['pending', 'exchanging'], {
      status: 'error',
      error: JSON.stringify(error),
      completed_at: at,
    });
  }

  async #move(
    id: string,
    from: readonly Status[],
    set: Updateable<AttemptsTable>,
  ): Promise<AttemptRecord | undefined> {
    const row = await this.#db
      .updateTable('attempts')
      .set(set)
      .where('id', '=', id)
      .where('status', 'in', from)
      .returningAll()
      .executeTakeFirst();
    return row && toAttempt(row);
  }
}
