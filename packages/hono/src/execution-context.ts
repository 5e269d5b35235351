import type { WaitUntil } from '@datafast-checkout/core';
import type { Context } from 'hono';

/**
 * The runtime's `waitUntil`, bound to its owner: `c.executionCtx` on Cloudflare Workers (and
 * wherever `app.fetch` gets an execution context as its third argument). `undefined` on Node,
 * Bun and Deno, where Hono's `c.executionCtx` throws and the process outlives the response
 * anyway. Bound because Workers' `waitUntil` throws when called detached.
 *
 * @example
 * executionWaitUntil(c) // ctx.waitUntil bound to ctx on Workers, undefined on Node
 */
export function executionWaitUntil(c: Context): WaitUntil | undefined {
  let holder: { waitUntil?: unknown } | undefined;
  try {
    holder = c.executionCtx;
  } catch {
    return undefined; // "This context has no ExecutionContext": Node, Bun, Deno
  }
  return typeof holder?.waitUntil === 'function'
    ? (holder.waitUntil.bind(holder) as WaitUntil)
    : undefined;
}
