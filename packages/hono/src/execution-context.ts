import type { WaitUntil } from '@datafast-checkout/core';
import type { Context } from 'hono';

// Hono's `c.executionCtx` throws an Error where there is none (Node, Bun, Deno): capturing its
// stack trace cost more than the rest of the middleware (about 25 µs a request on Node 20), so
// the read is made without one where the runtime lets us set the limit.
const V8Error = Error as ErrorConstructor & { stackTraceLimit: number };
const stackTraceLimitWritable =
  Object.getOwnPropertyDescriptor(V8Error, 'stackTraceLimit')?.writable === true;

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
  if (stackTraceLimitWritable) {
    const limit = V8Error.stackTraceLimit;
    V8Error.stackTraceLimit = 0;
    holder = readExecutionContext(c);
    V8Error.stackTraceLimit = limit;
  } else {
    holder = readExecutionContext(c);
  }
  return typeof holder?.waitUntil === 'function'
    ? (holder.waitUntil.bind(holder) as WaitUntil)
    : undefined;
}

function readExecutionContext(c: Context): { waitUntil?: unknown } | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined; // "This context has no ExecutionContext": Node, Bun, Deno
  }
}
