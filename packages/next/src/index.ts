// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export { type DatafastApiHandler, withDatafastApi } from './pages-api.js';
export { datafastProxy, datafastProxyRoute, type NextTrackerProxyOptions } from './proxy.js';
export {
  type DatafastRouteContext,
  type RouteHandlerContext,
  withDatafast,
} from './route-handler.js';
export { getDatafast } from './server-action.js';
