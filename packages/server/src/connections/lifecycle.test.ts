import { connectFlow as headlessConnectFlow } from '@pingone-connect/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  WEBHOOK_ENV,
  createEmulatorIntegration,
  outbox,
  readConnection,
  signedOnAt,
  type ConnectionBody,
} from '../../test/connections.js';
import {
  backendGet,
  connectFlow,
  postedResult,
  startHarness,
  type Harness,
} from '../../test/support.js';
import {
  SIGN_ON_SESSION_LIFE_MS,
  reauthBy,
  refusalReason,
  type LifecycleSettings,
} from './lifecycle.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const DEFAULTS: LifecycleSettings = {
  skipTokenSessionValidation: false,
  refreshTokenDuration: null,
  refreshTokenRollingDuration: null,
};
const SKIPPED: LifecycleSettings = { ...DEFAULTS, skipTokenSessionValidation: true };
const T0 = Date.UTC(2026, 0, 1);

describe('reauth_by', () => {
  it('is 30 days after sign-on with session validation, whenever the tokens were refreshed', () => {
    expect(reauthBy(DEFAULTS, { signedOnAt: T0, issuedAt: T0 })).toBe(T0 + 30 * DAY);
    expect(reauthBy(DEFAULTS, { signedOnAt: T0, issuedAt: T0 + 20 * DAY })).toBe(T0 + 30 * DAY);
  });

  it('is the refresh token’s duration when it is shorter than the session', () => {
    const settings = { ...DEFAULTS, refreshTokenDuration: 7 * 24 * 3600 };
    expect(reauthBy(settings, { signedOnAt: T0, issuedAt: T0 + DAY })).toBe(T0 + 8 * DAY);
  });

  it('without session validation, moves with each refresh up to the rolling cap', () => {
    expect(reauthBy(SKIPPED, { signedOnAt: T0, issuedAt: T0 })).toBe(T0 + 30 * DAY);
    expect(reauthBy(SKIPPED, { signedOnAt: T0, issuedAt: T0 + 100 * DAY })).toBe(T0 + 130 * DAY);
    expect(reauthBy(SKIPPED, { signedOnAt: T0, issuedAt: T0 + 170 * DAY })).toBe(T0 + 180 * DAY);
  });

  it('without session validation, uses the durations the integration gives', () => {
    const settings = { ...SKIPPED, refreshTokenDuration: 3600, refreshTokenRollingDuration: 7200 };
    expect(reauthBy(settings, { signedOnAt: T0, issuedAt: T0 })).toBe(T0 + HOUR);
    expect(reauthBy(settings, { signedOnAt: T0, issuedAt: T0 + 1.5 * HOUR })).toBe(T0 + 2 * HOUR);
  });
});

describe('the reason of a refused refresh', () => {
  const refusal = { signedOnAt: T0, reauthBy: T0 + 30 * DAY, interrupted: false };

  it('is session_ended past a reauth_by set by the sign-on session', () => {
    const reason = refusalReason(DEFAULTS, { ...refusal, now: T0 + 31 * DAY, revocable: true });
    expect(reason).toBe('session_ended');
  });

  it('is refresh_token_expired past a reauth_by set by the refresh token', () => {
    const settings = { ...DEFAULTS, refreshTokenDuration: 3600 };
    const expired = { ...refusal, reauthBy: T0 + HOUR, now: T0 + 2 * HOUR, revocable: false };
    expect(refusalReason(settings, expired)).toBe('refresh_token_expired');
    expect(refusalReason(SKIPPED, { ...refusal, now: T0 + 31 * DAY, revocable: false })).toBe(
      'refresh_token_expired',
    );
  });

  it('is session_ended before reauth_by for a session-bound grant /as/revoke cannot end', () => {
    expect(refusalReason(DEFAULTS, { ...refusal, now: T0 + DAY, revocable: false })).toBe(
      'session_ended',
    );
  });

  it('is invalid_grant before reauth_by for a grant /as/revoke can end', () => {
    expect(refusalReason(DEFAULTS, { ...refusal, now: T0 + DAY, revocable: true })).toBe(
      'invalid_grant',
    );
  });

  it('is invalid_grant before reauth_by for a grant free of the session', () => {
    expect(refusalReason(SKIPPED, { ...refusal, now: T0 + DAY, revocable: false })).toBe(
      'invalid_grant',
    );
  });

  it('is refresh_interrupted before reauth_by after a refresh died mid-call', () => {
    const interrupted = { ...refusal, now: T0 + DAY, revocable: false, interrupted: true };
    expect(refusalReason(DEFAULTS, interrupted)).toBe('refresh_interrupted');
  });

  it('is invalid_grant for a connection from before sign-on times were kept', () => {
    const old = { signedOnAt: null, reauthBy: null, now: T0, interrupted: false, revocable: false };
    expect(refusalReason(DEFAULTS, old)).toBe('invalid_grant');
  });
});

/** Sets the time of the server and the emulator alike (both read `Date`). */
function timeAt(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: ms });
}

/** Connects an end user of `integrationId` through the real flow; the connection as read. */
async function connectTo(
  harness: Harness,
  integrationId: string,
  endUserId: string,
): Promise<ConnectionBody> {
  const flow = await connectFlow(harness, {
    session: { end_user: { id: endUserId }, integration_id: integrationId },
  });
  if (!flow.posted.message?.ok) throw new Error('the connect flow failed');
  return readConnection(harness, flow.posted.message.connection_id);
}

const refreshFailedEvents = (harness: Harness) =>
  outbox(harness)
    .filter((row) => row.event_type === 'connection.refresh_failed')
    .map((row) => JSON.parse(row.payload) as { data: Record<string, unknown> });

describe('§4.10 a connection says how long it lasts and why it stopped', () => {
  let harness: Harness;
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  it('reports reauth_by 30 days after the ID token’s auth_time by default', async () => {
    harness = await startHarness({ env: WEBHOOK_ENV });
    const connection = await connectTo(harness, 'pingone', 'user-lasting');
    expect(connection.reauth_by).toBe(
      new Date(signedOnAt(connection) + SIGN_ON_SESSION_LIFE_MS).toISOString(),
    );
    const [created] = outbox(harness).map((row) => JSON.parse(row.payload));
    expect(created).toMatchObject({
      type: 'connection.created',
      data: { status: 'active', status_reason: null, reauth_by: connection.reauth_by },
    });
  });

  it('with skip_token_session_validation, reports the integration’s refresh token duration and moves it on refresh, up to the rolling cap', async () => {
    const start = Date.now();
    timeAt(start);
    harness = await startHarness({ env: { ALLOW_LOOPBACK_PINGONE: 'true' } });
    const created = await createEmulatorIntegration(harness, 'skipping', {
      skip_token_session_validation: true,
      refresh_token_duration: 2 * 3600,
      refresh_token_rolling_duration: 3 * 3600,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      refresh_token_duration: 7200,
      refresh_token_rolling_duration: 10800,
    });
    const connection = await connectTo(harness, 'skipping', 'user-skipping');
    const signOn = signedOnAt(connection);
    expect(connection.reauth_by).toBe(new Date(start + 2 * HOUR).toISOString());

    timeAt(start + HOUR);
    const refreshed = await readConnection(harness, connection.id, true);
    expect(refreshed.reauth_by).toBe(new Date(signOn + 3 * HOUR).toISOString());
  });

  it('marks a connection whose sign-on session ended needs_reauth with session_ended, and connection.refresh_failed says so', async () => {
    harness = await startHarness({ env: WEBHOOK_ENV });
    const connection = await connectTo(harness, 'pingone', 'user-signed-off');
    const [session] = harness.emulator.sessions().filter((s) => !s.endedAt);
    if (!session) throw new Error('no sign-on session');
    expect(harness.emulator.endSession(session.id)).toBe(true);

    const refused = await backendGet(harness, `/connections/${connection.id}?refresh=force`);
    expect(refused.status).toBe(502);
    expect(await refused.json()).toMatchObject({
      error: { code: 'refresh_failed', oauth_error: { error: 'invalid_grant' } },
    });
    expect(await readConnection(harness, connection.id)).toMatchObject({
      status: 'needs_reauth',
      status_reason: 'session_ended',
    });
    expect(refreshFailedEvents(harness)).toEqual([
      expect.objectContaining({
        type: 'connection.refresh_failed',
        data: expect.objectContaining({
          connection_id: connection.id,
          status: 'needs_reauth',
          status_reason: 'session_ended',
        }),
      }),
    ]);
  });

  it('marks a connection whose end user signed off at PingOne needs_reauth with session_ended', async () => {
    harness = await startHarness({ env: WEBHOOK_ENV });
    // A browser that keeps its cookies from the sign-on to the signoff, as the end user's does.
    const browser = harness.emulator.browser();
    const flow = await headlessConnectFlow(
      { ...harness.target, emulator: browser },
      { session: { end_user: { id: 'user-signoff' } } },
    );
    const { message } = postedResult(await flow.response.text());
    if (!message?.ok) throw new Error('the connect flow failed');
    const connection = await readConnection(harness, message.connection_id);
    await browser.signOff({ idTokenHint: connection.credentials.id_token });

    expect((await backendGet(harness, `/connections/${connection.id}?refresh=force`)).status).toBe(
      502,
    );
    expect(await readConnection(harness, connection.id)).toMatchObject({
      status: 'needs_reauth',
      status_reason: 'session_ended',
    });
    expect(refreshFailedEvents(harness)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ status_reason: 'session_ended' }),
      }),
    ]);
  });

  it('marks a connection past the sign-on session’s 30 days session_ended', async () => {
    const start = Date.now();
    timeAt(start);
    harness = await startHarness({ env: WEBHOOK_ENV });
    const connection = await connectTo(harness, 'pingone', 'user-thirty-days');

    timeAt(start + 30 * DAY + HOUR);
    expect((await backendGet(harness, `/connections/${connection.id}`)).status).toBe(502);
    expect(await harness.store.connections.find(connection.id)).toMatchObject({
      status: 'needs_reauth',
      statusReason: 'session_ended',
    });
  });

  it('marks a connection whose refresh token outlived its duration refresh_token_expired', async () => {
    const start = Date.now();
    timeAt(start);
    harness = await startHarness({
      env: { ...WEBHOOK_ENV, ALLOW_LOOPBACK_PINGONE: 'true' },
      // The application's refresh tokens live an hour at PingOne (the emulator)…
      emulator: { tokenTtl: { refreshToken: 3600 } },
    });
    // …and the integration says so.
    const created = await createEmulatorIntegration(harness, 'hourly', {
      refresh_token_duration: 3600,
    });
    expect(created.status).toBe(201);
    const connection = await connectTo(harness, 'hourly', 'user-hourly');
    expect(connection.reauth_by).toBe(new Date(start + HOUR).toISOString());

    timeAt(start + 2 * HOUR);
    expect((await backendGet(harness, `/connections/${connection.id}`)).status).toBe(502);
    expect(refreshFailedEvents(harness)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ status_reason: 'refresh_token_expired' }),
      }),
    ]);
  });
});
