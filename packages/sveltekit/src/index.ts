// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export type { TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export { type DatafastHandleOptions, datafastHandle } from './handle.js';
export { datafastProxyHandle } from './proxy.js';
