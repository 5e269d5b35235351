// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
// On Node, Bun and Deno, where the app owns its process: reports in flight on SIGTERM/SIGINT.
export {
  type FlushOnShutdownOptions,
  type FlushOnShutdownTarget,
  flushOnShutdown,
  type ShutdownSignal,
} from '@datafast-checkout/core/node';
export type { ClientIpSource, TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export {
  type DatafastMiddleware,
  type DatafastVariables,
  datafast,
  getDatafast,
} from './middleware.js';
export { type DatafastProxyOptions, datafastProxy, type HonoClientIpOption } from './proxy.js';
