import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct statements stay prepared; the store's queries are a few dozen. */
const DEFAULT_CAPACITY = 256;

/**
 * The database as Kysely's `SqliteDialect` sees it, but preparing each SQL text once:
 * Kysely calls `prepare()` for every query it runs, and on better-sqlite3 compiling the
 * statement costs more than running it. A prepared statement is reusable for any parameters,
 * and Kysely runs one query at a time on its one connection, so no two uses overlap. The
 * cache is bounded, least recently used first out, because texts that differ in the length of
 * an `in (…)` list are distinct statements.
 */
export function cachingStatements(
  database: SqliteDatabase,
  capacity = DEFAULT_CAPACITY,
): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached) {
        // Moved to the end: a Map iterates in insertion order, so the first is the least recent.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) {
        statements.delete(statements.keys().next().value!);
      }
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}
