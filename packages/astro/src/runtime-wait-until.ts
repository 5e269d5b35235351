import type { WaitUntil } from '@datafast-checkout/core';

interface WaitUntilHolder {
  waitUntil?: unknown;
}

/** What Astro's serverless adapters put on `locals` for the request (read, never required). */
interface AdapterLocals {
  /** `@astrojs/cloudflare` for Astro 6 and later: the Worker's ExecutionContext. */
  cfContext?: WaitUntilHolder;
  /** `@astrojs/netlify`: the Netlify Functions (v2) context. */
  netlify?: { context?: WaitUntilHolder };
}

/**
 * The `waitUntil` of the adapter that serves this request, bound to its owner: `locals.cfContext`
 * on Cloudflare, `locals.netlify.context` on Netlify. `undefined` elsewhere: on `@astrojs/node`
 * the process outlives the response, and in Vercel's functions core finds Vercel's request
 * context by itself. Never `locals.runtime.ctx`: since Astro 6 the Cloudflare adapter's getter
 * for it throws. Bound because Workers' `waitUntil` throws when called detached.
 *
 * @example
 * runtimeWaitUntil(context.locals) // ctx.waitUntil bound to ctx on Cloudflare, else undefined
 */
export function runtimeWaitUntil(locals: object): WaitUntil | undefined {
  const adapter = locals as AdapterLocals;
  for (const holder of [adapter.cfContext, adapter.netlify?.context]) {
    if (typeof holder?.waitUntil === 'function') {
      return holder.waitUntil.bind(holder) as WaitUntil;
    }
  }
  return undefined;
}
