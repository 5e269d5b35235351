import type { WaitUntil } from './types.js';

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
