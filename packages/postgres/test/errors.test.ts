import { inspect } from 'node:util';
import { getFreePort } from '@datafast-checkout/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isPostgresError,
  migratePostgresOutbox,
  postgresOutbox,
  postgresStore,
} from '../src/index.js';
import { drivers, engineUrl, entry } from './helpers.js';

const password = 's3cret-Pw_7f2a';
const lease = { owner: 'a', ms: 1_000 };

/** Everything a log line, an error tracker or `console.error` could show of `error`. */
function everything(error: unknown): string {
  return `${String(error)}\n${(error as Error).stack}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}`;
}

describe.each(drivers)('errors through $name', (driver) => {
  const ends: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const end of ends.splice(0)) await end();
  });
  const open = (url: string) => {
    const opened = driver.open(url);
    ends.push(opened.end);
    return opened.client;
  };

  it('names the operation and the table of a refused connection, never the password', async () => {
    const url = `postgres://app:${password}@127.0.0.1:${await getFreePort()}/nope`;
    const error = await postgresOutbox({ pool: open(url), table: 'billing.outbox' })
      .put(entry(1), lease)
      .catch((e: unknown) => e);

    expect(isPostgresError(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'put', table: 'billing.outbox' });
    expect((error as Error).message).toMatch(/^postgres: put on table "billing\.outbox" failed: /);
    expect(everything(error)).not.toContain(password);
  });

  it("passes on the server's SQLSTATE (an unknown database, 3D000) without the password", async () => {
    const url = `postgres://postgres:${password}@127.0.0.1:${new URL(engineUrl()).port}/no_such_database`;
    const error = await postgresStore({ pool: open(url) })
      .get('k')
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ operation: 'get', table: 'datafast_store', code: '3D000' });
    expect((error as Error).message).toContain('no_such_database');
    expect(everything(error)).not.toContain(password);
  });
});

// Neither pg nor postgres.js quotes the connection string in its errors (checked above), but a
// wrapper of your own over another driver may: a `{ query }` that does is the peer here.
it.each([
  ['a URL', `could not reach postgres://app:${password}@db.internal:5432/shop`],
  ['a conninfo string', `bad conninfo: host=db.internal user=app password=${password} dbname=shop`],
])('keeps out a password that the error of a driver quotes in %s', async (_, message) => {
  const pool = {
    query: async () => {
      throw Object.assign(new Error(message), { code: 'ECONNREFUSED' });
    },
  };
  const error = await migratePostgresOutbox(pool).catch((e: unknown) => e);

  expect(error).toMatchObject({
    operation: 'migrate',
    table: 'datafast_outbox',
    code: 'ECONNREFUSED',
  });
  expect((error as Error).message).toContain('db.internal');
  expect(everything(error)).not.toContain(password);
});

it("keeps out the password of the driver's own options, wherever its error quotes it", async () => {
  // pg keeps it in `pool.options.password`, postgres.js in `sql.options.pass`.
  for (const options of [{ password }, { pass: password }]) {
    const pool = {
      options,
      query: async () => {
        throw new Error(`authentication with "${password}" failed`);
      },
    };
    const error = await postgresOutbox({ pool })
      .claim({ limit: 1, lease })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('claim on table "datafast_outbox" failed');
    expect(everything(error)).not.toContain(password);
  }
});

it('refuses a table name that is not a plain identifier, and a pool that is not a driver', () => {
  const pool = { query: async () => ({ rows: [] }) };
  for (const table of ['', 'a.b.c', 'outbox; DROP TABLE x', '"quoted"', 'x'.repeat(51)]) {
    expect(() => postgresOutbox({ pool, table })).toThrow(TypeError);
    expect(() => postgresOutbox({ pool, table })).toThrow(/table must be a plain name/);
  }
  expect(() => postgresOutbox({ pool: {} as never })).toThrow(/pool must be a pg Pool/);
  expect(() => postgresStore({ pool: undefined as never })).toThrow(/postgresStore: pool/);
});
