import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.js';

describe('cachingStatements', () => {
  let database: BetterSqlite3.Database;

  beforeEach(() => {
    database = new BetterSqlite3(':memory:');
    database.exec('create table items (id integer primary key, name text)');
  });
  afterEach(() => {
    if (database.open) database.close();
  });

  it('prepares a SQL text once and runs it again with other parameters', () => {
    const cached = cachingStatements(database);
    const insert = 'insert into items (id, name) values (?, ?)';
    const first = cached.prepare(insert);
    first.run([1, 'one']);
    const second = cached.prepare(insert);
    second.run([2, 'two']);
    expect(second).toBe(first);
    const select = cached.prepare('select name from items where id = ?');
    expect(select.all([2])).toEqual([{ name: 'two' }]);
    expect(cached.prepare('select name from items where id = ?').all([1])).toEqual([
      { name: 'one' },
    ]);
  });

  it('prepares anew the least recently used text once more texts than its capacity were used', () => {
    const cached = cachingStatements(database, 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3');
    expect(cached.prepare('select 1')).toBe(a);
    expect(cached.prepare('select 2')).not.toBe(b);
  });

  it('closes the database', () => {
    cachingStatements(database).close();
    expect(database.open).toBe(false);
  });
});
