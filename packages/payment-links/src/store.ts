import { BoundedMap } from './memory.js';

/** How long a {@link SharedStore} keeps a key. */
export interface StoreEntryOptions {
  /** Milliseconds from now (on the store's clock) after which the key may be forgotten. */
  ttlMs: number;
}

/**
 * Where webhook handlers keep what they remember across events: the ids they delivered (a
 * shortcut past DataFast for a redelivered event) and, for LemonSqueezy, the largest refund
 * total recorded per order or invoice. The default is in memory, per handler and per process;
 * several instances or serverless functions share one through `@datafast-checkout/postgres`
 * (`postgresStore`) or `@datafast-checkout/redis` (`redisStore`), or your own. Keys are short
 * strings (at most a few hundred characters); values are short strings. Every method may reject
 * (the engine is unreachable): a failed delivered-id read or write only costs the shortcut (the
 * payment is sent, DataFast deduplicates it); a failed refund-total call answers 5xx, so the
 * provider redelivers the event.
 *
 * @example
 * stripeWebhook({ store: redisStore({ client }) })
 */
export interface SharedStore {
  /** The value stored under `key`, or `undefined` when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` (replacing any), kept at least `options.ttlMs`. */
  set(key: string, value: string, options: StoreEntryOptions): Promise<void>;
  /** Forgets `key`. An unknown key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Atomically raises the integer under `key` to `value`: stores `value` (kept at least
   * `options.ttlMs`) when the key is absent, expired or holds a smaller integer, and resolves the
   * integer stored afterwards (the larger of the two). Two processes calling it at once both see
   * the final maximum of what has been raised so far. Values are safe integers (minor units).
   */
  raise(key: string, value: number, options: StoreEntryOptions): Promise<number>;
}

/**
 * The default {@link SharedStore}: in this process's memory, at most `limit` keys (the least
 * recently written forgotten first), each until its `ttlMs` lapses.
 *
 * @example
 * lemonSqueezyWebhook({ store: memoryStore(50_000) })
 */
export function memoryStore(limit = 10_000): SharedStore {
  const entries = new BoundedMap<string, { value: string; expires: number }>(limit);
  const read = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expires <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry?.value;
  };
  const write = (key: string, value: string, { ttlMs }: StoreEntryOptions) => {
    entries.set(key, { value, expires: Date.now() + ttlMs });
  };
  return {
    get: async (key) => read(key),
    set: async (key, value, options) => write(key, value, options),
    delete: async (key) => {
      entries.delete(key);
    },
    raise: async (key, value, options) => {
      const current = Number(read(key));
      if (Number.isSafeInteger(current) && current >= value) return current;
      write(key, String(value), options);
      return value;
    },
  };
}
