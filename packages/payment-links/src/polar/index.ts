export { checkoutMetadata, type DatafastMetadata } from '../carriers.js';
export type { PolarApiOptions } from './api.js';
export { withPolarReferenceId } from './carriers.js';
export {
  mapPolarEvent,
  type PolarEvent,
  type PolarPaymentReport,
  paymentFromPolarOrder,
} from './mapping.js';
export { type PolarCheckoutOptions, polarCheckout } from './success.js';
export { type PolarWebhookOptions, polarWebhook } from './webhook.js';
