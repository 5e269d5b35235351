// Marks flushOnShutdown's own listeners, so that several flushOnShutdown calls do not count as
// "the app's own handler" for each other.
export const ownListener = Symbol.for('@datafast-checkout/express.flushOnShutdown');

/** True for a signal listener added by `flushOnShutdown` (from any copy of this package). */
export function isOwnListener(listener: unknown): boolean {
  return typeof listener === 'function' && ownListener in listener;
}

/**
 * How many listeners of a signal belong to signal-exit (v4 and v3, every loaded copy), which
 * many libraries use for exit hooks. signal-exit never ends the process while another listener
 * is registered: it acts only when its own listeners are the only ones left, and then runs its
 * exit hooks and re-raises. So its listeners do not mean "the app handles this signal". Each
 * loaded copy registers one listener per signal and counts itself in its shared emitter, the
 * same count signal-exit compares against.
 */
export function signalExitListenerCount(): number {
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[
    Symbol.for('signal-exit emitter')
  ]?.count;
  const v3 = (process as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__
    ?.count;
  return (typeof v4 === 'number' ? v4 : 0) + (typeof v3 === 'number' ? v3 : 0);
}

/**
 * True when something other than flushOnShutdown and signal-exit listens for `signal`: the app's
 * own handler, which decides when the process exits.
 */
export function appHandles(signal: NodeJS.Signals): boolean {
  const others = process.listeners(signal).filter((listener) => !isOwnListener(listener));
  return others.length > signalExitListenerCount();
}
