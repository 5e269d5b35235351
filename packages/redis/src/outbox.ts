import type {
  OutboxClaimOptions,
  OutboxEntry,
  OutboxLease,
  OutboxListOptions,
  SharedOutbox,
} from '@datafast-checkout/core';
import { type RedisClient, scriptRunner } from './client.js';
import { claimScript, deleteScript, listScript, putScript, renewScript } from './scripts.js';

/**
 * Options of {@link redisOutbox}.
 *
 * @example
 * redisOutbox({ client, prefix: 'shop:' }) // keys shop:{outbox}:entries, ...
 */
export interface RedisOutboxOptions {
  /** A connected node-redis 5 or ioredis client (or cluster), an Upstash `Redis`, or `{ eval }`. */
  client: RedisClient;
  /**
   * How long a command may go unanswered (the server away, the driver queueing while it
   * reconnects) before it rejects with a `RedisError`; default 5 000 ms. A report whose
   * `put` rejects is delivered from the process's memory, and reaches `onError` if that fails.
   */
  timeoutMs?: number;
  /**
   * Prepended to every key; default `'datafast:'`. The keys carry the hash tag `{outbox}`, so
   * they share one slot on Redis Cluster.
   */
  prefix?: string;
}

/**
 * How many lapsed leases one claim moves back to the due entries: a bound on a script's work
 * (Redis runs one script at a time), even when a million leases lapse at once after an outage.
 */
const lapsedPerClaim = 1000;

/**
 * An outbox in Redis that any number of processes share: each report is claimed under a lease
 * measured on Redis's clock, so two processes never send it at the same moment, and a dead
 * process's reports are due again once its lease lapses. A report is as durable as the server
 * keeps its writes: run Redis with `appendonly yes` and `appendfsync always` (see the README).
 *
 * @example
 * import { createClient } from 'redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const datafast = createDatafast({ outbox: redisOutbox({ client }) });
 */
export function redisOutbox(options: RedisOutboxOptions): SharedOutbox {
  const run = scriptRunner(options.client, options);
  const prefix = options.prefix ?? 'datafast:';
  if (typeof prefix !== 'string') throw new TypeError('prefix must be a string');
  const keys = ['entries', 'order', 'leases', 'ready', 'owners'].map(
    (name) => `${prefix}{outbox}:${name}`,
  );

  return {
    shared: true,
    async put(entry: OutboxEntry, lease: OutboxLease): Promise<boolean> {
      const stored = await run('put', putScript, keys, [
        entry.id,
        JSON.stringify(entry),
        lease.owner,
        leaseMs(lease),
        String(entry.createdAt),
      ]);
      return Number(stored) === 1;
    },
    async claim({ limit, lease }: OutboxClaimOptions): Promise<OutboxEntry[]> {
      const claimed = await run('claim', claimScript, keys, [
        String(positive(limit)),
        lease.owner,
        leaseMs(lease),
        String(lapsedPerClaim),
      ]);
      return entriesOf(claimed);
    },
    async renew(id: string, lease: OutboxLease): Promise<boolean> {
      const renewed = await run('renew', renewScript, keys, [id, lease.owner, leaseMs(lease)]);
      return Number(renewed) === 1;
    },
    async delete(id: string): Promise<void> {
      await run('delete', deleteScript, keys, [id]);
    },
    async list(listOptions: OutboxListOptions = {}): Promise<OutboxEntry[]> {
      const limit = listOptions.limit === undefined ? 0 : positive(listOptions.limit);
      return entriesOf(await run('list', listScript, keys, [String(limit)]));
    },
  };
}

/** A lease's milliseconds as Redis takes them: a whole number, at least 0. */
function leaseMs(lease: OutboxLease): string {
  return String(Number.isFinite(lease.ms) ? Math.max(0, Math.ceil(lease.ms)) : 0);
}

/** A count of at least 1 (a limit of 0 or less would mean "all" to ZRANGE). */
function positive(limit: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 1;
}

/**
 * The entries a script returned: JSON strings, or objects already (Upstash's client parses JSON
 * replies itself unless `automaticDeserialization` is off).
 */
function entriesOf(reply: unknown): OutboxEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((item) =>
    typeof item === 'string' ? (JSON.parse(item) as OutboxEntry) : (item as OutboxEntry),
  );
}
