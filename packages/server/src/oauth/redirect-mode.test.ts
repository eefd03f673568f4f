import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newAttemptId } from '@pingone-connect/testing';
import { outbox, WEBHOOK_ENV } from '../../test/connections.js';
import { HOST_ORIGIN, mint, pollAttempt, startHarness, type Harness } from '../../test/support.js';
import { returnUrlFor } from './return-to.js';

const RETURN_TO = `${HOST_ORIGIN}/settings/pingone?tab=2#connect`;

/** Posts the connect form in redirect mode, as the element does with `target=_self`. */
async function postRedirect(
  harness: Harness,
  token: string,
  returnTo: string,
  attemptId = newAttemptId(),
) {
  const response = await harness.app.request(harness.url('/oauth/connect'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: HOST_ORIGIN },
    body: new URLSearchParams({
      session_token: token,
      attempt_id: attemptId,
      origin: HOST_ORIGIN,
      return_to: returnTo,
    }).toString(),
  });
  return { response, attemptId };
}

async function callbackWith(harness: Harness, url: URL, cookie: string) {
  return await harness.app.request(url.toString(), { headers: { cookie } });
}

const cookieOf = (response: Response) =>
  (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe('redirect mode', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ env: { ...WEBHOOK_ENV, SESSION_TTL_SECONDS: '3600' } });
  });
  afterEach(() => harness.close());

  it('comes back to return_to with only the attempt id, and polling reports the success', async () => {
    const { token } = await mint(harness);
    const { response, attemptId } = await postRedirect(harness, token, RETURN_TO);
    expect(response.status).toBe(303);
    const authorize = new URL(response.headers.get('location') ?? '');
    const callbackUrl = await harness.emulator.approve(authorize);
    const back = await callbackWith(harness, callbackUrl, cookieOf(response));

    expect(back.status).toBe(303);
    expect(back.headers.get('referrer-policy')).toBe('no-referrer');
    const location = back.headers.get('location') ?? '';
    expect(location).toBe(
      `${HOST_ORIGIN}/settings/pingone?tab=2&pingone_connect_attempt=${attemptId}#connect`,
    );
    // Nothing of the flow in the URL: no token, code, state or connection id.
    for (const secret of [
      token,
      callbackUrl.searchParams.get('code'),
      callbackUrl.searchParams.get('state'),
    ]) {
      expect(location).not.toContain(secret);
    }
    expect(location).not.toContain('conn_');
    expect(await back.text()).toBe('');

    const poll = await pollAttempt(harness, attemptId, token);
    expect(await poll.json()).toMatchObject({ status: 'success', end_user_id: 'user-1' });
  });

  it('lets a new session of the same end user read the attempt that came back, as tokenProvider mints one', async () => {
    const { token } = await mint(harness);
    const { response, attemptId } = await postRedirect(harness, token, RETURN_TO);
    const callbackUrl = await harness.emulator.approve(
      new URL(response.headers.get('location') ?? ''),
    );
    await callbackWith(harness, callbackUrl, cookieOf(response));

    const { token: fresh } = await mint(harness);
    const poll = await pollAttempt(harness, attemptId, fresh);
    expect(poll.status).toBe(200);
    expect(await poll.json()).toMatchObject({ status: 'success', end_user_id: 'user-1' });
  });

  it('refuses the attempt that came back to a session of another end user', async () => {
    const { token } = await mint(harness);
    const { attemptId } = await postRedirect(harness, token, RETURN_TO);
    const { token: other } = await mint(harness, { end_user: { id: 'user-2' } });
    const poll = await pollAttempt(harness, attemptId, other);
    expect(poll.status).toBe(400);
    expect(await poll.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('comes back to return_to on a declined consent too, never showing the result page', async () => {
    const { token } = await mint(harness);
    const { response, attemptId } = await postRedirect(harness, token, RETURN_TO);
    const authorize = new URL(response.headers.get('location') ?? '');
    const callbackUrl = await harness.emulator.approve(authorize, { deny: true });
    const back = await callbackWith(harness, callbackUrl, cookieOf(response));
    expect(back.status).toBe(303);
    expect(
      new URL(back.headers.get('location') ?? '').searchParams.get('pingone_connect_attempt'),
    ).toBe(attemptId);
    const poll = await pollAttempt(harness, attemptId, token);
    expect(await poll.json()).toMatchObject({ status: 'error', error: { code: 'access_denied' } });
  });

  it('queues connect.failed for an attempt that ends in access_denied', async () => {
    const { token } = await mint(harness, { end_user: { id: 'user-9' } });
    const { response, attemptId } = await postRedirect(harness, token, RETURN_TO);
    const callbackUrl = await harness.emulator.approve(
      new URL(response.headers.get('location') ?? ''),
      {
        deny: true,
      },
    );
    await callbackWith(harness, callbackUrl, cookieOf(response));
    const queued = outbox(harness).filter((row) => row.event_type === 'connect.failed');
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]?.payload ?? '{}')).toMatchObject({
      type: 'connect.failed',
      data: {
        attempt_id: attemptId,
        integration_id: 'pingone',
        end_user: { id: 'user-9' },
        connection_id: null,
        error: { code: 'access_denied' },
      },
    });
  });

  it('queues no connect.failed for an abandoned attempt (the server never learns of popup_closed)', async () => {
    const { token } = await mint(harness);
    const { attemptId } = await postRedirect(harness, token, RETURN_TO);
    // The end user never comes back; the attempt outlives its state and polling ends it.
    harness.clock.advance(11 * 60 * 1000);
    const poll = await pollAttempt(harness, attemptId, token);
    expect(await poll.json()).toMatchObject({ status: 'error' });
    expect(outbox(harness).filter((row) => row.event_type === 'connect.failed')).toEqual([]);
  });

  it('sends a replayed callback back to return_to as well, with no second exchange', async () => {
    const { token } = await mint(harness);
    const { response, attemptId } = await postRedirect(harness, token, RETURN_TO);
    const callbackUrl = await harness.emulator.approve(
      new URL(response.headers.get('location') ?? ''),
    );
    await callbackWith(harness, callbackUrl, cookieOf(response));
    const replay = await callbackWith(harness, callbackUrl, cookieOf(response));
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toContain(`pingone_connect_attempt=${attemptId}`);
    const poll = await pollAttempt(harness, attemptId, token);
    expect(await poll.json()).toMatchObject({ status: 'success' });
  });

  it('shows a refused connect form as a page, never a redirect to return_to', async () => {
    const { token } = await mint(harness);
    harness.clock.advance(3601 * 1000);
    const { response } = await postRedirect(harness, token, RETURN_TO);
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('session_expired');
    expect(html).not.toContain('postMessage');
  });

  it('replaces an existing pingone_connect_attempt and keeps the other parameters as written', () => {
    expect(
      returnUrlFor(`${HOST_ORIGIN}/p?a=%20x&pingone_connect_attempt=old&b=1#f`, 'att_new'),
    ).toBe(`${HOST_ORIGIN}/p?a=%20x&b=1&pingone_connect_attempt=att_new#f`);
  });
});

describe('§5.16 return_to only to allowed origins', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  async function refused(returnTo: string) {
    const { token } = await mint(harness);
    const { response } = await postRedirect(harness, token, returnTo);
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('forbidden_origin');
    // A page only: nothing is posted to an opener in redirect mode.
    expect(html).not.toContain('postMessage');
  }

  it('refuses another host', async () => {
    await refused('https://evil.example/back');
  });

  it('refuses the userinfo trick', async () => {
    await refused(`${HOST_ORIGIN}@evil.example/back`);
  });

  it('refuses user info even on an allowed host', async () => {
    await refused(`http://user:pass@${new URL(HOST_ORIGIN).host}/back`);
  });

  it('refuses a scheme-relative //host', async () => {
    await refused('//evil.example/back');
  });

  it('refuses javascript:', async () => {
    await refused('javascript:alert(1)');
  });

  it('refuses a different port', async () => {
    const url = new URL(HOST_ORIGIN);
    await refused(`${url.protocol}//${url.hostname}:${Number(url.port) + 1}/back`);
  });

  it('refuses a different scheme', async () => {
    await refused(`https://${new URL(HOST_ORIGIN).host}/back`);
  });

  it('refuses an allowed origin the session was narrowed away from', async () => {
    const { token } = await mint(harness, { allowed_origins: [HOST_ORIGIN] });
    const { response } = await postRedirect(harness, token, 'http://localhost:5174/back');
    expect(response.status).toBe(403);
  });
});
