import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Durability } from './store/durability.js';
import type { Store, Transaction } from './store/store.js';
import {
  SECRET_KEY,
  backendGet,
  connectFlow,
  mint,
  startHarness,
  type Harness,
} from '../test/support.js';

/** One transaction of the store: how it committed and which repositories it used. */
interface Committed {
  readonly durability: Durability;
  readonly used: ReadonlySet<string>;
}

/** Records every transaction of `store` from now on. */
function recordTransactions(store: Store): Committed[] {
  const committed: Committed[] = [];
  const transaction = store.transaction.bind(store);
  store.transaction = (fn, options) => {
    const used = new Set<string>();
    committed.push({ durability: options?.durability ?? 'flushed', used });
    return transaction(
      (trx) =>
        fn(
          new Proxy(trx, {
            get(target, name: keyof Transaction) {
              if (name !== 'afterCommit') used.add(name);
              return target[name];
            },
          }),
        ),
      options,
    );
  };
  return committed;
}

describe('§8 credential writes stay durable: only rows whose loss fails closed commit deferred', () => {
  let harness: Harness;
  let committed: Committed[];
  beforeEach(async () => {
    harness = await startHarness();
    committed = recordTransactions(harness.store);
  });
  afterEach(() => harness.close());

  it('flushes every transaction that writes a connection or a link, through connect, refresh, link and delete', async () => {
    const flow = await connectFlow(harness);
    if (!flow.posted.message?.ok) throw new Error('expected a connection');
    const id = flow.posted.message.connection_id;
    expect((await backendGet(harness, `/connections/${id}?refresh=force`)).status).toBe(200);
    await mint(harness, { link: {} });
    const deleted = await harness.app.request(harness.url(`/connections/${id}`), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    expect(deleted.status).toBe(200);

    const deferred = committed.filter((trx) => trx.durability === 'deferred');
    // The mint, the attempt and its claim.
    expect(deferred).toHaveLength(3);
    for (const trx of deferred) {
      expect(
        [...trx.used].every((name) => ['sessions', 'attempts', 'journal'].includes(name)),
      ).toBe(true);
    }
    const credentialWrites = committed.filter(
      (trx) => trx.used.has('connections') || trx.used.has('links'),
    );
    // The save, the refresh's lease, its result, the link's mint and the delete.
    expect(credentialWrites.length).toBeGreaterThanOrEqual(4);
    for (const trx of credentialWrites) expect(trx.durability).toBe('flushed');
  });
});
