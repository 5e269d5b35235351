import { describeId, messageOf } from './errors.js';
import type { Log } from './log.js';

/** Hands a promise to the platform so that the work outlives the response (Vercel, Workers). */
export type WaitUntil = (promise: Promise<unknown>) => void;

const vercelRequestContext = Symbol.for('@vercel/request-context');

/**
 * Vercel's per-request `waitUntil`, read from the request context its runtime installs (what
 * `@vercel/functions` reads too), so that a frozen function does not lose a report. No
 * dependency; `undefined` anywhere else.
 *
 * @example
 * vercelWaitUntil()?.(delivery) // on Vercel: the function lives until `delivery` settles
 */
export function vercelWaitUntil(): WaitUntil | undefined {
  try {
    const holder = (globalThis as Record<symbol, { get?: () => unknown } | undefined>)[
      vercelRequestContext
    ];
    const context = holder?.get?.() as { waitUntil?: unknown } | undefined;
    const waitUntil = context?.waitUntil;
    return typeof waitUntil === 'function'
      ? (promise) => (waitUntil as WaitUntil).call(context, promise)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hands the first round of report `id`'s delivery to the platform's `waitUntil`: the call's or
 * the client's (`explicit`), else Vercel's request context when there is one. A `waitUntil`
 * that throws (outside a request scope) costs nothing: the client still delivers.
 *
 * @example
 * handToWaitUntil('pi_123', firstRound, options.waitUntil, log)
 */
export function handToWaitUntil(
  id: string,
  firstRound: Promise<void>,
  explicit: WaitUntil | undefined,
  log: Log,
): void {
  const waitUntil = explicit ?? vercelWaitUntil();
  if (!waitUntil) return;
  try {
    waitUntil(firstRound);
    log.debug(
      () =>
        `payment ${describeId(id)} handed to ${explicit ? 'the platform' : "Vercel's request context"}'s waitUntil`,
    );
  } catch (error) {
    log.warn(
      `waitUntil refused the delivery (${messageOf(error)}); it continues in the background`,
    );
  }
}
