import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  isPostgresError,
  migratePostgresOutbox,
  type PostgresOutbox,
  postgresOutbox,
} from '../src/index.js';
import { drivers, entry, freshTable, useEngine } from './helpers.js';

// The SharedOutbox contract (packages/core/src/outbox.ts) on a real PostgreSQL server, through
// each driver the README promises.

const engine = useEngine();
const hour = 3_600_000;

describe.each(drivers)('postgresOutbox through $name', (driver) => {
  const ends: Array<() => Promise<void>> = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const end of ends.splice(0)) await end();
  });

  /** An outbox on a fresh, migrated table. */
  async function outbox(): Promise<PostgresOutbox> {
    const { client, end } = driver.open(engine().url);
    ends.push(end);
    const table = freshTable();
    await migratePostgresOutbox(client, { table });
    return postgresOutbox({ pool: client, table });
  }

  it('creates nothing until migrated, then says which table is missing and how to create it', async () => {
    const { client, end } = driver.open(engine().url);
    ends.push(end);
    const table = freshTable();
    const unmigrated = postgresOutbox({ pool: client, table });

    const error = await unmigrated.list().catch((e: unknown) => e);
    expect(isPostgresError(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'list', table, code: '42P01' });
    expect((error as Error).message).toContain(`list on table "${table}"`);
    expect((error as Error).message).toContain('migratePostgresOutbox(pool)');

    await migratePostgresOutbox(client, { table });
    await migratePostgresOutbox(client, { table }); // idempotent: every deploy may run it
    expect(await unmigrated.list()).toEqual([]);
  });

  it('stores an entry once: true for the first put, false for the same id, which stays untouched', async () => {
    const box = await outbox();
    const first = entry(1);
    const again = { ...entry(1, first.createdAt + 5_000), body: { ...first.body, amount: 99 } };

    expect(await box.put(first, { owner: 'a', ms: 0 })).toBe(true);
    expect(await box.put(again, { owner: 'b', ms: 0 })).toBe(false);

    expect(await box.list()).toEqual([first]);
    // The first lease (due at once) stands: b's put did not lease it to b for anything.
    expect(await box.claim({ limit: 10, lease: { owner: 'c', ms: hour } })).toEqual([first]);
  });

  it('keeps the exact body: amounts, unicode, every field', async () => {
    const box = await outbox();
    const stored = entry(7);
    stored.body = {
      ...stored.body,
      amount: 1234567.89,
      currency: 'JPY',
      email: 'zoë+shop@exämple.com',
      name: 'Zoë "Z" O\'Brien — 東京',
      customer_id: 'cus_\u0000x'.replace('\u0000', ''),
      renewal: true,
      refunded: false,
      is_free_trial: false,
    };
    await box.put(stored, { owner: 'a', ms: 0 });
    expect(await box.list()).toEqual([stored]);
  });

  it('leases a new entry to its tracker: nobody claims it until that lease lapses', async () => {
    const box = await outbox();
    await box.put(entry(1), { owner: 'tracker', ms: 300 });
    await box.put(entry(2), { owner: 'tracker', ms: hour });

    expect(await box.claim({ limit: 10, lease: { owner: 'other', ms: hour } })).toEqual([]);
    // Polled until the 300 ms lapse, which is the event this waits for.
    let claimed: unknown[] = [];
    while (claimed.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      claimed = await box.claim({ limit: 10, lease: { owner: 'other', ms: hour } });
    }
    expect(claimed).toEqual([entry(1)]);
  });

  it("measures leases on the server's clock: a client whose clock is an hour ahead claims nothing held", async () => {
    const box = await outbox();
    await box.put(entry(1), { owner: 'a', ms: 60_000 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + hour });

    expect(await box.claim({ limit: 10, lease: { owner: 'b', ms: 60_000 } })).toEqual([]);
    expect(await box.renew(entry(1).id, { owner: 'b', ms: 60_000 })).toBe(false);
  });

  it('claims the oldest due entries first, at most `limit`, and leases them', async () => {
    const box = await outbox();
    for (const i of [5, 3, 9, 1, 7]) await box.put(entry(i), { owner: 'a', ms: 0 });

    const first = await box.claim({ limit: 3, lease: { owner: 'b', ms: hour } });
    expect(first.map((e) => e.id)).toEqual([entry(1).id, entry(3).id, entry(5).id]);
    const rest = await box.claim({ limit: 3, lease: { owner: 'c', ms: hour } });
    expect(rest.map((e) => e.id)).toEqual([entry(7).id, entry(9).id]);
    expect(await box.claim({ limit: 3, lease: { owner: 'd', ms: hour } })).toEqual([]);
  });

  it('never hands one entry to two of many concurrent claimers', async () => {
    const box = await outbox();
    const count = 400;
    await Promise.all(
      Array.from({ length: count }, (_, i) => box.put(entry(i), { owner: 'tracker', ms: 0 })),
    );
    const claimedBy = new Map<string, string[]>();
    async function claimer(owner: string) {
      for (;;) {
        const batch = await box.claim({ limit: 7, lease: { owner, ms: hour } });
        if (batch.length === 0) return;
        for (const { id } of batch) claimedBy.set(id, [...(claimedBy.get(id) ?? []), owner]);
      }
    }
    await Promise.all(Array.from({ length: 12 }, (_, k) => claimer(`claimer-${k}`)));

    expect(claimedBy.size).toBe(count);
    expect([...claimedBy.values()].filter((owners) => owners.length > 1)).toEqual([]);
  });

  it('renews for its holder or after a lapse, never over another live lease or a deleted entry', async () => {
    const box = await outbox();
    const { id } = entry(1);
    await box.put(entry(1), { owner: 'a', ms: hour });

    expect(await box.renew(id, { owner: 'a', ms: hour })).toBe(true);
    expect(await box.renew(id, { owner: 'b', ms: hour })).toBe(false);
    // a sets a retry delay of 0: lapsed at once, so b may take it, and then a may not.
    expect(await box.renew(id, { owner: 'a', ms: 0 })).toBe(true);
    expect(await box.renew(id, { owner: 'b', ms: hour })).toBe(true);
    expect(await box.renew(id, { owner: 'a', ms: hour })).toBe(false);
    expect(await box.claim({ limit: 1, lease: { owner: 'c', ms: hour } })).toEqual([]);

    await box.delete(id);
    expect(await box.renew(id, { owner: 'b', ms: hour })).toBe(false);
  });

  it('deletes whoever holds the entry; an unknown id is not an error', async () => {
    const box = await outbox();
    await box.put(entry(1), { owner: 'a', ms: hour });
    await box.put(entry(2), { owner: 'a', ms: hour });

    await box.delete(entry(1).id);
    await box.delete('ch_never_stored');
    expect((await box.list()).map((e) => e.id)).toEqual([entry(2).id]);
  });

  it('lists every entry, held or not, oldest first, or the oldest `limit`', async () => {
    const box = await outbox();
    for (const i of [4, 2, 8, 6]) await box.put(entry(i), { owner: 'a', ms: i % 4 ? hour : 0 });

    expect((await box.list()).map((e) => e.createdAt)).toEqual(
      [2, 4, 6, 8].map((i) => entry(i).createdAt),
    );
    expect((await box.list({ limit: 2 })).map((e) => e.id)).toEqual([entry(2).id, entry(4).id]);
    expect(box.shared).toBe(true);
  });
});
