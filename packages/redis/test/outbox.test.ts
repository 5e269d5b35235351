import type { OutboxEntry, SharedOutbox } from '@datafast-checkout/core';
import { type RedisEngine, startRedis } from '@datafast-checkout/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisClient, redisOutbox } from '../src/index.js';
import { type DriverClient, drivers } from './support/clients.js';

// The SharedOutbox contract on a real redis-server, through each driver as users pass it.

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

  it('stores an entry once: a second put of its id resolves false and leaves it untouched', async () => {
    const [outbox] = (await outboxes()) as [SharedOutbox];
    expect(outbox.shared).toBe(true);
    expect(await outbox.put(entry('pi_1'), held)).toBe(true);
    const changed = { ...entry('pi_1'), body: { ...entry('pi_1').body, amount: 1 } };
    expect(await outbox.put(changed, due)).toBe(false);

    expect(await outbox.list()).toEqual([entry('pi_1')]);
    // Its lease held too: the second put did not make it due.
    expect(await outbox.claim({ limit: 10, lease: { owner: 'b', ms: 60_000 } })).toEqual([]);
  });

  it('claims only due entries, oldest first, and never one whose lease holds', async () => {
    const [outbox] = (await outboxes()) as [SharedOutbox];
    await outbox.put(entry('pi_c', 3), due);
    await outbox.put(entry('pi_a', 1), due);
    await outbox.put(entry('pi_held', 0), held);
    await outbox.put(entry('pi_b', 2), due);

    expect(ids(await outbox.claim({ limit: 2, lease: held }))).toEqual(['pi_a', 'pi_b']);
    expect(ids(await outbox.claim({ limit: 10, lease: held }))).toEqual(['pi_c']);
    expect(await outbox.claim({ limit: 10, lease: held })).toEqual([]);
  });

  it('gives each of 300 entries to exactly one of 6 processes claiming at once', async () => {
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

  it('renews for its holder or once the lease lapsed, never over another holder, never a deleted entry', async () => {
    const [outbox] = (await outboxes()) as [SharedOutbox];
    await outbox.put(entry('pi_1'), { owner: 'a', ms: 60_000 });

    expect(await outbox.renew('pi_1', { owner: 'b', ms: 60_000 })).toBe(false);
    expect(await outbox.renew('pi_1', { owner: 'a', ms: 60_000 })).toBe(true);
    // A is done with it for now: due again at once (a retry delay of 0).
    expect(await outbox.renew('pi_1', { owner: 'a', ms: 0 })).toBe(true);
    expect(await outbox.renew('pi_1', { owner: 'b', ms: 60_000 })).toBe(true);
    expect(await outbox.renew('pi_1', { owner: 'a', ms: 60_000 })).toBe(false);
    expect(await outbox.claim({ limit: 10, lease: { owner: 'c', ms: 1 } })).toEqual([]);

    await outbox.delete('pi_1');
    expect(await outbox.renew('pi_1', { owner: 'b', ms: 60_000 })).toBe(false);
    await outbox.delete('pi_unknown');
  });

  it("a released entry is claimed again, and a renewal's delay makes it due when it lapses", async () => {
    const [outbox] = (await outboxes()) as [SharedOutbox];
    await outbox.put(entry('pi_1'), due);
    expect(ids(await outbox.claim({ limit: 1, lease: held }))).toEqual(['pi_1']);
    // A failed attempt: due again after the retry delay (here none).
    expect(await outbox.renew('pi_1', due)).toBe(true);
    expect(ids(await outbox.claim({ limit: 1, lease: { owner: 'b', ms: 60_000 } }))).toEqual([
      'pi_1',
    ]);
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

  it('lists every entry oldest first, or the oldest `limit`, held or not; delete forgets one', async () => {
    const [outbox] = (await outboxes()) as [SharedOutbox];
    await outbox.put(entry('pi_2', 2), held);
    await outbox.put(entry('pi_1', 1), due);
    await outbox.put(entry('pi_3', 3), due);

    expect(ids(await outbox.list())).toEqual(['pi_1', 'pi_2', 'pi_3']);
    expect(ids(await outbox.list({ limit: 2 }))).toEqual(['pi_1', 'pi_2']);
    await outbox.delete('pi_2');
    expect(ids(await outbox.list())).toEqual(['pi_1', 'pi_3']);
    expect(ids(await outbox.claim({ limit: 10, lease: held }))).toEqual(['pi_1', 'pi_3']);
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
