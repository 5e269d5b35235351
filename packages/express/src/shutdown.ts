import type { Datafast } from '@datafast-checkout/core';
import type { DatafastMiddleware } from './middleware.js';

/** Options of {@link flushOnShutdown}. */
export interface FlushOnShutdownOptions {
  /** Longest wait for pending reports once a signal arrives. Default 5 000 ms. */
  timeoutMs?: number;
  /** Signals to handle. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
}

// Marks our own listeners, so that several flushOnShutdown calls do not count as "the app's own
// handler" for each other.
const ownListener = Symbol.for('@datafast-checkout/express.flushOnShutdown');

/**
 * On SIGTERM or SIGINT, waits (at most `timeoutMs`) for the payment reports still in flight, so
 * a deploy or restart does not drop them. Then, if the app has no handler of its own for the
 * signal, it re-raises it: the process ends exactly as it would have without this helper. If the
 * app does handle the signal, that handler keeps deciding when to exit (and should not call
 * `process.exit` before the flush: `await middleware.client.flush(5000)` there instead).
 * A second signal stops waiting. Returns a function that removes the handlers.
 *
 * @example
 * flushOnShutdown(middleware) // where const middleware = datafast(); app.use(middleware)
 */
export function flushOnShutdown(
  target: Datafast | DatafastMiddleware,
  options: FlushOnShutdownOptions = {},
): () => void {
  const client = 'client' in target ? target.client : target;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let flushing = false;
  let finished = false;

  const remove = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };

  const appHandles = (signal: NodeJS.Signals) =>
    process.listeners(signal).some((listener) => !(ownListener in listener));

  // Re-raised only when nothing else listens any more, so several flushOnShutdown calls compose
  // (the last one to finish ends the process).
  const finish = (signal: NodeJS.Signals, appHandlesSignal: boolean) => {
    if (finished) return;
    finished = true;
    remove();
    if (!appHandlesSignal && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  function onSignal(signal: NodeJS.Signals): void {
    // Looked at now, while the app's `once` listeners are still registered (ours runs first).
    const appHandlesSignal = appHandles(signal);
    if (flushing) {
      finish(signal, appHandlesSignal);
      return;
    }
    flushing = true;
    const done = (result?: { settled: boolean; pending: number }) => {
      if (finished) return;
      if (result && !result.settled) {
        console.warn(
          `[datafast-checkout] ${result.pending} payment report(s) still pending after ${timeoutMs} ms; exiting on ${signal}`,
        );
      }
      finish(signal, appHandlesSignal);
    };
    client.flush(timeoutMs).then(done, () => done());
  }
  Object.defineProperty(onSignal, ownListener, { value: true });

  for (const signal of signals) process.prependListener(signal, onSignal);
  return remove;
}
