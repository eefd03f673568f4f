// Anchor for `GET /connections/:id` (no refresh): check the bearer key, one prepared select by
// primary key, one jose JWE decrypt (`dir` + A256GCM, as the project stores credentials), and
// the JSON answer. One row is seeded at start with credentials of a realistic size.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { listenHono } from './listen.js';

const database = new Database(process.env.DATABASE_FILE!);
database.pragma('journal_mode = WAL');
database.exec(
  'create table if not exists connections (id text primary key, sub text not null, credentials text not null)',
);
const key = randomBytes(32);
const credentials = JSON.stringify({
  access_token: randomBytes(600).toString('base64url'),
  refresh_token: randomBytes(48).toString('base64url'),
  id_token: randomBytes(500).toString('base64url'),
  token_type: 'Bearer',
  expires_at: new Date(Date.now() + 3_600_000).toISOString(),
});
const jwe = await new CompactEncrypt(new TextEncoder().encode(credentials))
  .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
  .encrypt(key);
database.prepare('insert or replace into connections values (?, ?, ?)').run('conn_1', 'sub', jwe);
const select = database.prepare<[string], { id: string; sub: string; credentials: string }>(
  'select id, sub, credentials from connections where id = ?',
);

const digest = (value: string) => createHash('sha256').update(value).digest();
const secretKey = digest(`Bearer ${process.env.SECRET_KEY}`);
const decoder = new TextDecoder();

const app = new Hono();
app.get('/connections/:id', async (c) => {
  if (!timingSafeEqual(digest(c.req.header('authorization') ?? ''), secretKey)) {
    return c.json({ error: 'unauthorized' }, 401);
  }
  const row = select.get(c.req.param('id'));
  if (!row) return c.json({ error: 'not_found' }, 404);
  const { plaintext } = await compactDecrypt(row.credentials, key, {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  return c.json({ id: row.id, sub: row.sub, credentials: JSON.parse(decoder.decode(plaintext)) });
});
listenHono('read anchor', app);
