// The one thing this package needs from a driver: run one SQL statement with `$1`-style
// parameters and get its rows. `pg` (a Pool or a Client), Neon's serverless driver (its Pool, or
// the `neon()` HTTP function's `.query`) and most others already have that shape as `query`;
// postgres.js has it as `unsafe` and is recognised as it is. No driver is imported here.

/**
 * Anything with `query(text, params)` resolving `{ rows }` or the rows themselves: a `pg` Pool or
 * Client, Neon's `Pool` or `neon()` function, or a function of your own over another driver.
 *
 * @example
 * const client: PostgresQueryable = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 */
export interface PostgresQueryable {
  // Method syntax on purpose: drivers type their parameters more narrowly than `unknown[]`.
  query(text: string, params: unknown[]): PromiseLike<{ rows: unknown[] } | unknown[]>;
}

/**
 * postgres.js's `sql` (from `postgres(url)`), recognised by its `unsafe` and `begin`: statements run
 * through `sql.unsafe(text, params)`.
 *
 * @example
 * const client: PostgresJsSql = postgres(process.env.DATABASE_URL)
 */
export interface PostgresJsSql {
  unsafe(query: string, parameters?: never[]): PromiseLike<unknown[]>;
  begin: unknown;
}

/**
 * What `postgresOutbox`, `postgresStore` and the migrations take: a `pg` Pool, postgres.js `sql`,
 * Neon's driver, or any `{ query(text, params) }`.
 */
export type PostgresClient = PostgresQueryable | PostgresJsSql;

/** One statement's rows, whatever the driver. */
export type RunQuery = (text: string, params: unknown[]) => Promise<Row[]>;

/** A row as drivers return it: column name to value. */
export type Row = Record<string, unknown>;

function isPostgresJs(client: PostgresClient): client is PostgresJsSql {
  return (
    typeof (client as Partial<PostgresJsSql>).unsafe === 'function' &&
    (client as Partial<PostgresJsSql>).begin !== undefined
  );
}

/**
 * The driver behind one function. Throws a `TypeError` when `client` is none of the shapes above,
 * at construction rather than at the first report.
 */
export function toRunQuery(client: PostgresClient, caller: string): RunQuery {
  if (client && isPostgresJs(client)) {
    return async (text, params) => [...(await client.unsafe(text, params as never[]))] as Row[];
  }
  if (client && typeof (client as Partial<PostgresQueryable>).query === 'function') {
    return async (text, params) => {
      const result = await (client as PostgresQueryable).query(text, params);
      return (Array.isArray(result) ? result : result.rows) as Row[];
    };
  }
  throw new TypeError(
    `${caller}: pool must be a pg Pool, a postgres.js sql, Neon's Pool or neon() function, or an object with query(text, params) (got ${client === null ? 'null' : typeof client})`,
  );
}

/**
 * The secrets a driver's configuration holds (password, connection string's password), so that
 * errors can be cleaned of them whatever the driver put in its messages.
 */
export function secretsOf(client: PostgresClient): string[] {
  const found: string[] = [];
  const options = (client as { options?: Record<string, unknown> }).options;
  if (!options || typeof options !== 'object') return found;
  for (const key of ['password', 'pass']) {
    if (typeof options[key] === 'string') found.push(options[key]);
  }
  const url = options.connectionString;
  if (typeof url === 'string') {
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(url)?.[1];
    if (password) {
      found.push(password);
      try {
        found.push(decodeURIComponent(password));
      } catch {
        // Not percent-encoded: the raw text is the secret.
      }
    }
  }
  return found.filter((secret) => secret.length > 0);
}

/**
 * Listens to a `pg` Pool's `error` event, if it has one. The pool emits it when the server ends
 * an idle connection (PostgreSQL restarting, a failover, an idle timeout on the server's side)
 * and discards that connection; with no listener, Node ends the process on it. Adding one keeps
 * a database restart from taking the app down; the next query opens a new connection.
 */
export function keepIdleErrorsFromEndingTheProcess(client: PostgresClient): void {
  const emitter = client as { on?: unknown; listeners?: unknown };
  if (typeof emitter.on !== 'function' || typeof emitter.listeners !== 'function') return;
  const listeners = (emitter.listeners as (event: string) => unknown[]).call(client, 'error');
  if (listeners.includes(ignoreIdleError)) return;
  (emitter.on as (event: string, listener: () => void) => void).call(
    client,
    'error',
    ignoreIdleError,
  );
}

function ignoreIdleError(): void {
  // The pool already discarded the connection; the next query opens another.
}
