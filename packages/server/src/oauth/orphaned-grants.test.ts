import { DEFAULT_USER } from '@pingone-connect/emulator';
import { REVOCABLE_SCOPES_ENV } from '../../test/connections.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callback,
  connectFlow,
  mint,
  postedResult,
  SECOND_USER,
  SECRET_KEY,
  startAttempt,
  startHarness,
  type Harness,
} from '../../test/support.js';

let harness: Harness;
/** Every request the server made to PingOne, as `METHOD path`. */
let calls: string[];

/** A harness that records every request the server makes to PingOne in `calls`. */
async function startCounting(env: Record<string, string> = {}): Promise<Harness> {
  calls = [];
  return startHarness({
    env,
    emulator: { users: [{ ...DEFAULT_USER }, SECOND_USER] },
    app: {
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        calls.push(`${init?.method ?? 'GET'} ${url.pathname.replace(/^\/[^/]+\/as/, '/as')}`);
        return fetch(input, init);
      },
    },
  });
}

beforeEach(async () => {
  harness = await startCounting();
});
afterEach(() => harness.close());

const revocations = () => calls.filter((call) => call === 'POST /as/revoke').length;

describe('§5.1 a revoked or used session makes no grant at PingOne, and a refused grant is revoked', () => {
  it('refuses a session revoked mid-flow before exchanging the code', async () => {
    const { token, jti } = await mint(harness);
    const attempt = await startAttempt(harness, token);
    const url = await harness.emulator.approve(attempt.authorizeUrl);
    const revoked = await harness.app.request(harness.url(`/connect/sessions/${jti}`), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRET_KEY}` },
    });
    expect(revoked.status).toBe(204);
    harness.emulator.resetCounters();

    const posted = postedResult(await (await callback(harness, url, attempt.cookie)).text());
    expect(posted.message).toMatchObject({ ok: false, error: { code: 'session_invalid' } });
    expect(harness.emulator.tokenRequests()).toBe(0);
  });

  it('refuses a session a sibling attempt already consumed before exchanging the code', async () => {
    const { token } = await mint(harness);
    const first = await startAttempt(harness, token);
    const second = await startAttempt(harness, token);
    const firstUrl = await harness.emulator.approve(first.authorizeUrl);
    const secondUrl = await harness.emulator.approve(second.authorizeUrl);
    const won = postedResult(await (await callback(harness, firstUrl, first.cookie)).text());
    expect(won.message?.ok).toBe(true);
    harness.emulator.resetCounters();

    const lost = postedResult(await (await callback(harness, secondUrl, second.cookie)).text());
    expect(lost.message).toMatchObject({ ok: false, error: { code: 'session_used' } });
    expect(harness.emulator.tokenRequests()).toBe(0);
  });

  /** Reconnects the first PingOne account's connection as the second; the attempt's log entry. */
  async function reconnectAsAnother() {
    const first = await connectFlow(harness);
    if (!first.posted.message?.ok) throw new Error('first flow failed');
    calls.length = 0;

    const again = await connectFlow(harness, {
      session: { connection_id: first.posted.message.connection_id },
      username: SECOND_USER.username,
    });
    expect(again.posted.message).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(harness.emulator.tokenRequests('authorization_code')).toBe(2);
    const logged = await harness.store.journal.list({
      attemptId: again.attempt.attemptId,
      limit: 10,
    });
    return logged.find((entry) => entry.event === 'grant.discarded');
  }

  it('revokes the tokens of a reconnect that signed in to a different PingOne account', async () => {
    await harness.close();
    harness = await startCounting(REVOCABLE_SCOPES_ENV);
    const discarded = await reconnectAsAnother();
    expect(revocations()).toBe(2);
    expect(discarded).toMatchObject({
      level: 'warn',
      data: {
        error_code: 'invalid_request',
        revoked: ['refresh_token', 'access_token'],
        not_revocable: [],
      },
    });
  });

  it('claims no revocation of a refused PingOne API grant, which PingOne does not revoke', async () => {
    const discarded = await reconnectAsAnother();
    expect(revocations()).toBe(0);
    expect(discarded).toMatchObject({
      level: 'warn',
      message:
        'The sign-in was refused (invalid_request); PingOne does not let us revoke its tokens, which stay valid until they expire.',
      data: { revoked: [], not_revocable: ['refresh_token', 'access_token'] },
    });
  });
});
