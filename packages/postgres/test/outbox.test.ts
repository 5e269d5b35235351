import { sharedOutboxContract } from '@datafast-checkout/testing/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toRunQuery } from '../src/client.js';
import {
  isPostgresError,
  migratePostgresOutbox,
  type PostgresClient,
  type PostgresOutbox,
  postgresOutbox,
} from '../src/index.js';
import { drivers, engineUrl, entry, freshTable } from './helpers.js';

// The SharedOutbox contract (the suite every engine runs, from @datafast-checkout/testing) and
// what is PostgreSQL's own, on a real server, through each driver the README promises.

const hour = 3_600_000;

describe.each(drivers)('postgresOutbox through $name', (driver) => {
  let client: PostgresClient;
  let end: () => Promise<void>;
  beforeAll(() => {
    ({ client, end } = driver.open(engineUrl()));
  });
  afterAll(() => end?.());
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An outbox on a fresh, migrated table. */
  async function outbox(): Promise<PostgresOutbox> {
    const table = freshTable();
    await migratePostgresOutbox(client, { table });
    return postgresOutbox({ pool: client, table });
  }

  sharedOutboxContract({ make: outbox });

  it('creates nothing until migrated, then says which table is missing and how to create it', async () => {
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

  it('works in a schema of its own (`schema.table`)', async () => {
    const schema = freshTable('billing');
    await toRunQuery(client, 'test')(`CREATE SCHEMA ${schema}`, []);
    const table = `${schema}.datafast_outbox`;
    await migratePostgresOutbox(client, { table });
    const box = postgresOutbox({ pool: client, table });

    expect(await box.put(entry(1), { owner: 'a', ms: 0 })).toBe(true);
    expect(await box.claim({ limit: 5, lease: { owner: 'b', ms: hour } })).toEqual([entry(1)]);
    expect(box.table).toBe(table);
  });

  it("measures leases on the server's clock: a client whose clock is an hour ahead claims nothing held", async () => {
    const box = await outbox();
    await box.put(entry(1), { owner: 'a', ms: 60_000 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + hour });

    expect(await box.claim({ limit: 10, lease: { owner: 'b', ms: 60_000 } })).toEqual([]);
    expect(await box.renew(entry(1).id, { owner: 'b', ms: 60_000 })).toBe(false);
  });

  it('never hands one entry to two of many claimers racing until the outbox is empty', async () => {
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
});
