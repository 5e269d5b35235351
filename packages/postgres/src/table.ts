import {
  keepIdleErrorsFromEndingTheProcess,
  type PostgresClient,
  type Row,
  secretsOf,
  toRunQuery,
} from './client.js';
import { type PostgresOperation, toPostgresError } from './errors.js';

// Plain identifiers only, optionally schema-qualified: the name is written into SQL (quoted), so
// anything else is refused rather than escaped. 50 leaves room for the index name's suffix
// within PostgreSQL's 63 bytes.
const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,49}$/;

/** A table name, checked and quoted. */
export interface TableName {
  /** As given: `datafast_outbox`, `billing.datafast_outbox`. */
  name: string;
  /** Quoted for SQL: `"datafast_outbox"`, `"billing"."datafast_outbox"`. */
  sql: string;
  /** The table's own name without its schema, for naming its index. */
  base: string;
}

/**
 * Checks and quotes a table name (`name` or `schema.name`); throws a `TypeError` naming the
 * option otherwise.
 */
export function tableName(name: unknown, caller: string): TableName {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => identifier.test(part))) {
    throw new TypeError(
      `${caller}: table must be a plain name or schema.name of letters, digits and underscores (got ${JSON.stringify(name)})`,
    );
  }
  return {
    name: name as string,
    sql: parts.map((part) => `"${part}"`).join('.'),
    base: parts.at(-1) as string,
  };
}

/** Runs one statement on the table; a failure is a `PostgresError` naming both. */
export type RunOnTable = (
  operation: PostgresOperation,
  text: string,
  params?: unknown[],
) => Promise<Row[]>;

/**
 * The driver, bound to one table: each statement's failure becomes a `PostgresError` that names
 * the operation and the table, cleaned of the client's credentials, and hints at `migration`
 * when the table is missing.
 */
export function onTable(
  client: PostgresClient,
  table: TableName,
  caller: string,
  migration: string,
): RunOnTable {
  const run = toRunQuery(client, caller);
  keepIdleErrorsFromEndingTheProcess(client);
  return async (operation, text, params = []) => {
    try {
      return await run(text, params);
    } catch (error) {
      throw toPostgresError(error, operation, table.name, migration, secretsOf(client));
    }
  };
}

/** Milliseconds from now on the server's clock, as SQL for parameter `$n`. */
export const fromNow = (n: number) => `now() + $${n}::double precision * interval '1 millisecond'`;
