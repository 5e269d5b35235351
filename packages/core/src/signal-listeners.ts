// The signal listeners of the process as flushOnShutdown sees them: its own (from any copy of
// core, or of the Express adapter that held it before), signal-exit's, and the app's.
// Duck-typed: no `node:` import and no Node types, and `process` only where it exists.

/** A POSIX signal name, as Node, Bun and Deno's `process` take it: `'SIGTERM'`, `'SIGINT'`, … */
export type ShutdownSignal = `SIG${string}`;

type Listener = (...args: unknown[]) => void;

/** The parts of Node's `process` (also Bun's and Deno's) that flushOnShutdown uses. */
export interface SignalProcess {
  pid: number;
  prependListener(signal: ShutdownSignal, listener: Listener): unknown;
  off(signal: ShutdownSignal, listener: Listener): unknown;
  listeners(signal: ShutdownSignal): unknown[];
  kill(pid: number, signal: ShutdownSignal): unknown;
}

/**
 * The runtime's `process` where it can listen for signals (Node, Bun, Deno); `undefined` on
 * Workers, Edge and in browsers, where the platform ends requests, not processes.
 */
export function signalProcess(): SignalProcess | undefined {
  const candidate = (globalThis as { process?: Partial<SignalProcess> }).process;
  return typeof candidate?.prependListener === 'function' &&
    typeof candidate.off === 'function' &&
    typeof candidate.listeners === 'function' &&
    typeof candidate.kill === 'function' &&
    typeof candidate.pid === 'number'
    ? (candidate as SignalProcess)
    : undefined;
}

// Marks flushOnShutdown's own listeners, so that several flushOnShutdown calls do not count as
// "the app's own handler" for each other. The key is the one the Express adapter used before
// the helper moved to core, so that listeners of every copy (an older Express adapter, core
// through Hono) recognise each other in one process.
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
export function signalExitListenerCount(proc: SignalProcess): number {
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[
    Symbol.for('signal-exit emitter')
  ]?.count;
  const v3 = (proc as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__
    ?.count;
  return (typeof v4 === 'number' ? v4 : 0) + (typeof v3 === 'number' ? v3 : 0);
}

/**
 * True when something other than flushOnShutdown and signal-exit listens for `signal`: the app's
 * own handler, which decides when the process exits.
 */
export function appHandles(proc: SignalProcess, signal: ShutdownSignal): boolean {
  const others = proc.listeners(signal).filter((listener) => !isOwnListener(listener));
  return others.length > signalExitListenerCount(proc);
}
