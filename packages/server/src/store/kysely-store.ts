import type { Kysely } from 'kysely';
import { AttemptRepository } from './attempts.js';
import { ConnectionRepository } from './connections.js';
import { IntegrationRepository } from './integrations.js';
import { JournalRepository } from './journal.js';
import { LinkRepository } from './links.js';
import { OutboxRepository } from './outbox.js';
import type { Database } from './schema.js';
import { SessionRepository } from './sessions.js';
import type { Repositories, Store } from './store.js';

/** The repositories over `db`, a database or a transaction. */
function repositories(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Repositories {
  return {
    sessions: new SessionRepository(db),
    attempts: new AttemptRepository(db),
    links: new LinkRepository(db),
    connections: new ConnectionRepository(db),
    integrations: new IntegrationRepository(db, dialect),
    outbox: new OutboxRepository(db),
    journal: new JournalRepository(db),
  };
}

/**
 * The {@link Store} over Kysely: the same queries on SQLite and PostgreSQL.
 *
 * @param db An open Kysely instance with the schema migrated; `close()` destroys it.
 */
export function kyselyStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Store {
  // Compiled once: `ping()` answers every load balancer probe, and it is always this query.
  const pingQuery = db.selectFrom('sessions').select('jti').limit(1).compile();
  return {
    dialect,
    ...repositories(db, dialect),
    async transaction(fn) {
      const committed: (() => void)[] = [];
      const result = await db
        .transaction()
        .execute((trx) =>
          fn({ ...repositories(trx, dialect), afterCommit: (work) => void committed.push(work) }),
        );
      for (const work of committed) {
        try {
          work();
        } catch {
          // The change has committed: work that fails after it must not answer as if it had not.
        }
      }
      return result;
    },
    async ping() {
      await db.executeQuery(pingQuery);
    },
    close: () => db.destroy(),
  };
}
