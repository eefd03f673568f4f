import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { openStore } from './open.js';
import { sqlite, type Engine } from '../../test/engines.js';

const BEFORE_KEYS = '0004_integrations';

describe('migration 0005_integration_private_keys', () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = await sqlite();
  });
  afterEach(() => engine.stop());

  it('keeps the encrypted secret of an integration stored before it', async () => {
    const db = new Kysely<Record<string, Record<string, unknown>>>({
      dialect: new SqliteDialect({
        database: new BetterSqlite3(engine.url.slice('sqlite:'.length)),
      }),
    });
    const provider = { getMigrations: async () => ({ ...MIGRATIONS }) };
    const { error } = await new Migrator({ db, provider }).migrateTo(BEFORE_KEYS);
    expect(error).toBeUndefined();
    await db
      .insertInto('integrations')
      .values({
        id: 'older',
        environment_id: '7c2b9e51-3c4a-4f0e-9d6b-1a2f3e4d5c6b',
        region: 'eu',
        client_id: 'client',
        client_secret: 'eyJ.the.secret.jwe',
        token_auth_method: 'client_secret_basic',
        scopes: 'openid',
        skip_token_session_validation: 0,
        revision: 1,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await db.destroy();

    const store = await openStore(engine.url);
    try {
      expect((await store.integrations.find('older'))?.clientAuth).toEqual({
        method: 'client_secret_basic',
        encryptedSecret: 'eyJ.the.secret.jwe',
      });
    } finally {
      await store.close();
    }
  });
});
