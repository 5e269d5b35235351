import { type RedisClient, scriptRunner } from './client.js';
import { deleteKeyScript, getScript, raiseScript, setScript } from './scripts.js';

/**
 * Options of {@link redisStore}.
 *
 * @example
 * redisStore({ client, prefix: 'shop:' }) // keys shop:links:<key>
 */
export interface RedisStoreOptions {
  /** A connected node-redis 5 or ioredis client (or cluster), an Upstash `Redis`, or `{ eval }`. */
  client: RedisClient;
  /**
   * How long a command may go unanswered (the server away, the driver queueing while it
   * reconnects) before it rejects with a `RedisError`; default 5 000 ms. The webhook
   * handler then answers 5xx and the provider redelivers the event.
   */
  timeoutMs?: number;
  /** Prepended to every key; default `'datafast:'`. */
  prefix?: string;
}

/** How long a {@link RedisStore} keeps a key: milliseconds from now, on Redis's clock. */
export interface StoreEntryOptions {
  ttlMs: number;
}

/**
 * Payment-links' `SharedStore`, restated here so that this package does not depend on
 * `@datafast-checkout/payment-links` (TypeScript matches the two by shape).
 */
export interface RedisStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options: StoreEntryOptions): Promise<void>;
  delete(key: string): Promise<void>;
  raise(key: string, value: number, options: StoreEntryOptions): Promise<number>;
}

/**
 * Payment-links' shared state in Redis: what webhook handlers remember across events (ids they
 * delivered, LemonSqueezy's refund totals), shared by every instance, each key expiring on
 * Redis's clock.
 *
 * @example
 * stripeWebhook({ store: redisStore({ client }) })
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const run = scriptRunner(options.client, options);
  const prefix = options.prefix ?? 'datafast:';
  const key = (name: string) => [`${prefix}links:${name}`];
  return {
    async get(name: string): Promise<string | undefined> {
      const value = await run('get', getScript, key(name), []);
      if (value === null || value === undefined) return undefined;
      // Upstash's client parses a reply that looks like JSON (automaticDeserialization): undo it.
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    },
    async set(name: string, value: string, { ttlMs }: StoreEntryOptions): Promise<void> {
      await run('set', setScript, key(name), [value, ttl(ttlMs)]);
    },
    async delete(name: string): Promise<void> {
      await run('delete', deleteKeyScript, key(name), []);
    },
    async raise(name: string, value: number, { ttlMs }: StoreEntryOptions): Promise<number> {
      if (!Number.isSafeInteger(value)) throw new TypeError('value must be a safe integer');
      return Number(await run('raise', raiseScript, key(name), [String(value), ttl(ttlMs)]));
    },
  };
}

/** A TTL as `SET ... PX` takes it: a whole number of milliseconds, at least 1. */
function ttl(ms: number): string {
  return String(Number.isFinite(ms) ? Math.max(1, Math.ceil(ms)) : 1);
}
