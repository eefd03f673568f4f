import { DEFAULT_USER } from '@pingone-connect/emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  SECRET_KEY,
  backendGet,
  connectFlow,
  startHarness,
  type Harness,
} from '../../test/support.js';

/** Four rows a batch, and no batch commits on its timer: the test says when, by reading. */
const BATCH_ROWS = 4;

describe('the proxy’s log rows, committed a batch at a time', () => {
  let harness: Harness;
  let connectionId: string;

  beforeAll(async () => {
    harness = await startHarness({
      store: { logBatch: { maxDelayMs: 60 * 60 * 1000, maxRows: BATCH_ROWS } },
    });
    const { posted } = await connectFlow(harness);
    if (!posted.message?.ok) throw new Error('the flow did not succeed');
    connectionId = posted.message.connection_id;
  });
  afterAll(() => harness?.close());

  const ownRecord = () =>
    `/v1/environments/${harness.emulator.environmentId}/users/${DEFAULT_USER.id}`;
  const proxied = () =>
    harness.app.request(harness.url(`/proxy${ownRecord()}`), {
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'connection-id': connectionId },
    });

  async function proxyRequestRows(): Promise<unknown[]> {
    const response = await backendGet(harness, `/logs?connection_id=${connectionId}&limit=100`);
    const page = (await response.json()) as { data: { type: string }[] };
    return page.data.filter((entry) => entry.type === 'proxy.request');
  }

  it('commits the rows of N calls in ⌈N / batch⌉ transactions, not one each', async () => {
    const before = (await proxyRequestRows()).length;
    const transactions = vi.spyOn(harness.store, 'transaction');
    const calls = 2 * BATCH_ROWS;
    for (let call = 0; call < calls; call += 1) {
      const response = await proxied();
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    // The credentials were fresh: the only writes of these calls are their log rows.
    expect(transactions).toHaveBeenCalledTimes(Math.ceil(calls / BATCH_ROWS));
    transactions.mockRestore();
    expect(await proxyRequestRows()).toHaveLength(before + calls);
  });

  it('lists a call in GET /logs as soon as the call has answered', async () => {
    const before = (await proxyRequestRows()).length;
    const response = await proxied();
    expect(response.status).toBe(200);
    await response.body?.cancel();

    const rows = await proxyRequestRows();
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({
      type: 'proxy.request',
      connection_id: connectionId,
      details: { method: 'GET', status: 200 },
    });
  });
});
