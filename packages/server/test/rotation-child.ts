// The rotation of `rotate-encryption-key`, run as a child process that stops at a point it
// announces: after batch N has committed it prints `paused after batch N` and waits, for the
// test to kill it there with SIGKILL. Batches of 2 values, so a handful of rows makes several.
// Run with `node --import tsx test/rotation-child.ts <N>` and the server's environment.
import { loadConfig } from '../src/config.js';
import { CredentialCipher } from '../src/crypto/credentials.js';
import { rotateSealedValues } from '../src/crypto/key-rotation.js';
import { openStore } from '../src/store/open.js';

const stopAfter = Number(process.argv[2]);
const config = loadConfig(process.env);
const store = await openStore(config.databaseUrl);
await rotateSealedValues(store, new CredentialCipher(config.encryptionKeys), {
  batchSize: 2,
  onBatch: async ({ batches }) => {
    if (batches < stopAfter) return;
    process.stdout.write(`paused after batch ${batches}\n`);
    await new Promise(() => {});
  },
});
process.stdout.write('finished without pausing\n');
await store.close();
