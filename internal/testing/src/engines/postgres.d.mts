/** A PostgreSQL server that {@link startPostgres} started on 127.0.0.1. */
export interface PostgresEngine {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication: no password). */
  readonly url: string;
  readonly port: number;
  /** What the server printed so far. */
  output(): string;
  /**
   * Crashes the server: SIGKILL of its process group (the postmaster and every backend), as an
   * OOM kill or a lost machine does. Resolves once the postmaster is gone.
   */
  crash(): Promise<void>;
  /**
   * Stops the server as an administrator or a managed database's maintenance does (fast
   * shutdown: every connection is ended with an error, 57P01), keeping its data.
   */
  stop(): Promise<void>;
  /**
   * Starts it again on the same port and data (after {@link crash} or {@link stop}); resolves
   * once it accepts connections.
   */
  start(): Promise<void>;
  /** Stops the server (fast shutdown) and deletes its data directory. */
  close(): Promise<void>;
}

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /**
   * Keeps PostgreSQL's durability settings (`fsync`, `synchronous_commit`, full page writes), for
   * a test that crashes the server and expects every committed row back. Default `false`: those
   * are off, for speed, and a crash may lose the last commits.
   */
  durable?: boolean;
}

/**
 * Starts a real PostgreSQL server (the distribution's binaries, `/usr/lib/postgresql/<v>/bin`, or
 * `POSTGRES_BIN_DIR`) in a temporary directory, on 127.0.0.1 at a free port, and resolves once it
 * accepts connections. As root it runs as the `postgres` user. It dies with the test process.
 *
 * @example
 * const engine = await startPostgres(); new pg.Pool({ connectionString: engine.url }); await engine.close()
 */
export function startPostgres(options?: StartPostgresOptions): Promise<PostgresEngine>;
