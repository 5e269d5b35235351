// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
// One flushOnShutdown for every adapter whose app owns its process; it was Express's first.
export { type FlushOnShutdownOptions, flushOnShutdown } from '@datafast-checkout/core/node';
export type { TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export { type DatafastMiddleware, datafast, getDatafast } from './middleware.js';
export { datafastProxy } from './proxy.js';
export type { DatafastRequest } from './types.js';
