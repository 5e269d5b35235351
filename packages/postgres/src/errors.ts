import { driverMessage, EngineError, isBranded } from '@datafast-checkout/core/engine';

/** What was being done when a {@link PostgresError} happened. */
export type PostgresOperation =
  | 'put'
  | 'claim'
  | 'renew'
  | 'delete'
  | 'list'
  | 'migrate'
  | 'get'
  | 'set'
  | 'raise';

const brand = Symbol.for('@datafast-checkout/postgres.error');

/**
 * A statement of this package failed: the operation, the table, PostgreSQL's SQLSTATE `code` when
 * the server answered one, and the driver's message cleaned of credentials (a connection string's
 * password, the driver's configured password). The driver's own error is not attached, since
 * drivers may keep the connection string in it.
 *
 * @example
 * if (isPostgresError(e) && e.code === '42P01') console.error('run migratePostgresOutbox(pool) once')
 */
export class PostgresError extends EngineError<PostgresOperation> {
  /** PostgreSQL's SQLSTATE (`'42P01'`: no such table), or the driver's code (`'ECONNREFUSED'`). */
  declare readonly code: string | undefined;
  /** The table, as given (`datafast_outbox` by default). */
  readonly table: string;

  constructor(operation: PostgresOperation, table: string, message: string, code?: string) {
    super(brand, operation, message, code);
    this.name = 'PostgresError';
    this.table = table;
  }
}

/**
 * True for a {@link PostgresError}, also across the ESM and CJS builds.
 *
 * @example
 * outbox.list().catch((e) => { if (isPostgresError(e)) console.error(e.operation, e.code) })
 */
export function isPostgresError(value: unknown): value is PostgresError {
  return isBranded(value, brand);
}

/**
 * `error` from the driver as a {@link PostgresError} whose message names the operation and the
 * table, with every secret, and anything shaped like a credential, removed.
 */
export function toPostgresError(
  error: unknown,
  operation: PostgresOperation,
  table: string,
  migration: string,
  secrets: readonly string[],
): PostgresError {
  const code = codeOf(error);
  const cause = driverMessage(error, secrets);
  // 42P01: undefined_table.
  const hint =
    code === '42P01'
      ? `: the table does not exist; create it once, before the app serves, with ${migration}(pool) or the SQL in the README of @datafast-checkout/postgres`
      : '';
  return new PostgresError(
    operation,
    table,
    `postgres: ${operation} on table "${table}" failed: ${cause}${code ? ` (${code})` : ''}${hint}`,
    code,
  );
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length <= 32 ? code : undefined;
}
