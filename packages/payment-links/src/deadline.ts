/** The time left for one event; lookups and deliveries share it. */
export interface Deadline {
  /** Milliseconds left, never below 1. */
  remaining(): number;
  /** Rejects with a timeout once the budget is spent. */
  bound<T>(work: Promise<T>, what: string): Promise<T>;
}

/**
 * A {@link Deadline} of `timeoutMs` from now: the time budget one event's lookups and deliveries
 * share.
 *
 * @example
 * const deadline = createDeadline(30_000)
 */
export function createDeadline(timeoutMs: number): Deadline {
  const at = Date.now() + timeoutMs;
  const remaining = () => Math.max(1, at - Date.now());
  return {
    remaining,
    bound(work, what) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} took longer than the webhook's ${timeoutMs} ms budget`)),
          remaining(),
        );
      });
      return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
    },
  };
}
