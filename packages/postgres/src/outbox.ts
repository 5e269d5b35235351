import type {
  OutboxClaimOptions,
  OutboxEntry,
  OutboxLease,
  OutboxListOptions,
  SharedOutbox,
} from '@datafast-checkout/core';
import type { PostgresClient, Row } from './client.js';
import { defaultOutboxTable } from './migrate.js';
import { fromNow, onTable, tableName } from './table.js';

/** Options of {@link postgresOutbox}. */
export interface PostgresOutboxOptions {
  /**
   * The driver: a `pg` Pool, postgres.js `sql`, Neon's `Pool` or `neon()` function, or any
   * `{ query(text, params) }` resolving `{ rows }` or the rows.
   */
  pool: PostgresClient;
  /** The table, created by `migratePostgresOutbox`. Default `datafast_outbox`; `schema.name` works. */
  table?: string;
}

/** A {@link postgresOutbox}: a `SharedOutbox` and the table it keeps reports in. */
export interface PostgresOutbox extends SharedOutbox {
  /** The table, as given. */
  readonly table: string;
}

/**
 * A DataFast outbox in a PostgreSQL table, shared by every process and serverless function that
 * uses the same table. Reports are claimed with `FOR UPDATE SKIP LOCKED` under a lease measured on
 * the server's clock, so two processes never send one report at the same moment, and a dead
 * process's reports are due again when its lease lapses. Create the table first with
 * `migratePostgresOutbox(pool)`; nothing here creates it. Every failure is a `PostgresError`
 * naming the operation and the table, without the connection's credentials.
 *
 * @example
 * const datafast = createDatafast({ outbox: postgresOutbox({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) }) })
 */
export function postgresOutbox(options: PostgresOutboxOptions): PostgresOutbox {
  const table = tableName(options?.table ?? defaultOutboxTable, 'postgresOutbox');
  const run = onTable(options?.pool, table, 'postgresOutbox', 'migratePostgresOutbox');
  const t = table.sql;
  const columns = 'id, body::text AS body, created_at';
  // Statements on one entry run in the order they were called: over a pool, two statements
  // sent one after the other may otherwise run on two connections in the opposite order (a
  // retry delay's renew landing after the next attempt's renew would cut that attempt's lease
  // short, and another process could claim the entry while it is being sent).
  const inOrder = orderedById();

  return {
    shared: true,
    table: table.name,

    async put(entry: OutboxEntry, lease: OutboxLease): Promise<boolean> {
      const rows = await inOrder(entry.id, () =>
        run(
          'put',
          `INSERT INTO ${t} (id, body, created_at, lease_owner, lease_until)
         VALUES ($1, $2::text::jsonb, $3::bigint, $4, ${fromNow(5)})
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
          [
            entry.id,
            JSON.stringify(entry.body),
            Math.round(entry.createdAt),
            lease.owner,
            lease.ms,
          ],
        ),
      );
      return rows.length === 1;
    },

    async claim({ limit, lease }: OutboxClaimOptions): Promise<OutboxEntry[]> {
      // One statement: the due rows are locked as they are picked (rows another claim holds
      // are skipped, not waited for), leased and returned. A row that another claim leased after
      // this statement's snapshot is re-checked against `lease_until` on its newest version and
      // skipped, so one lease is never handed out twice.
      const rows = await run(
        'claim',
        `WITH due AS (
           SELECT id FROM ${t}
           WHERE lease_until <= now()
           ORDER BY created_at, id
           LIMIT $3::integer
           FOR UPDATE SKIP LOCKED
         )
         UPDATE ${t} AS entry SET lease_owner = $1, lease_until = ${fromNow(2)}
         FROM due WHERE entry.id = due.id
         RETURNING entry.id, entry.body::text AS body, entry.created_at`,
        [lease.owner, lease.ms, Math.max(0, Math.floor(limit))],
      );
      return oldestFirst(rows.map(toEntry));
    },

    async renew(id: string, lease: OutboxLease): Promise<boolean> {
      const rows = await inOrder(id, () =>
        run(
          'renew',
          `UPDATE ${t} SET lease_owner = $2, lease_until = ${fromNow(3)}
         WHERE id = $1 AND (lease_owner = $2 OR lease_until <= now())
         RETURNING id`,
          [id, lease.owner, lease.ms],
        ),
      );
      return rows.length === 1;
    },

    async delete(id: string): Promise<void> {
      await inOrder(id, () => run('delete', `DELETE FROM ${t} WHERE id = $1`, [id]));
    },

    async list(listOptions: OutboxListOptions = {}): Promise<OutboxEntry[]> {
      const limit =
        listOptions.limit === undefined ? null : Math.max(0, Math.floor(listOptions.limit));
      const rows = await run(
        'list',
        `SELECT ${columns} FROM ${t} ORDER BY created_at, id LIMIT $1::integer`,
        [limit],
      );
      return rows.map(toEntry);
    },
  };
}

function toEntry(row: Row): OutboxEntry {
  return {
    id: String(row.id),
    body: JSON.parse(String(row.body)),
    createdAt: Number(row.created_at),
  };
}

function oldestFirst(entries: OutboxEntry[]): OutboxEntry[] {
  return entries.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/**
 * Runs each task after the tasks called before it for the same id have settled (whatever their
 * outcome); tasks for different ids run side by side.
 */
function orderedById() {
  const last = new Map<string, Promise<unknown>>();
  return <T>(id: string, task: () => Promise<T>): Promise<T> => {
    const previous = last.get(id) ?? Promise.resolve();
    const result = previous.then(task, task);
    const settled = result.then(
      () => {},
      () => {},
    );
    last.set(id, settled);
    void settled.then(() => {
      if (last.get(id) === settled) last.delete(id);
    });
    return result;
  };
}
