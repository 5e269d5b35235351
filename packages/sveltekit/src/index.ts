// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export type { TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export { type DatafastHandleOptions, datafastHandle } from './deprecated-handle.js';
export { type DatafastHandle, datafast } from './handle.js';
export { datafastProxy, datafastProxyHandle } from './proxy.js';
export { getDatafast } from './request.js';
