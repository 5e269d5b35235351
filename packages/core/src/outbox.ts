import { describeId, messageOf } from './errors.js';
import type { Log } from './log.js';
import type { PaymentBody } from './payload.js';

/**
 * One report waiting for DataFast's confirmation: the exact body to POST, keyed by its
 * `transaction_id` (one entry per payment, so the same payment tracked twice is stored once).
 *
 * @example
 * { id: 'pi_123', body: { amount: 29.99, currency: 'USD', transaction_id: 'pi_123', timestamp: '…' }, createdAt: 1767225600000 }
 */
export interface OutboxEntry {
  /** The body's `transaction_id`. */
  id: string;
  /** What is sent: validated, with its `timestamp` fixed when it was tracked. */
  body: PaymentBody;
  /** When it was tracked (ms since the epoch); entries older than `maxAgeMs` are given up. */
  createdAt: number;
}

/**
 * What a sweep asks {@link Outbox.list} for.
 *
 * @example
 * outbox.list({ limit: 10_000 }) // the oldest 10,000 entries
 */
export interface OutboxListOptions {
  /**
   * At most this many entries, the oldest: the client asks for what fits in its memory bound
   * (`maxQueueSize`), so an outbox holding millions is read a page at a time. An outbox may
   * ignore it and return every entry (the client then takes what fits).
   */
  limit?: number;
}

/**
 * Durable storage for reports not yet confirmed by DataFast, so that a crash, an OOM kill or a
 * deploy loses none of them. Back it with anything: the built-in file outbox
 * (`@datafast-checkout/core/file-outbox`), SQLite, Redis, your database.
 *
 * `put` runs inside `track`, before it returns: a synchronous `put` (a file, `node:sqlite`,
 * better-sqlite3) makes the report durable by the time `track` returns; an asynchronous one
 * (Redis) once its promise resolves. Deliveries are at least once: an entry delivered just before
 * a crash is delivered again after it, and DataFast's deduplication on `transaction_id` counts it
 * once.
 *
 * @example
 * const outbox: Outbox = {
 *   put: (entry) => db.prepare('INSERT OR IGNORE INTO outbox VALUES (?, ?)').run(entry.id, JSON.stringify(entry)),
 *   delete: (id) => db.prepare('DELETE FROM outbox WHERE id = ?').run(id),
 *   list: () => db.prepare('SELECT json FROM outbox').all().map((row) => JSON.parse(row.json)),
 * }
 */
export interface Outbox {
  /** Stores an entry. An entry with the same `id` already stored may be kept or replaced. */
  put(entry: OutboxEntry): void | Promise<void>;
  /** Forgets a delivered (or finally refused) entry. Unknown ids are not an error. */
  delete(id: string): void | Promise<void>;
  /**
   * Every stored entry, oldest first, or the oldest `options.limit` of them: read at start-up
   * and on each sweep.
   */
  list(options?: OutboxListOptions): OutboxEntry[] | Promise<OutboxEntry[]>;
}

/**
 * A lease on one outbox entry: who holds it, and for how long from now. The engine measures the
 * `ms` on its own clock (PostgreSQL's `now()`, Redis's `TIME`), never on the caller's, so
 * processes whose clocks disagree still never hold one entry at once.
 *
 * @example
 * { owner: 'a3f9c2…', ms: 30_000 } // held by this client for the next 30 seconds
 */
export interface OutboxLease {
  /** The holder: a stable random id per client instance (one process may run several). */
  owner: string;
  /** How long the lease holds, in milliseconds from now on the engine's clock. */
  ms: number;
}

/**
 * What {@link SharedOutbox.claim} asks for.
 *
 * @example
 * outbox.claim({ limit: 100, lease: { owner, ms: 30_000 } })
 */
export interface OutboxClaimOptions {
  /** At most this many entries, the oldest due ones first. */
  limit: number;
  /** The lease every claimed entry gets. */
  lease: OutboxLease;
}

/**
 * An outbox several processes share (`@datafast-checkout/postgres`, `@datafast-checkout/redis`):
 * every attempt is made under a lease, so two processes never send one report at the same moment,
 * and a dead process's entries return to the pool when its lease lapses. An entry is *due* when
 * no lease holds it (its lease lapsed: a new entry's first lease, a retry delay, a dead holder).
 *
 * Deliveries stay at least once: a process that stalls past its lease (a frozen serverless
 * function, a long GC pause) may send a report that another process sends again after it, and
 * DataFast's deduplication on `transaction_id` counts it once. What the lease rules out is two
 * processes retrying one report side by side for as long as DataFast is down.
 *
 * Every method may reject (the engine is unreachable): the client catches it, never throws into
 * `track`, and keeps the report in memory (a failed `put`) or retries it later. It waits at most
 * `timeoutMs` for `put`, `claim` and `renew`, then goes on as if the call had failed.
 *
 * @example
 * import { postgresOutbox } from '@datafast-checkout/postgres';
 * const datafast = createDatafast({ outbox: postgresOutbox({ pool }) });
 */
export interface SharedOutbox {
  /** Marks the outbox as shared: the client then claims and leases instead of listing. */
  readonly shared: true;
  /**
   * Stores the entry, leased to `lease.owner` for `lease.ms` (the tracking process makes the
   * first attempt; if it dies, the entry is due when the lease lapses). Resolves `true` when this
   * call stored it, `false` when an entry with this id was already stored: that entry is left
   * untouched (body, lease and due time).
   */
  put(entry: OutboxEntry, lease: OutboxLease): Promise<boolean>;
  /**
   * Atomically leases up to `options.limit` due entries (no lease holds them), oldest
   * (`createdAt`) first, to `options.lease.owner` for `options.lease.ms`. Two concurrent callers
   * never receive the same entry while the lease it got holds.
   */
  claim(options: OutboxClaimOptions): Promise<OutboxEntry[]>;
  /**
   * Takes or extends the lease on one entry: resolves `true` (and sets the lease to `lease.ms`
   * from now) when the entry exists and is held by `lease.owner` or its lease has lapsed; `false`
   * when it is gone (delivered) or another owner's lease holds. The client renews before each
   * attempt, and after a failed attempt with `ms` = the retry delay, so that, if this process
   * dies, the entry is due again when it would have been retried.
   */
  renew(id: string, lease: OutboxLease): Promise<boolean>;
  /** Forgets a delivered (or finally refused) entry, whoever holds it. Unknown ids are not an error. */
  delete(id: string): Promise<void>;
  /**
   * Stored entries, oldest first, held or not (for inspection and tests; the client claims
   * instead), or the oldest `options.limit` of them.
   */
  list(options?: OutboxListOptions): Promise<OutboxEntry[]>;
}

/** Tells a {@link SharedOutbox} from a plain {@link Outbox}. */
export function isSharedOutbox(outbox: Outbox | SharedOutbox): outbox is SharedOutbox {
  return (outbox as Partial<SharedOutbox>).shared === true;
}

/** A recovery page of a shared outbox: what the attempts in flight get through within a lease. */
export function sharedPage(concurrency: number): number {
  return Math.max(64, concurrency * 8);
}

/**
 * Stores an entry in a plain outbox, before `track` returns: `true` once stored (a synchronous
 * `put` is durable by then), `false` when it failed (logged: the report is delivered from memory
 * only). Never throws.
 *
 * @example
 * putInOutbox(outbox, entry, log) // true, or a promise of it for an asynchronous put
 */
export function putInOutbox(
  outbox: Outbox,
  entry: OutboxEntry,
  log: Log,
): boolean | Promise<boolean> {
  try {
    const result = outbox.put(entry);
    // Any thenable: a driver's own promise type, or a promise from another realm.
    return isPromiseLike(result)
      ? Promise.resolve(result).then(
          () => true,
          (error: unknown) => storeFailed(entry, error, log.error),
        )
      : true;
  } catch (error) {
    return storeFailed(entry, error, log.error);
  }
}

/** Logs that an outbox could not store a report; `false`, as the store's outcome. */
export function storeFailed(
  entry: OutboxEntry,
  error: unknown,
  logError: (message: string) => void,
): false {
  logError(
    `the outbox could not store payment ${describeId(entry.id)} (${messageOf(error)}): it is delivered from memory only`,
  );
  return false;
}

/** Any thenable: a native promise, a driver's own promise type, or a promise from another realm. */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
