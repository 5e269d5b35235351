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
