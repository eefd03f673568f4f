import cliProgress from 'cli-progress';
import { CredentialCipher } from '../crypto/credentials.js';
import {
  checkSealedValues,
  rotateSealedValues,
  type RotationProgress,
  type TableCheck,
} from '../crypto/key-rotation.js';
import { openStore } from '../store/open.js';
import type { SealedTable } from '../store/sealed-values.js';
import { EXIT, wantsHelp, type Command, type ExitCode, type Output } from './io.js';
import { configOrReport, reasonOf } from './load-config.js';

export const ROTATE_USAGE = `Usage: pingone-connect-server rotate-encryption-key [--check]

Re-encrypts every stored secret (connection credentials, attempts' PKCE verifiers, the client
secrets and private keys of integrations made through the API) under the first key of
ENCRYPTION_KEYS, in batches of 200, each a short transaction that rewrites a value only if it
is unchanged: safe while servers run. Values already under the first key are skipped, so after
a crash run it again. A connection whose refresh is in flight is left for the next run.

To rotate: put a new key first in ENCRYPTION_KEYS on every server and restart them; run this
with the same ENCRYPTION_KEYS; run it with --check; then remove the old key.

  --check   only count, per table, the values still under another key

Reads the same environment as the server (and migrates the database first, as it does).
Progress goes to standard error: a bar on a terminal, a line per 10 % otherwise.

Exit codes: 0 every value is under the first key, 1 some are not (skipped, or under a key that
is not configured: see the report) or the database failed, 2 for a bad argument or
configuration.`;

const WIDTH = 'integrations'.length;

/** Progress on standard error: cli-progress's bar on a terminal, plain lines elsewhere. */
function progressReporter(out: Output): {
  onBatch: (progress: RotationProgress) => void;
  stop: () => void;
} {
  if (out.stderr.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    let table: SealedTable | undefined;
    const stop = () => {
      bar?.stop();
      bar = undefined;
    };
    return {
      onBatch: (progress) => {
        if (progress.table !== table) {
          stop();
          table = progress.table;
          bar = new cliProgress.SingleBar(
            {
              stream: out.stderr,
              format: `${table.padEnd(WIDTH)} [{bar}] {percentage}% {value}/{total} {eta_formatted}`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(progress.total, 0);
        }
        bar?.update(progress.processed);
      },
      stop,
    };
  }
  const printed = new Map<SealedTable, number>();
  return {
    onBatch: ({ table, processed, total }) => {
      const tenth = total === 0 ? 10 : Math.floor((processed / total) * 10);
      if ((printed.get(table) ?? -1) >= tenth) return;
      printed.set(table, tenth);
      out.stderr.write(`${table.padEnd(WIDTH)} ${processed}/${total}\n`);
    },
    stop: () => {},
  };
}

function checkReport(checks: readonly TableCheck[]): string {
  return checks
    .map(
      ({ table, rows, old, unreadable }) =>
        `${table.padEnd(WIDTH)} ${old} of ${rows} under an old key${unreadable > 0 ? ` (${unreadable} under a key not in ENCRYPTION_KEYS)` : ''}\n`,
    )
    .join('');
}

/** `rotate-encryption-key [--check]`. */
export const rotateEncryptionKeyCommand: Command = async (args, env, out) => {
  if (wantsHelp(args)) {
    out.stdout.write(`${ROTATE_USAGE}\n`);
    return EXIT.ok;
  }
  const check = args.includes('--check');
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    out.stderr.write(`Unknown argument: ${unknown.join(' ')}\n\n${ROTATE_USAGE}\n`);
    return EXIT.usage;
  }
  const config = configOrReport(env, out);
  if (!config) return EXIT.usage;
  const cipher = new CredentialCipher(config.encryptionKeys);
  let store;
  try {
    store = await openStore(config.databaseUrl);
  } catch (error) {
    out.stderr.write(`The database cannot be opened: ${reasonOf(error)}\n`);
    return EXIT.failed;
  }
  try {
    return check ? await runCheck() : await runRotation();
  } catch (error) {
    out.stderr.write(`rotate-encryption-key failed: ${reasonOf(error)}\n`);
    return EXIT.failed;
  } finally {
    await store.close();
  }

  async function runCheck(): Promise<ExitCode> {
    const checks = await checkSealedValues(store!, cipher);
    out.stdout.write(checkReport(checks));
    return checks.every(({ old }) => old === 0) ? EXIT.ok : EXIT.failed;
  }

  async function runRotation(): Promise<ExitCode> {
    out.stderr.write(`Re-encrypting under key ${cipher.currentKeyId} (${store!.dialect})\n`);
    const progress = progressReporter(out);
    let report;
    try {
      report = await rotateSealedValues(store!, cipher, { onBatch: progress.onBatch });
    } finally {
      progress.stop();
    }
    for (const { table, rewritten, skipped, unreadable } of report) {
      out.stdout.write(
        `${table.padEnd(WIDTH)} ${rewritten} re-encrypted, ${skipped} skipped (changed or refreshing meanwhile), ${unreadable} under a key not in ENCRYPTION_KEYS\n`,
      );
    }
    // Counted again: a value skipped meanwhile may have been rewritten by a server since.
    const checks = await checkSealedValues(store!, cipher);
    const left = checks.reduce((sum, { old }) => sum + old, 0);
    if (left === 0) {
      out.stdout.write('Every stored secret is under the first key.\n');
      return EXIT.ok;
    }
    out.stdout.write(`${checkReport(checks)}${left} still under an old key: run again.\n`);
    return EXIT.failed;
  }
};
