import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callback,
  connectionCount,
  mint,
  pollAttempt,
  postConnect,
  postedResult,
  signIn,
  startAttempt,
  startHarness,
  type Harness,
} from '../test/support.js';

let harness: Harness;
afterEach(() => harness.close());

describe('§6.2 replaying a callback URL gives state_used and performs no second exchange', () => {
  beforeEach(async () => {
    harness = await startHarness();
  });

  it('refuses the replay without calling the token endpoint again', async () => {
    const { attemptId, cookie, url } = await signIn(harness);
    harness.emulator.resetCounters();
    const first = postedResult(await (await callback(harness, url, cookie)).text());
    expect(first.message?.ok).toBe(true);
    expect(harness.emulator.tokenRequests('authorization_code')).toBe(1);

    const replay = await callback(harness, url, cookie);
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('<code>state_used</code>');
    expect(harness.emulator.tokenRequests()).toBe(1);
  });

  it('lets exactly one of two simultaneous callbacks exchange the code', async () => {
    const { attemptId, cookie, url } = await signIn(harness);
    harness.emulator.resetCounters();
    const responses = await Promise.all([
      callback(harness, url, cookie),
      callback(harness, url, cookie),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    expect(harness.emulator.tokenRequests()).toBe(1);
    expect(await connectionCount(harness)).toBe(1);
  });
});

describe('§6.3 PingOne slow or down: bounded timeouts, provider_unavailable, no half-written connection', () => {
  beforeEach(async () => {
    harness = await startHarness({ env: { PINGONE_TIMEOUT_MS: '200' } });
  });

  it('gives up on a slow token endpoint with provider_unavailable and stores nothing', async () => {
    const { token, attemptId, cookie, url } = await signIn(harness);
    harness.emulator.faults.tokenDelayMs = 5_000;
    const html = await (await callback(harness, url, cookie)).text();
    expect(postedResult(html).message).toMatchObject({
      ok: false,
      attempt_id: attemptId,
      error: { code: 'provider_unavailable' },
    });
    expect(await connectionCount(harness)).toBe(0);
    const poll = await pollAttempt(harness, attemptId, token);
    expect(await poll.json()).toMatchObject({
      status: 'error',
      error: { code: 'provider_unavailable' },
    });
  });

  it('reports a token endpoint answering 503 as provider_unavailable and stores nothing', async () => {
    const { attemptId, cookie, url } = await signIn(harness);
    harness.emulator.faults.tokenFailStatus = 503;
    const html = await (await callback(harness, url, cookie)).text();
    expect(postedResult(html).message).toMatchObject({
      ok: false,
      error: { code: 'provider_unavailable' },
    });
    expect(await connectionCount(harness)).toBe(0);
  });

  it('keeps the session usable after PingOne failed, so the user can try again', async () => {
    const { token, attemptId, cookie, url } = await signIn(harness);
    harness.emulator.faults.tokenFailStatus = 503;
    await callback(harness, url, cookie);
    harness.emulator.faults.tokenFailStatus = null;
    const retry = await startAttempt(harness, token);
    const retryUrl = await harness.emulator.approve(retry.authorizeUrl);
    const html = await (await callback(harness, retryUrl, retry.cookie)).text();
    expect(postedResult(html).message?.ok).toBe(true);
  });

  it('answers /oauth/connect with provider_unavailable when PingOne cannot be reached', async () => {
    const { token } = await mint(harness);
    await harness.emulator.close();
    const response = await postConnect(harness, { session_token: token });
    expect(response.status).toBe(503);
    expect(postedResult(await response.text()).message).toMatchObject({
      ok: false,
      error: { code: 'provider_unavailable' },
    });
  });
});

describe('token endpoint refusals', () => {
  beforeEach(async () => {
    harness = await startHarness({ env: { PINGONE_CLIENT_SECRET: 'not-the-registered-secret' } });
  });

  it('reports a refused client as token_exchange_failed and stores nothing', async () => {
    const { attemptId, cookie, url } = await signIn(harness);
    const html = await (await callback(harness, url, cookie)).text();
    expect(postedResult(html).message).toMatchObject({
      ok: false,
      error: { code: 'token_exchange_failed' },
    });
    expect(await connectionCount(harness)).toBe(0);
  });
});

describe('§6.9 no attempt stays pending or exchanging past its life', () => {
  const TIMEOUT_MS = 1_000;
  // The attempt's life (10 min) plus the exchange budget of attempts/life.ts.
  const PAST_LIFE_MS = 10 * 60 * 1000 + 4 * TIMEOUT_MS + 5_000;

  beforeEach(async () => {
    harness = await startHarness({
      env: { SESSION_TTL_SECONDS: '3600', PINGONE_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
  });

  const statusOf = async (attemptId: string, token: string) =>
    (await (await pollAttempt(harness, attemptId, token)).json()) as {
      status: string;
      error?: { code: string };
    };

  it('ends an attempt cut off mid-exchange as provider_unavailable once its life is over', async () => {
    const { token, attemptId } = await signIn(harness);
    // What a callback that crashed after claiming the attempt leaves behind.
    expect(await harness.store.attempts.claim(attemptId)).toBeDefined();
    expect(await statusOf(attemptId, token)).toEqual({ status: 'pending' });

    harness.clock.advance(PAST_LIFE_MS);
    const ended = await statusOf(attemptId, token);
    expect(ended).toMatchObject({ status: 'error', error: { code: 'provider_unavailable' } });
    expect(await statusOf(attemptId, token)).toEqual(ended);
    expect((await harness.store.attempts.find(attemptId))?.status).toBe('error');
    const logged = await harness.store.journal.list({ attemptId, limit: 10 });
    expect(logged.map((entry) => entry.event)).toContain('connect.failed');
  });

  it('leaves an exchange that is still within its budget alone after the state expired', async () => {
    const { token, attemptId } = await signIn(harness);
    expect(await harness.store.attempts.claim(attemptId)).toBeDefined();
    harness.clock.advance(10 * 60 * 1000 + 1_000);
    expect(await statusOf(attemptId, token)).toEqual({ status: 'pending' });
    expect((await harness.store.attempts.find(attemptId))?.status).toBe('exchanging');
  });

  it('ends an abandoned pending attempt as state_mismatch once its state expired, and records it', async () => {
    const { token, attemptId } = await signIn(harness);
    harness.clock.advance(10 * 60 * 1000);
    expect(await statusOf(attemptId, token)).toMatchObject({
      status: 'error',
      error: { code: 'state_mismatch' },
    });
    expect((await harness.store.attempts.find(attemptId))?.status).toBe('error');
  });
});
