import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREPARED, PREPARE_AFTER, PreparingClient } from '../../db/prepared-statements';

const pgUrl = process.env.TEST_DATABASE_URL;

describe.runIf(Boolean(pgUrl))('statements prepared on a connection once they repeat', () => {
  const schema = `prep_${randomBytes(4).toString('hex')}`;
  let client: PreparingClient;
  const prepared = async () => (await client.query('select statement from pg_prepared_statements')).rows.map((r: { statement: string }) => r.statement);

  beforeAll(async () => {
    client = new PreparingClient({ connectionString: pgUrl, options: `-c search_path=${schema}` });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.query(`create table ${schema}.things (id int primary key, name text)`);
  });
  afterAll(async () => {
    await client.query(`drop schema ${schema} cascade`);
    await client.end();
  });

  it('prepares a text with parameters from its third run, and answers the same before and after', async () => {
    const text = 'select $1::int + 1 as n';
    for (let i = 1; i <= PREPARE_AFTER + 2; i++) {
      expect((await client.query(text, [i])).rows).toEqual([{ n: i + 1 }]);
      expect((await prepared()).includes(text)).toBe(i >= PREPARE_AFTER);
    }
    // Texts without parameters (BEGIN, COMMIT, DDL) are never prepared.
    for (let i = 0; i < 5; i++) await client.query('select 1 as one');
    expect(await prepared()).not.toContain('select 1 as one');
  });

  it('stops preparing new texts at the cap, and still runs them', async () => {
    for (let k = 0; k < MAX_PREPARED + 10; k++) {
      for (let i = 0; i < PREPARE_AFTER; i++) await client.query(`select $1::int as k${k}`, [k]);
    }
    const names = await prepared();
    expect(names.length).toBe(MAX_PREPARED);
    expect((await client.query(`select $1::int as k${MAX_PREPARED + 5}`, [7])).rows).toEqual([{ [`k${MAX_PREPARED + 5}`]: 7 }]);
  });

  it('recovers when a migration changes what a prepared statement returns', async () => {
    const fresh = new PreparingClient({ connectionString: pgUrl, options: `-c search_path=${schema}` });
    await fresh.connect();
    try {
      await fresh.query('insert into things values ($1, $2)', [1, 'a']);
      const text = 'select * from things where id = $1';
      for (let i = 0; i < PREPARE_AFTER; i++) await fresh.query(text, [1]);
      await client.query('alter table things add column colour text');
      // PostgreSQL refuses the old plan (0A000); outside a transaction the call is run again unprepared.
      expect((await fresh.query(text, [1])).rows).toEqual([{ id: 1, name: 'a', colour: null }]);
      for (let i = 0; i < PREPARE_AFTER + 1; i++) expect((await fresh.query(text, [1])).rows).toEqual([{ id: 1, name: 'a', colour: null }]);
      // Prepared afresh, and the stale statement dropped rather than left behind on the connection.
      expect((await fresh.query('select count(*)::int as n from pg_prepared_statements where statement = $1', [text])).rows).toEqual([{ n: 1 }]);
      // Inside a transaction the refusal stands: the transaction is already aborted.
      await client.query('alter table things add column size int');
      await fresh.query('begin');
      await expect(fresh.query(text, [1])).rejects.toMatchObject({ code: '0A000' });
      await fresh.query('rollback');
      expect((await fresh.query(text, [1])).rows).toEqual([{ id: 1, name: 'a', colour: null, size: null }]);
    } finally {
      await fresh.end();
    }
  });

  it('is what the bot’s pool connects with', async () => {
    const { openDatabase } = await import('../../db/connect');
    const database = await openDatabase({ kind: 'postgres', url: pgUrl!, schema, poolSize: 1 });
    try {
      const { sql } = await import('kysely');
      for (let i = 0; i < PREPARE_AFTER; i++) await sql`select name from things where id = ${1}`.execute(database.db);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like 'select name from things%'`.execute(database.db);
      expect(rows[0]!.n).toBe(1);
    } finally {
      await database.close();
    }
  });
});
