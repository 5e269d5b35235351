import type { PostgresClient } from './client.js';
import { defaultStoreTable } from './migrate.js';
import { fromNow, onTable, tableName } from './table.js';

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /** The driver, as for `postgresOutbox`. */
  pool: PostgresClient;
  /** The table, created by `migratePostgresStore`. Default `datafast_store`. */
  table?: string;
}

/**
 * A {@link postgresStore}: the shape of `SharedStore` from `@datafast-checkout/payment-links`
 * (declared here so that this package does not depend on payment-links).
 */
export interface PostgresStore {
  /** The value under `key`, or `undefined` when there is none or it expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` (replacing any), kept at least `options.ttlMs`. */
  set(key: string, value: string, options: { ttlMs: number }): Promise<void>;
  /** Forgets `key`. */
  delete(key: string): Promise<void>;
  /** Atomically raises the integer under `key` to at least `value`; resolves the integer stored. */
  raise(key: string, value: number, options: { ttlMs: number }): Promise<number>;
  /** The table, as given. */
  readonly table: string;
}

/** Expired keys are deleted, at most this many at a time, after every so many writes. */
const pruneEvery = 100;
const pruneAtMost = 1_000;

/**
 * What payment-links' webhook handlers remember across events (delivered ids, LemonSqueezy's refund
 * totals), in a PostgreSQL table shared by every instance and serverless function. Expiry is on
 * the server's clock; expired keys are ignored at once and deleted a thousand at a time after
 * every hundredth write. Create the table first with `migratePostgresStore(pool)`.
 *
 * @example
 * export const POST = lemonSqueezyWebhook({ store: postgresStore({ pool }) })
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const table = tableName(options?.table ?? defaultStoreTable, 'postgresStore');
  const run = onTable(options?.pool, table, 'postgresStore', 'migratePostgresStore');
  const t = table.sql;
  let writes = 0;

  /** After every `pruneEvery`th write; its failure is not the write's. */
  async function pruneNow(): Promise<void> {
    writes += 1;
    if (writes % pruneEvery !== 0) return;
    await run(
      'set',
      `DELETE FROM ${t} WHERE key IN (
         SELECT key FROM ${t} WHERE expires_at <= now() LIMIT ${pruneAtMost} FOR UPDATE SKIP LOCKED
       )`,
    ).catch(() => {});
  }

  return {
    table: table.name,

    async get(key) {
      const rows = await run(
        'get',
        `SELECT value FROM ${t} WHERE key = $1 AND expires_at > now()`,
        [key],
      );
      return rows.length > 0 ? String(rows[0]?.value) : undefined;
    },

    async set(key, value, { ttlMs }) {
      await run(
        'set',
        `INSERT INTO ${t} (key, value, expires_at) VALUES ($1, $2, ${fromNow(3)})
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
        [key, value, ttlMs],
      );
      await pruneNow();
    },

    async delete(key) {
      await run('delete', `DELETE FROM ${t} WHERE key = $1`, [key]);
    },

    async raise(key, value, { ttlMs }) {
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`postgresStore: raise takes a safe integer (got ${String(value)})`);
      }
      // The row is locked by the upsert, so concurrent raises serialise on it; the condition is
      // evaluated on the newest version. When it keeps a larger value, a second statement (with
      // a fresh snapshot) reads what is stored now.
      const raised = await run(
        'raise',
        `INSERT INTO ${t} AS stored (key, value, expires_at) VALUES ($1, $2, ${fromNow(3)})
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         WHERE stored.expires_at <= now()
            OR stored.value !~ '^-?[0-9]{1,30}$'
            OR stored.value::numeric < excluded.value::numeric
         RETURNING value`,
        [key, String(value), ttlMs],
      );
      if (raised.length > 0) {
        await pruneNow();
        return value;
      }
      const rows = await run('raise', `SELECT value FROM ${t} WHERE key = $1`, [key]);
      const stored = Number(rows[0]?.value);
      return Number.isSafeInteger(stored) ? Math.max(stored, value) : value;
    },
  };
}
