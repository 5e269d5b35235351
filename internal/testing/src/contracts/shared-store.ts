import { describe, expect, it } from 'vitest';
import type { SharedStore } from '../../../../packages/payment-links/src/store.js';

/** What {@link sharedStoreContract} needs from an engine's test file. */
export interface SharedStoreContractOptions {
  /** A new, empty store for each test. */
  make(): SharedStore | Promise<SharedStore>;
  dispose?(store: SharedStore): void | Promise<void>;
  /** A TTL the expiry test waits out, and how long it waits. Default 50 ms and 250 ms. */
  shortTtlMs?: number;
  expiryWaitMs?: number;
}

const long = { ttlMs: 60_000 };

/**
 * The rules every payment-links {@link SharedStore} keeps, as a vitest suite. Each engine's
 * package runs it against its real server; payment-links runs it against `memoryStore`. The
 * expiry test waits for a TTL to run out: that wait is what it tests.
 *
 * @example
 * sharedStoreContract({ make: () => redisStore({ client, prefix: freshPrefix() }) })
 */
export function sharedStoreContract(options: SharedStoreContractOptions): void {
  const shortTtl = { ttlMs: options.shortTtlMs ?? 50 };
  const expiry = () => new Promise((resolve) => setTimeout(resolve, options.expiryWaitMs ?? 250));

  async function withStore(test: (store: SharedStore) => Promise<void>): Promise<void> {
    const store = await options.make();
    try {
      await test(store);
    } finally {
      await options.dispose?.(store);
    }
  }

  describe('SharedStore contract', () => {
    it('get reads what set stored, undefined for an unknown key; set replaces', () =>
      withStore(async (store) => {
        expect(await store.get('stripe:delivered:pi_1')).toBeUndefined();
        await store.set('stripe:delivered:pi_1', '1', long);
        await store.set('key with spaces, ünïcode and\nnewline', 'v ✓', long);
        expect(await store.get('stripe:delivered:pi_1')).toBe('1');
        expect(await store.get('key with spaces, ünïcode and\nnewline')).toBe('v ✓');
        await store.set('stripe:delivered:pi_1', '2', long);
        expect(await store.get('stripe:delivered:pi_1')).toBe('2');
      }));

    it('a key is forgotten once its TTL lapses', () =>
      withStore(async (store) => {
        await store.set('short', '1', shortTtl);
        await store.raise('short-total', 5, shortTtl);
        await store.set('long', '1', long);
        await expiry();
        expect(await store.get('short')).toBeUndefined();
        expect(await store.get('short-total')).toBeUndefined();
        expect(await store.raise('short-total', 3, long)).toBe(3);
        expect(await store.get('long')).toBe('1');
      }));

    it('delete forgets a key; an unknown key is not an error', () =>
      withStore(async (store) => {
        await store.set('a', '1', long);
        await store.delete('a');
        await store.delete('never-set');
        expect(await store.get('a')).toBeUndefined();
      }));

    it('raise stores a larger integer, keeps a larger one, and resolves what is stored', () =>
      withStore(async (store) => {
        expect(await store.raise('ls_order_1', 1500, long)).toBe(1500);
        expect(await store.raise('ls_order_1', 900, long)).toBe(1500);
        expect(await store.raise('ls_order_1', 1500, long)).toBe(1500);
        expect(await store.raise('ls_order_1', 2500, long)).toBe(2500);
        expect(await store.get('ls_order_1')).toBe('2500');
        // Past 2^31 and up to 2^53 - 1: minor units of large totals.
        expect(await store.raise('big', 9_007_199_254_740_991, long)).toBe(9_007_199_254_740_991);
      }));

    it('concurrent raises end at the maximum, and none sees less than its own value', () =>
      withStore(async (store) => {
        const values = Array.from({ length: 40 }, (_, i) => ((i * 7919) % 40) * 100 + 100);
        const seen = await Promise.all(values.map((value) => store.raise('race', value, long)));
        for (const [i, result] of seen.entries()) {
          expect(result).toBeGreaterThanOrEqual(values[i] as number);
        }
        expect(await store.get('race')).toBe(String(Math.max(...values)));
      }));
  });
}
