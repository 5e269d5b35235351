// `@datafast-checkout/nuxt/server`: what server code imports (Nitro plugins, middleware, routes).
// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export type { ClientIpSource, TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export {
  type DatafastNitroPlugin,
  type DatafastPluginOptions,
  datafast,
  getDatafast,
  type NitroAppHooks,
} from './context.js';
export { type DatafastProxyOptions, datafastProxy, type H3ClientIpOption } from './proxy.js';
