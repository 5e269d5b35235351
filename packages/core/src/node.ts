// `@datafast-checkout/core/node`: what only adapters on a Node-like server need (Node, Bun, Deno):
// the Node request to Web Request conversion, and flushing reports on shutdown signals. Still
// no `node:` import, so that bundlers for other targets can load it.
export * from './node-request.js';
export {
  type FlushOnShutdownOptions,
  type FlushOnShutdownTarget,
  flushOnShutdown,
  type ShutdownSignal,
} from './shutdown.js';
