/** What `flush` found: whether everything settled in time, and how many deliveries are left. */
export interface FlushResult {
  settled: boolean;
  pending: number;
}

/**
 * A bounded set of background deliveries with a concurrency limit. It never holds more than
 * `maxSize` jobs (running or waiting), so memory stays flat however long DataFast is down; the
 * caller decides what to do with a job it refuses.
 */
export class DeliveryQueue {
  readonly #maxSize: number;
  readonly #concurrency: number;
  readonly #waiting: Array<() => void> = [];
  readonly #idleWaiters = new Set<() => void>();
  #running = 0;
  #pending = 0;

  constructor(maxSize: number, concurrency: number) {
    this.#maxSize = maxSize;
    this.#concurrency = concurrency;
  }

  /** Jobs running or waiting for a slot. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Runs `job` when a slot is free. Returns a promise that settles (never rejects) when the job
   * has, or `undefined` when the queue is full and the job was not taken.
   */
  push(job: () => Promise<void>): Promise<void> | undefined {
    if (this.#pending >= this.#maxSize) return undefined;
    this.#pending++;
    return new Promise<void>((resolve) => {
      const start = () => {
        this.#running++;
        Promise.resolve()
          .then(job)
          .catch(() => {})
          .finally(() => {
            this.#running--;
            this.#pending--;
            this.#waiting.shift()?.();
            if (this.#pending === 0) this.#notifyIdle();
            resolve();
          });
      };
      if (this.#running < this.#concurrency) start();
      else this.#waiting.push(start);
    });
  }

  /** Resolves when no job is left, or after `timeoutMs` with what is still pending. */
  flush(timeoutMs?: number): Promise<FlushResult> {
    if (this.#pending === 0) return Promise.resolve({ settled: true, pending: 0 });
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onIdle = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve({ settled: true, pending: 0 });
      };
      this.#idleWaiters.add(onIdle);
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () => {
            this.#idleWaiters.delete(onIdle);
            resolve({ settled: this.#pending === 0, pending: this.#pending });
          },
          Math.max(0, timeoutMs),
        );
      }
    });
  }

  #notifyIdle(): void {
    const waiters = [...this.#idleWaiters];
    this.#idleWaiters.clear();
    for (const waiter of waiters) waiter();
  }
}
