/**
 * The longest delay a timer can wait: Node (like browsers) stores it in 32 bits and fires a
 * longer one at once, so `latencyMs: 1e12` would mean about 1 ms. Every timer-backed setting is
 * checked against it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `value` as a delay a timer can wait, or a `TypeError` naming `name`.
 *
 * @example
 * milliseconds(200, 'latencyMs') // 200
 */
export function milliseconds(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_TIMER_MS)) {
    throw new TypeError(
      `${name} must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (about 24.8 days)`,
    );
  }
  return value;
}

/** Waits `ms`, unless `signal` aborts first; resolves `false` then. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
