import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type Engine } from '../../test/engines.js';
import { openStore } from './open.js';
import type { Store } from './store.js';

const NOW = Date.UTC(2026, 5, 1);

describe.each(ENGINES)('outbox claims on %s', (_name, engine) => {
  let database: Engine;
  let stores: Store[];
  beforeAll(async () => {
    database = await engine();
    stores = [await openStore(database.url), await openStore(database.url)];
  });
  afterAll(async () => {
    for (const store of stores ?? []) await store.close();
    await database?.stop();
  });

  it('gives each of 100 due events to exactly one of many concurrent claims from two stores', async () => {
    const [first] = stores as [Store];
    const ids = Array.from({ length: 100 }, (_, i) => `evt_claim_${String(i).padStart(3, '0')}`);
    await first.transaction(async (trx) => {
      for (const id of ids)
        await trx.outbox.insert({
          id,
          type: 'connection.updated',
          payload: '{}',
          createdAt: NOW,
          connectionId: null,
        });
    });
    // 40 claims of 7 at once, alternating between the stores: far more asked for than due.
    const claims = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stores[i % 2]!.outbox.claimDue(NOW, NOW + 60_000, 7)),
    );
    const won = claims.flat().map((event) => event.id);
    expect(won).toHaveLength(100);
    expect(new Set(won).size).toBe(100);
    // Each claim comes back oldest first, with the lease it was won with.
    for (const claim of claims) {
      expect(claim.map((event) => event.id)).toEqual(claim.map((event) => event.id).sort());
      for (const event of claim) expect(event.nextAttemptAt).toBe(NOW + 60_000);
    }
    expect(await first.outbox.claimDue(NOW + 1, NOW + 60_000, 7)).toEqual([]);
  });
});
