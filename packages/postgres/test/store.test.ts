import type { SharedStore } from '@datafast-checkout/payment-links';
import { sharedStoreContract } from '@datafast-checkout/testing/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRunQuery } from '../src/client.js';
import { migratePostgresStore, type PostgresClient, postgresStore } from '../src/index.js';
import { drivers, engineUrl, freshTable } from './helpers.js';

// payment-links' SharedStore contract (the suite every engine runs) and what is PostgreSQL's own,
// on a real server, through each driver.

const day = { ttlMs: 86_400_000 };

describe.each(drivers)('postgresStore through $name', (driver) => {
  let client: PostgresClient;
  let end: () => Promise<void>;
  beforeAll(() => {
    ({ client, end } = driver.open(engineUrl()));
  });
  afterAll(() => end?.());

  async function store(table = freshTable('store')): Promise<SharedStore> {
    await migratePostgresStore(client, { table });
    // The shape payment-links' handlers take, checked by the compiler.
    const shared: SharedStore = postgresStore({ pool: client, table });
    return shared;
  }

  sharedStoreContract({ make: () => store() });

  it('raises over a value that is not an integer, as over none, and refuses a non-integer', async () => {
    const shared = await store();
    await shared.set('text', 'not a number', day);
    expect(await shared.raise('text', 20, day)).toBe(20);
    await expect(shared.raise('k', 1.5, day)).rejects.toThrow(/safe integer/);
  });

  it('deletes expired keys as it writes, a thousand at a time after every hundredth write', async () => {
    const table = freshTable('store');
    const shared = await store(table);
    for (let i = 0; i < 50; i++) await shared.set(`old_${i}`, 'x', { ttlMs: 1 });
    for (let i = 0; i < 49; i++) await shared.set(`new_${i}`, 'x', day);
    const count = async () =>
      Number((await toRunQuery(client, 'test')(`SELECT count(*) AS n FROM ${table}`, []))[0]?.n);
    expect(await count()).toBe(99);

    await shared.set('new_49', 'x', day); // the hundredth write
    expect(await count()).toBe(50);
  });
});
