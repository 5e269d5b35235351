// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
// @astrojs/node installs no SIGTERM handler: this is the app's way to let reports finish.
export { type FlushOnShutdownOptions, flushOnShutdown } from '@datafast-checkout/core/node';
export type { ClientIpSource, TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export { type DatafastMiddleware, datafast, getDatafast } from './middleware.js';
export { type AstroClientIpOption, type DatafastProxyOptions, datafastProxy } from './proxy.js';
