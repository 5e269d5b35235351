import type { PostgresClient } from './client.js';
import { onTable, type TableName, tableName } from './table.js';

/** The outbox's table unless `table` says otherwise. */
export const defaultOutboxTable = 'datafast_outbox';
/** The payment-links store's table unless `table` says otherwise. */
export const defaultStoreTable = 'datafast_store';

/** Options of the migrations. */
export interface MigrateOptions {
  /** The table to create: a plain name or `schema.name` (the schema must exist). */
  table?: string;
}

// Each statement is idempotent, and each runs on its own, so that drivers which take one
// statement per query (Neon's HTTP function, postgres.js with parameters) run them too.

/**
 * The outbox's table: one row per report. `body` is the exact JSON to POST; `created_at` the
 * report's creation (ms since the epoch, the tracking process's clock: `maxAgeMs` counts from
 * it); `lease_until` when the lease of `lease_owner` lapses, on the server's clock (a new row is
 * leased to the process that tracked it; a row is due once `lease_until <= now()`).
 */
function outboxStatements(table: TableName): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${table.sql} (
  id text PRIMARY KEY,
  body jsonb NOT NULL,
  created_at bigint NOT NULL,
  lease_owner text,
  lease_until timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX IF NOT EXISTS "${table.base}_due" ON ${table.sql} (lease_until, created_at)`,
  ];
}

/** The store's table: a value per key until `expires_at`, on the server's clock. */
function storeStatements(table: TableName): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${table.sql} (
  key text PRIMARY KEY,
  value text NOT NULL,
  expires_at timestamptz NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS "${table.base}_expires_at" ON ${table.sql} (expires_at)`,
  ];
}

/**
 * The SQL that {@link migratePostgresOutbox} runs, for your own migration tool.
 *
 * @example
 * writeFileSync('migrations/001_datafast_outbox.sql', postgresOutboxSql().join(';\n\n') + ';\n')
 */
export function postgresOutboxSql(options: MigrateOptions = {}): string[] {
  return outboxStatements(tableName(options.table ?? defaultOutboxTable, 'postgresOutboxSql'));
}

/**
 * The SQL that {@link migratePostgresStore} runs, for your own migration tool.
 *
 * @example
 * writeFileSync('migrations/002_datafast_store.sql', postgresStoreSql().join(';\n\n') + ';\n')
 */
export function postgresStoreSql(options: MigrateOptions = {}): string[] {
  return storeStatements(tableName(options.table ?? defaultStoreTable, 'postgresStoreSql'));
}

/**
 * Creates the outbox's table and its index when they do not exist; safe to run at every deploy.
 * Never run implicitly: call it from your migration step (or run {@link postgresOutboxSql}'s SQL
 * with your migration tool). Rejects with a `PostgresError` naming the table.
 *
 * @example
 * await migratePostgresOutbox(pool) // a deploy script, before the app starts
 */
export async function migratePostgresOutbox(
  pool: PostgresClient,
  options: MigrateOptions = {},
): Promise<void> {
  await migrate(
    pool,
    options.table ?? defaultOutboxTable,
    outboxStatements,
    'migratePostgresOutbox',
  );
}

/**
 * Creates the payment-links store's table (see `postgresStore`) when it does not exist; safe to
 * run at every deploy, never run implicitly.
 *
 * @example
 * await migratePostgresStore(pool)
 */
export async function migratePostgresStore(
  pool: PostgresClient,
  options: MigrateOptions = {},
): Promise<void> {
  await migrate(pool, options.table ?? defaultStoreTable, storeStatements, 'migratePostgresStore');
}

/** Runs a table's `statements`, one by one; `caller` names the migration in errors. */
async function migrate(
  pool: PostgresClient,
  name: string,
  statements: (table: TableName) => string[],
  caller: string,
): Promise<void> {
  const table = tableName(name, caller);
  const run = onTable(pool, table, caller, caller);
  for (const statement of statements(table)) await run('migrate', statement);
}
