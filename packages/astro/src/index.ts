// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export type { ClientIpSource, TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export type { AstroClientIpOption } from './client-ip.js';
export { type DatafastMiddleware, datafast, getDatafast } from './middleware.js';
export { type DatafastProxyOptions, datafastProxy } from './proxy.js';
