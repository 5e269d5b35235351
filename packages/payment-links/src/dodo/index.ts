export { checkoutMetadata, type DatafastMetadata } from '../carriers.js';
export type { DodoApiOptions } from './api.js';
export { withDodoMetadata } from './carriers.js';
export {
  type DodoEvent,
  type DodoPaymentReport,
  mapDodoEvent,
  paymentFromDodoPayment,
} from './mapping.js';
export { type DodoPaymentOptions, dodoPayment } from './success.js';
export { type DodoWebhookOptions, dodoWebhook } from './webhook.js';
