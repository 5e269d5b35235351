// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export type { TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export {
  type DatafastPlugin,
  type DatafastPluginOptions,
  datafast,
  getDatafast,
} from './plugin.js';
export { datafastProxy } from './proxy.js';
export { toFastify } from './web-handler.js';
