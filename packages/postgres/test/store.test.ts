import type { SharedStore } from '@datafast-checkout/payment-links';
import { afterEach, describe, expect, it } from 'vitest';
import { migratePostgresStore, postgresStore } from '../src/index.js';
import { drivers, freshTable, useEngine } from './helpers.js';

// payment-links' SharedStore contract (packages/payment-links/src/store.ts) on a real PostgreSQL
// server, through each driver.

const engine = useEngine();
const day = { ttlMs: 86_400_000 };

describe.each(drivers)('postgresStore through $name', (driver) => {
  const ends: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const end of ends.splice(0)) await end();
  });

  async function store() {
    const { client, end } = driver.open(engine().url);
    ends.push(end);
    const table = freshTable('store');
    await migratePostgresStore(client, { table });
    // The shape payment-links' handlers take, checked by the compiler.
    const shared: SharedStore = postgresStore({ pool: client, table });
    return { shared, client, table };
  }

  it('gets what was set, replaces it, forgets it', async () => {
    const { shared } = await store();
    expect(await shared.get('k')).toBeUndefined();
    await shared.set('k', 'one', day);
    await shared.set('k', 'two', day);
    expect(await shared.get('k')).toBe('two');
    await shared.delete('k');
    await shared.delete('never-set');
    expect(await shared.get('k')).toBeUndefined();
  });

  it('forgets a key once its ttl lapses on the server', async () => {
    const { shared } = await store();
    await shared.set('short', 'x', { ttlMs: 200 });
    await shared.set('long', 'y', day);
    expect(await shared.get('short')).toBe('x');
    // Polled until the 200 ms lapse, the event waited for.
    while ((await shared.get('short')) !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await shared.get('long')).toBe('y');
  });

  it('raises to the largest of concurrent raises, each seeing at least its own value', async () => {
    const { shared } = await store();
    const values = Array.from({ length: 60 }, (_, i) => (i * 7919) % 6007);
    const seen = await Promise.all(values.map((value) => shared.raise('order_1', value, day)));

    seen.forEach((result, i) => {
      expect(result).toBeGreaterThanOrEqual(values[i] as number);
    });
    expect(await shared.get('order_1')).toBe(String(Math.max(...values)));
    expect(await shared.raise('order_1', 5, day)).toBe(Math.max(...values));
  });

  it('raises over an expired or non-integer value, as over none', async () => {
    const { shared } = await store();
    await shared.set('expired', '5000', { ttlMs: 1 });
    await shared.set('text', 'not a number', day);
    while ((await shared.get('expired')) !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await shared.raise('expired', 20, day)).toBe(20);
    expect(await shared.raise('text', 20, day)).toBe(20);
    await expect(shared.raise('k', 1.5, day)).rejects.toThrow(/safe integer/);
  });
});

it('deletes expired keys as it writes, a thousand at a time after every hundredth write', async () => {
  const driver = drivers[0];
  if (!driver) throw new Error('no driver');
  const { client, end } = driver.open(engine().url);
  try {
    const table = freshTable('store');
    await migratePostgresStore(client, { table });
    const shared = postgresStore({ pool: client, table });
    for (let i = 0; i < 50; i++) await shared.set(`old_${i}`, 'x', { ttlMs: 1 });
    for (let i = 0; i < 49; i++) await shared.set(`new_${i}`, 'x', day);
    const count = async () =>
      Number(
        (
          (await (client as import('pg').Pool).query(`SELECT count(*) FROM ${table}`)).rows[0] as {
            count: string;
          }
        ).count,
      );
    expect(await count()).toBe(99);

    await shared.set('new_49', 'x', day); // the hundredth write
    expect(await count()).toBe(50);
  } finally {
    await end();
  }
});
