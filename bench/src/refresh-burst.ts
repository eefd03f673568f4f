import type { Stack } from './stack.js';

/** What the server asked PingOne during a burst of reads of one expiring connection. */
export interface RefreshBurst {
  reads: number;
  /** `refresh_token` grants the emulator received during the burst: must be exactly 1. */
  upstreamTokenRequests: number;
  /** Distinct access tokens the reads answered with: 1 when all of them shared the refresh. */
  distinctAccessTokens: number;
  /** How long the emulator held the refresh, so that every read arrived while it ran. */
  tokenDelayMs: number;
}

/**
 * Sends `reads` concurrent `GET /connections/:id` for a connection whose access token is
 * inside the server's refresh window (the stack's emulator issues short-lived ones), while the
 * emulator's token endpoint takes `tokenDelayMs` to answer — so that the reads overlap one
 * refresh in flight rather than follow one that already finished (a read after it would rightly
 * refresh again, since the new token is short-lived too). Every read must answer 200.
 */
export async function measureRefreshBurst(
  stack: Stack,
  reads: number,
  tokenDelayMs: number,
): Promise<RefreshBurst> {
  const connectionId = await stack.confirm(await stack.connect('bench-burst'));
  const url = `${stack.serverUrl}/connections/${connectionId}`;
  const headers = { authorization: `Bearer ${stack.secretKey}` };
  await stack.emulator.resetCounters();
  await stack.emulator.setTokenDelayMs(tokenDelayMs);
  try {
    const responses = await Promise.all(
      Array.from({ length: reads }, async () => {
        const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
        const body = (await response.json()) as { credentials?: { access_token?: string } };
        return { status: response.status, accessToken: body.credentials?.access_token };
      }),
    );
    const failed = responses.filter((response) => response.status !== 200);
    if (failed.length > 0) {
      throw new Error(`${failed.length} of ${reads} reads failed (status ${failed[0]?.status})`);
    }
    return {
      reads,
      upstreamTokenRequests: await stack.emulator.tokenRequests('refresh_token'),
      distinctAccessTokens: new Set(responses.map((response) => response.accessToken)).size,
      tokenDelayMs,
    };
  } finally {
    await stack.emulator.setTokenDelayMs(0);
  }
}
