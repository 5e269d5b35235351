import type { SharedStore } from '@datafast-checkout/payment-links';
import { type RedisEngine, startRedis } from '@datafast-checkout/testing';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisClient, redisStore } from '../src/index.js';
import { type DriverClient, drivers } from './support/clients.js';

// Payment-links' SharedStore on a real redis-server, through each driver.

let redis: RedisEngine;
beforeAll(async () => {
  redis = await startRedis({ durable: false });
});
afterAll(() => redis?.stop());

let prefixes = 0;

describe.each(drivers)('redisStore with $name', (driver) => {
  const clients: DriverClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
  });

  async function stores(count = 1): Promise<{ stores: SharedStore[]; prefix: string }> {
    const prefix = `s${++prefixes}:`;
    const made = await Promise.all(
      Array.from({ length: count }, async () => {
        const connected = await driver.connect(redis.url);
        clients.push(connected);
        // Typed as payment-links' own interface: the two match by shape.
        const store: SharedStore = redisStore({ client: connected.client as RedisClient, prefix });
        return store;
      }),
    );
    return { stores: made, prefix };
  }

  it('gets what was set, undefined for an unknown or deleted key', async () => {
    const {
      stores: [store],
    } = await stores();
    expect(await store?.get('evt_1')).toBeUndefined();
    await store?.set('evt_1', 'delivered', { ttlMs: 60_000 });
    expect(await store?.get('evt_1')).toBe('delivered');
    await store?.set('evt_1', 'again', { ttlMs: 60_000 });
    expect(await store?.get('evt_1')).toBe('again');
    await store?.delete('evt_1');
    expect(await store?.get('evt_1')).toBeUndefined();
    await store?.delete('evt_unknown');
  });

  it("keeps a key for its ttl on Redis's clock (PX), under the prefix", async () => {
    const {
      stores: [store],
      prefix,
    } = await stores();
    await store?.set('evt_1', 'delivered', { ttlMs: 90_000 });
    await store?.raise('order_1', 500, { ttlMs: 30_000 });
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const ttl = await raw.pTTL(`${prefix}links:evt_1`);
      expect(ttl).toBeGreaterThan(80_000);
      expect(ttl).toBeLessThanOrEqual(90_000);
      expect(await raw.pTTL(`${prefix}links:order_1`)).toBeLessThanOrEqual(30_000);
      expect(await raw.pTTL(`${prefix}links:order_1`)).toBeGreaterThan(20_000);
    } finally {
      raw.destroy();
    }
  });

  it('raises to the largest of 40 values raised at once from 4 connections', async () => {
    const { stores: shared } = await stores(4);
    const values = Array.from({ length: 40 }, (_, i) => ((i * 37) % 40) * 100);
    const seen = await Promise.all(
      values.map((value, i) =>
        (shared[i % 4] as SharedStore).raise('order_1', value, { ttlMs: 60_000 }),
      ),
    );
    expect(await shared[0]?.get('order_1')).toBe('3900');
    // Each call saw at least its own value, never less.
    seen.forEach((after, i) => {
      expect(after).toBeGreaterThanOrEqual(values[i] as number);
    });
    expect(await shared[1]?.raise('order_1', 100, { ttlMs: 60_000 })).toBe(3900);
  });
});
