/** Lets Node exit while the timer waits (`unref` exists only on Node's timers). */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

/**
 * `work`, or a rejection once `ms` have passed without it settling: a store whose driver never
 * times out (a partitioned engine) must not hold a report, a delivery slot or `flush` forever.
 *
 * @example
 * await bounded(outbox.claim(options), 10_000, 'claim') // rejects: "the outbox did not answer claim within 10000 ms"
 */
export function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the outbox did not answer ${what} within ${ms} ms`)),
      ms,
    );
    unref(timer);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
