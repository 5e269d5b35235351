// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export type { TrackerProxyOptions } from '@datafast-checkout/core/proxy';
export { type DatafastHandleOptions, datafastHandle, datafastProxyHandle } from './handle.js';
