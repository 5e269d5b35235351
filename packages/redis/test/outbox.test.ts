import type { OutboxEntry, SharedOutbox } from '@datafast-checkout/core';
import { type RedisEngine, startRedis } from '@datafast-checkout/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisClient, redisOutbox } from '../src/index.js';
import { type DriverClient, drivers } from './support/clients.js';

// Beyond the shared contract (contract.test.ts): many connections claiming at once, leases on
// Redis's clock, and what a SIGKILL of the server keeps.

let redis: RedisEngine;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

let prefixes = 0;
const held = { owner: 'a', ms: 60_000 };
const due = { owner: 'a', ms: 0 };

function entry(id: string, createdAt = 1_700_000_000_000): OutboxEntry {
  return {
    id,
    createdAt,
    body: { amount: 29.99, currency: 'USD', transaction_id: id, timestamp: '2026-12-07T12:00:00Z' },
  } as OutboxEntry;
}
const ids = (entries: OutboxEntry[]) => entries.map((e) => e.id);

describe.each(drivers)('redisOutbox with $name', (driver) => {
  const clients: DriverClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
  });

  /** A fresh outbox (its own prefix) on a new connection; `count` connections share it. */
  async function outboxes(count = 1): Promise<SharedOutbox[]> {
    const prefix = `t${++prefixes}:`;
    return Promise.all(
      Array.from({ length: count }, async () => {
        const connected = await driver.connect(redis.url);
        clients.push(connected);
        return redisOutbox({ client: connected.client as RedisClient, prefix });
      }),
    );
  }

  it('gives each of 300 entries to exactly one of 6 connections claiming at once', async () => {
    const shared = await outboxes(6);
    const all = Array.from({ length: 300 }, (_, i) => `pi_${String(i).padStart(3, '0')}`);
    await Promise.all(all.map((id, i) => (shared[0] as SharedOutbox).put(entry(id, i), due)));

    const claimedBy = await Promise.all(
      shared.map(async (outbox, n) => {
        const mine: string[] = [];
        for (;;) {
          const page = await outbox.claim({ limit: 7, lease: { owner: `p${n}`, ms: 60_000 } });
          if (page.length === 0) return mine;
          mine.push(...ids(page));
        }
      }),
    );

    const claimed = claimedBy.flat();
    expect(claimed).toHaveLength(300);
    expect(new Set(claimed).size).toBe(300);
    expect(claimedBy.filter((mine) => mine.length > 0).length).toBeGreaterThan(1);
  });

  it("measures leases on Redis's clock, not the caller's", async () => {
    const [outbox] = (await outboxes()) as [SharedOutbox];
    await outbox.put(entry('pi_1'), { owner: 'a', ms: 60_000 });
    // A caller whose clock runs two hours ahead still finds the lease holding.
    vi.useFakeTimers({ now: Date.now() + 2 * 3_600_000, toFake: ['Date'] });
    try {
      expect(await outbox.claim({ limit: 10, lease: { owner: 'b', ms: 1 } })).toEqual([]);
      expect(await outbox.renew('pi_1', { owner: 'b', ms: 1 })).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps every stored entry across a SIGKILL of Redis (appendfsync always)', async () => {
    const [outbox] = (await outboxes()) as [SharedOutbox];
    await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.put(entry(`pi_${i}`, i), held)));
    await redis.restart();

    const [after] = (await outboxes()) as [SharedOutbox];
    // The same keys: the restarted server's, read through a new connection.
    const reread = redisOutbox({
      client: (clients.at(-1) as DriverClient).client as RedisClient,
      prefix: `t${prefixes - 1}:`,
    });
    expect(await after.list()).toEqual([]);
    expect(ids(await reread.list())).toEqual(Array.from({ length: 50 }, (_, i) => `pi_${i}`));
    // Their leases survived with them.
    expect(await reread.claim({ limit: 100, lease: { owner: 'b', ms: 1 } })).toEqual([]);
  });
});
