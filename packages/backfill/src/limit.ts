/**
 * Runs at most `concurrency` tasks at once, in the order they were queued.
 *
 * @example
 * const limit = limiter(8); await Promise.all(items.map((item) => limit(() => send(item))))
 */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    running--;
    waiting.shift()?.();
  };
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}
