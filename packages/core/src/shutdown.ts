// flushOnShutdown: the Node-process end of background delivery, for every adapter whose app owns
// its process (Express, Hono and Fastify on Node, Bun, Deno). Part of `@datafast-checkout/core/node`.
import { DatafastConfigError } from './errors.js';
import {
  appHandles,
  isOwnListener,
  ownListener,
  type ShutdownSignal,
  signalProcess,
} from './signal-listeners.js';
import type { Datafast } from './types.js';

export type { ShutdownSignal };

/** Options of {@link flushOnShutdown}. */
export interface FlushOnShutdownOptions {
  /**
   * Longest wait for pending reports once a signal arrives; the rest then reach `onError`.
   * Default 5 000 ms.
   */
  timeoutMs?: number;
  /** Signals to handle. Default `['SIGTERM', 'SIGINT']`. */
  signals?: ShutdownSignal[];
  /**
   * Whether to raise the signal again once the flush is over, so that the process ends by it.
   * `'auto'` (the default) re-raises unless the app has a signal handler of its own, which then
   * decides when to exit; signal-exit's listeners (used by many libraries for exit hooks) do
   * not count as one, since they only act when they are the last listeners. `true` always
   * re-raises, `false` never does.
   */
  reraise?: 'auto' | boolean;
}

/** What {@link flushOnShutdown} takes: a client, or an adapter's middleware that carries one. */
export type FlushOnShutdownTarget = Datafast | { readonly client: Datafast };

/**
 * On SIGTERM or SIGINT, waits (at most `timeoutMs`) for the payment reports still in flight, so
 * a deploy or restart does not drop them; what is still pending then is given up and handed to
 * `onError` with its payment (with an outbox, it stays there for the next process). Then, unless the app has a handler of its own for the
 * signal, it re-raises it: the process ends exactly as it would have without this helper
 * (libraries' signal-exit hooks run then). If the app does handle the signal, that handler keeps
 * deciding when to exit (and should not call `process.exit` before the flush:
 * `await middleware.client.shutdown(5000)` there instead); `reraise` overrides the choice.
 * A second signal stops waiting (what is pending then reaches `onError` at once). Returns a function that removes the handlers.
 *
 * Takes a client or anything with `.client` (the `datafast()` middleware of the Express and Hono
 * adapters). Where the runtime has no process signals (Workers, Edge) it does nothing: the
 * platform's `waitUntil` keeps reports alive there.
 *
 * @example
 * flushOnShutdown(middleware) // where const middleware = datafast(); app.use(middleware)
 */
export function flushOnShutdown(
  target: FlushOnShutdownTarget,
  options: FlushOnShutdownOptions = {},
): () => void {
  const client = 'client' in target ? target.client : target;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const reraise = options.reraise ?? 'auto';
  if (reraise !== 'auto' && typeof reraise !== 'boolean') {
    throw new DatafastConfigError(
      `flushOnShutdown: reraise must be 'auto', true or false (got ${JSON.stringify(reraise)})`,
    );
  }
  const proc = signalProcess();
  if (!proc) return () => {};
  let flushing = false;
  let finished = false;

  const remove = () => {
    for (const [signal, listener] of listeners) proc.off(signal, listener);
  };

  // Re-raised only once no other flushOnShutdown is still waiting, so several calls compose (the
  // last one to finish ends the process). Listeners left then (signal-exit's) see the signal
  // again as the last ones and end the process themselves, after their exit hooks.
  const finish = (signal: ShutdownSignal, shouldReraise: boolean) => {
    if (finished) return;
    finished = true;
    remove();
    if (shouldReraise && !proc.listeners(signal).some(isOwnListener)) {
      proc.kill(proc.pid, signal);
    }
  };

  const onSignal = (signal: ShutdownSignal): void => {
    // Looked at now, while the app's `once` listeners are still registered (ours runs first).
    const shouldReraise = reraise === 'auto' ? !appHandles(proc, signal) : reraise;
    const done = () => finish(signal, shouldReraise);
    // `shutdown` gives up what is still pending at the bound and hands each payment to
    // `onError` (or leaves it in the client's outbox), so no report is lost unreported. A second
    // signal gives up at once.
    const bound = flushing ? 0 : timeoutMs;
    flushing = true;
    client.shutdown(bound).then(done, done);
  };

  // One listener per signal, which knows its signal: Deno calls signal listeners without it.
  const listeners = new Map(
    signals.map((signal) => {
      const listener = () => onSignal(signal);
      Object.defineProperty(listener, ownListener, { value: true });
      return [signal, listener] as const;
    }),
  );
  for (const [signal, listener] of listeners) proc.prependListener(signal, listener);
  return remove;
}
