// Everything from core too, so that one install is enough.
export * from '@datafast-checkout/core';
export { type DatafastHandleOptions, datafastHandle } from './handle.js';
