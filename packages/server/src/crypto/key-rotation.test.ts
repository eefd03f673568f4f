import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, readConnection } from '../../test/connections.js';
import { startHarness, testKey, type Harness } from '../../test/support.js';
import { CredentialCipher } from './credentials.js';
import { rotateSealedValues } from './key-rotation.js';

const KEY_B = testKey(0xb);
const bytes = (key: string) => new Uint8Array(Buffer.from(key, 'base64url'));

describe('rotateSealedValues and a refresh in flight', () => {
  let harness: Harness;
  let cipher: CredentialCipher;
  beforeEach(async () => {
    harness = await startHarness();
    // B first, then the harness's own key.
    cipher = new CredentialCipher([bytes(KEY_B), ...harness.config.encryptionKeys]);
  });
  afterEach(() => harness.close());

  const connectionsOf = async () =>
    (await rotateSealedValues(harness.store, cipher)).find((t) => t.table === 'connections');

  it('leaves a connection alone while a refresh holds its lease: the refresh’s fence stays valid', async () => {
    const id = await connect(harness);
    const before = await harness.store.connections.find(id);
    const now = harness.clock.now();
    expect(
      await harness.store.connections.takeRefreshLease(id, 'refresher', now, now + 60_000),
    ).toBeDefined();

    expect(await connectionsOf()).toMatchObject({ rewritten: 0, skipped: 1 });
    expect((await harness.store.connections.find(id))?.credentials).toBe(before?.credentials);
  });

  it('leaves a connection alone whose refresh died mid-call (refresh_started_at set)', async () => {
    const id = await connect(harness);
    const before = await harness.store.connections.find(id);
    const now = harness.clock.now();
    await harness.store.connections.takeRefreshLease(id, 'refresher', now, now + 1);
    await harness.store.connections.markRefreshStarted(id, 'refresher', before!.credentials, now);

    // The lease has run out, but the interrupted refresh's next holder fences on these credentials.
    expect(await connectionsOf()).toMatchObject({ rewritten: 0, skipped: 1 });
  });

  it('rewrites the connection once the lease is given back', async () => {
    const id = await connect(harness);
    const now = harness.clock.now();
    await harness.store.connections.takeRefreshLease(id, 'refresher', now, now + 60_000);
    await rotateSealedValues(harness.store, cipher);
    await harness.store.connections.releaseRefreshLease(id, 'refresher');

    expect(await connectionsOf()).toMatchObject({ rewritten: 1, skipped: 0 });
    const stored = await harness.store.connections.find(id);
    expect(
      JSON.parse(Buffer.from(stored!.credentials.split('.')[0]!, 'base64url').toString()),
    ).toMatchObject({
      kid: cipher.currentKeyId,
    });
  });

  it('counts a value under a key that is not configured as unreadable and leaves it', async () => {
    const id = await connect(harness);
    const onlyB = new CredentialCipher([bytes(KEY_B)]);
    const report = await rotateSealedValues(harness.store, onlyB);
    expect(report.find((t) => t.table === 'connections')).toMatchObject({
      rewritten: 0,
      unreadable: 1,
    });
    expect(await harness.store.connections.find(id)).toBeDefined();
  });
});

describe('§6.1 a read that waited for the lease while its connection was re-encrypted', () => {
  const NEARLY_EXPIRED = 60 * 60 * 1000 - 4 * 60 * 1000;
  const KEY_A = testKey(2);
  let harness: Harness;
  beforeEach(async () => {
    // Servers that already know B, as while a rotation to B runs.
    harness = await startHarness({ env: { ENCRYPTION_KEYS: `${KEY_A},${KEY_B}` } });
  });
  afterEach(() => harness.close());

  it('still refreshes the expiring credentials, which the rewrite left as they were', async () => {
    const id = await connect(harness);
    harness.clock.advance(NEARLY_EXPIRED);
    const stored = await harness.store.connections.find(id);
    const { access_token: before } = JSON.parse(
      await new CredentialCipher(harness.config.encryptionKeys).decrypt(stored!.credentials),
    ) as { access_token: string };
    // Another replica holds the lease when the read comes; while the read waits, that replica
    // gives it back and the rotation rewrites the connection, before the read polls again.
    const now = harness.clock.now();
    await harness.store.connections.takeRefreshLease(id, 'other-replica', now, now + 60_000);
    const rotation = new CredentialCipher([bytes(KEY_B), bytes(KEY_A)]);
    const rewritten = onFirstRefusedLease(harness, async () => {
      await harness.store.connections.releaseRefreshLease(id, 'other-replica');
      return (await rotateSealedValues(harness.store, rotation)).find(
        (t) => t.table === 'connections',
      );
    });
    harness.emulator.resetCounters();

    const after = await readConnection(harness, id);
    expect(await rewritten).toMatchObject({ rewritten: 1 });
    expect(harness.emulator.tokenRequests('refresh_token')).toBe(1);
    expect(after.credentials.access_token).not.toBe(before);
  });
});

/**
 * Runs `meanwhile` when a request is first refused the refresh lease (it has read the
 * connection and will poll again), before the refusal reaches it.
 */
function onFirstRefusedLease<T>(harness: Harness, meanwhile: () => Promise<T>): Promise<T> {
  const connections = harness.store.connections;
  const take = connections.takeRefreshLease.bind(connections);
  return new Promise((resolve, reject) => {
    connections.takeRefreshLease = async (...args) => {
      const taken = await take(...args);
      if (!taken) {
        connections.takeRefreshLease = take;
        await meanwhile().then(resolve, reject);
      }
      return taken;
    };
  });
}
