/**
 * A map that keeps at most `limit` entries, forgetting the least recently written first. What a
 * webhook handler remembers between deliveries (ids it delivered, refund totals) stays bounded
 * however long the process runs.
 *
 * @example
 * const delivered = new BoundedMap<string, true>(1000)
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();
  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.limit) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return this;
  }
}

/**
 * Runs work one at a time per key, in arrival order, within this process; keys with nothing
 * queued are forgotten, so it stays as small as the work in flight.
 *
 * @example
 * await queue.run('ls_order_1', () => replaceRefundRecord())
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
