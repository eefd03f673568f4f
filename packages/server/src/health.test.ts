import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test/support.js';

describe('GET /healthz', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('answers ok with the API headers and writes no log line for a probe that passes', async () => {
    const from = harness.logs.length;
    const response = await harness.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(harness.logs.slice(from)).toEqual([]);
  });

  it('answers 500 internal_error and logs http.error when the store does not answer', async () => {
    await harness.store.close();
    const from = harness.logs.length;
    const response = await harness.app.request('/healthz');
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: 'internal_error' } });
    const lines = harness.logs
      .slice(from)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', event: 'http.error', path: '/healthz' });
  });
});
