// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export type { TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export { type DatafastMiddleware, datafast, getDatafast } from './middleware.js';
export { datafastProxy } from './proxy.js';
export { type FlushOnShutdownOptions, flushOnShutdown } from './shutdown.js';
export type { DatafastRequest } from './types.js';
