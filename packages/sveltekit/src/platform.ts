import type { WaitUntil } from '@datafast-checkout/core';

interface WaitUntilHolder {
  waitUntil?: unknown;
}

/**
 * The adapter's `waitUntil`, bound to its owner: `platform.ctx` on Cloudflare, `platform.context`
 * on Vercel Edge, Netlify and older Cloudflare adapters. `undefined` on Node, where the process
 * outlives the response anyway. Bound because Workers' `waitUntil` throws when called detached.
 *
 * @example
 * platformWaitUntil(event.platform) // ctx.waitUntil bound to ctx, or undefined
 */
export function platformWaitUntil(platform: unknown): WaitUntil | undefined {
  if (!platform) return undefined; // adapter-node: no platform, nothing to allocate per request
  const holders = platform as { ctx?: WaitUntilHolder; context?: WaitUntilHolder } | undefined;
  for (const holder of [holders?.ctx, holders?.context]) {
    if (typeof holder?.waitUntil === 'function') {
      return holder.waitUntil.bind(holder) as WaitUntil;
    }
  }
  return undefined;
}
