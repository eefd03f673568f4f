import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type Engine } from '../../test/engines.js';
import { openStore } from './open.js';
import type { Store } from './store.js';

const WINDOW = 60_000 * 29_000_000;

describe.each(ENGINES)('shared rate-limit counters on %s', (name, engine) => {
  let database: Engine;
  let stores: Store[];
  beforeAll(async () => {
    database = await engine();
    // Two stores on one database: two replicas.
    stores = [await openStore(database.url), await openStore(database.url)];
  });
  afterAll(async () => {
    for (const store of stores ?? []) await store.close();
    await database?.stop();
  });

  it('gives 100 concurrent hits from two stores the counts 1 to 100, each once', async () => {
    const counts = await Promise.all(
      Array.from({ length: 100 }, (_, i) => stores[i % 2]!.rateLimits.hit('poll:a', WINDOW)),
    );
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('starts a new window at 1, and a hit stamped with an older window counts into the newer', async () => {
    const [store] = stores as [Store];
    expect(await store.rateLimits.hit('poll:b', WINDOW)).toBe(1);
    expect(await store.rateLimits.hit('poll:b', WINDOW + 60_000)).toBe(1);
    expect(await store.rateLimits.hit('poll:b', WINDOW)).toBe(2);
    expect(await store.rateLimits.hit('poll:b', WINDOW + 60_000)).toBe(3);
  });

  it.runIf(name === 'PostgreSQL')(
    'are kept in an unlogged table: no WAL flush per limited request',
    async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ relpersistence: string }>(
          "select relpersistence from pg_class where relname = 'rate_limits'",
        );
        expect(rows).toEqual([{ relpersistence: 'u' }]);
      } finally {
        await client.end();
      }
    },
  );

  it('purges the counters of windows before a time', async () => {
    const [store] = stores as [Store];
    await store.rateLimits.hit('poll:c', WINDOW - 10 * 60_000);
    expect(await store.rateLimits.purgeBefore(WINDOW - 60_000)).toBe(1);
    expect(await store.rateLimits.hit('poll:c', WINDOW)).toBe(1);
  });
});
