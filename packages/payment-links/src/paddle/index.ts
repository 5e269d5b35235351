export { checkoutMetadata, type DatafastMetadata } from '../carriers.js';
export type { PaddleApiOptions } from './api.js';
export {
  mapPaddleEvent,
  type PaddleEvent,
  type PaddlePaymentReport,
  paymentFromPaddleTransaction,
} from './mapping.js';
export { type PaddleTransactionOptions, paddleTransaction } from './success.js';
export { checkPaddleSignature, type PaddleWebhookOptions, paddleWebhook } from './webhook.js';
