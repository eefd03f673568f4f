import { SEALED_TABLES, type Replacement, type SealedTable } from '../store/sealed-values.js';
import type { Store } from '../store/store.js';
import { keyIdOf, type CredentialCipher } from './credentials.js';

/** Rows per batch: one short transaction each. */
export const ROTATION_BATCH = 200;

/** Where a rotation is, after each batch. */
export interface RotationProgress {
  readonly table: SealedTable;
  /** Rows of `table` looked at so far, of `total` found under another key when it started. */
  readonly processed: number;
  readonly total: number;
  /** Batches committed so far, all tables together. */
  readonly batches: number;
}

/** What a rotation did to one table. */
export interface TableRotation {
  readonly table: SealedTable;
  /** Re-encrypted under the first key. */
  readonly rewritten: number;
  /** Changed or in use by a refresh between the read and the write: left for another run. */
  readonly skipped: number;
  /** Under a key that is not configured: no run can rewrite them. */
  readonly unreadable: number;
}

/** Options of {@link rotateSealedValues}. */
export interface RotationOptions {
  readonly batchSize?: number;
  /** Milliseconds since the epoch: whether a refresh lease has run out. */
  readonly clock?: () => number;
  /** Called after each batch has committed. */
  readonly onBatch?: (progress: RotationProgress) => void | Promise<void>;
}

/** What `--check` finds in one table. */
export interface TableCheck {
  readonly table: SealedTable;
  readonly rows: number;
  /** Values under another key than the first, the unreadable ones among them. */
  readonly old: number;
  readonly unreadable: number;
}

/**
 * The start of every JWE the cipher makes now: its protected header, which names the current
 * key, and the dot. The store skips values that start with it without reading them.
 */
async function currentPrefix(cipher: CredentialCipher): Promise<string> {
  const [header] = (await cipher.encrypt('')).split('.');
  return `${header}.`;
}

/** Each value of `table` under another key than the current one, batch by batch, by id. */
async function* otherValues(
  store: Store,
  table: SealedTable,
  cipher: CredentialCipher,
  batchSize: number,
) {
  const prefix = await currentPrefix(cipher);
  let after = '';
  for (;;) {
    const page = await store.sealed.others(table, prefix, after, batchSize);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    // A value under the current key written with another header layout is still current.
    const old = page.filter(({ value }) => keyIdOf(value) !== cipher.currentKeyId);
    yield { looked: page.length, old };
  }
}

/**
 * Re-encrypts every stored secret (DESIGN §4.11: connection credentials, PKCE verifiers,
 * integrations' client secrets and private keys) under the cipher's first key. Table by table,
 * in batches by id; each batch is one short transaction that rewrites a value only while it
 * is still the one read, so servers may run, refresh and reconnect meanwhile: their writes win,
 * and they write under the first key themselves once configured with it. Values already under
 * the first key are skipped by their `kid`, which makes the rotation resumable: after a crash,
 * run it again and it takes up where the last committed batch ended.
 */
export async function rotateSealedValues(
  store: Store,
  cipher: CredentialCipher,
  options: RotationOptions = {},
): Promise<TableRotation[]> {
  const { batchSize = ROTATION_BATCH, clock = Date.now, onBatch } = options;
  const prefix = await currentPrefix(cipher);
  const report: TableRotation[] = [];
  let batches = 0;
  for (const table of SEALED_TABLES) {
    const total = await store.sealed.countOthers(table, prefix);
    let processed = 0;
    let rewritten = 0;
    let skipped = 0;
    let unreadable = 0;
    for await (const { looked, old } of otherValues(store, table, cipher, batchSize)) {
      const replacements: Replacement[] = [];
      for (const { id, value } of old) {
        let plaintext: string;
        try {
          plaintext = await cipher.decrypt(value);
        } catch {
          unreadable += 1;
          continue;
        }
        replacements.push({ id, from: value, to: await cipher.encrypt(plaintext) });
      }
      const replaced =
        replacements.length === 0 ? 0 : await store.sealed.replaceAll(table, replacements, clock());
      rewritten += replaced;
      skipped += replacements.length - replaced;
      processed += looked;
      batches += 1;
      await onBatch?.({ table, processed: Math.min(processed, total), total, batches });
    }
    report.push({ table, rewritten, skipped, unreadable });
  }
  return report;
}

/** How many values of each table are still under another key than the cipher's first. */
export async function checkSealedValues(
  store: Store,
  cipher: CredentialCipher,
  batchSize = ROTATION_BATCH,
): Promise<TableCheck[]> {
  const report: TableCheck[] = [];
  for (const table of SEALED_TABLES) {
    let old = 0;
    let unreadable = 0;
    for await (const batch of otherValues(store, table, cipher, batchSize)) {
      old += batch.old.length;
      for (const { value } of batch.old) {
        const kid = keyIdOf(value);
        if (kid === undefined || !cipher.hasKey(kid)) unreadable += 1;
      }
    }
    report.push({ table, rows: await store.sealed.count(table), old, unreadable });
  }
  return report;
}
