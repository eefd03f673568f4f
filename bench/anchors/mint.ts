// Anchor for `POST /connect/sessions`: the work a mint cannot do without — check the bearer
// key, parse the JSON body, sign an HS256 JWT with jose and write two rows (the session and its
// log line) in one SQLite transaction. SYNCHRONOUS is `FULL` (the project's durability) or
// `NORMAL` (what WAL mode allows when the last commit may be lost on power failure).
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { SignJWT } from 'jose';
import { listenHono } from './listen.js';

const synchronous = process.env.SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL';
const database = new Database(process.env.DATABASE_FILE!);
database.pragma('journal_mode = WAL');
database.pragma(`synchronous = ${synchronous}`);
database.exec(`
  create table if not exists sessions (jti text primary key, end_user_id text not null,
    email text, created_at integer not null, expires_at integer not null);
  create table if not exists logs (id text primary key, created_at integer not null,
    event text not null, data text);`);
const insertSession = database.prepare(
  'insert into sessions (jti, end_user_id, email, created_at, expires_at) values (?, ?, ?, ?, ?)',
);
const insertLog = database.prepare(
  'insert into logs (id, created_at, event, data) values (?, ?, ?, ?)',
);
const save = database.transaction((jti: string, userId: string, email: unknown, now: number) => {
  insertSession.run(jti, userId, typeof email === 'string' ? email : null, now, now + 600_000);
  insertLog.run(`log_${jti}`, now, 'session.created', JSON.stringify({ jti }));
});

const digest = (value: string) => createHash('sha256').update(value).digest();
const secretKey = digest(`Bearer ${process.env.SECRET_KEY}`);
const signingKey = new TextEncoder().encode(process.env.SIGNING_KEY);

const app = new Hono();
app.post('/connect/sessions', async (c) => {
  if (!timingSafeEqual(digest(c.req.header('authorization') ?? ''), secretKey)) {
    return c.json({ error: 'unauthorized' }, 401);
  }
  const body = (await c.req.json()) as { end_user?: { id?: string; email?: string } };
  const jti = randomBytes(16).toString('base64url');
  const now = Date.now();
  const token = await new SignJWT({ sub: body.end_user?.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signingKey);
  save(jti, body.end_user?.id ?? '', body.end_user?.email, now);
  return c.json({ token, jti, expires_at: new Date(now + 600_000).toISOString() }, 201);
});
listenHono(`mint anchor (synchronous=${synchronous})`, app);
