export { checkoutMetadata, type DatafastMetadata } from '../carriers.js';
export type { LemonSqueezyApiOptions } from './api.js';
export { withLemonSqueezyCustomData } from './carriers.js';
export {
  type LemonSqueezyEvent,
  type LemonSqueezyEventMapping,
  type LemonSqueezyRefundTotal,
  mapLemonSqueezyEvent,
  paymentFromLemonSqueezyOrder,
  refundIncrement,
} from './mapping.js';
export { refundRecord } from './refunds.js';
export { type LemonSqueezyOrderOptions, lemonSqueezyOrder } from './success.js';
export {
  type LemonSqueezyWebhookOptions,
  lemonSqueezyWebhook,
  type RefundTotals,
} from './webhook.js';
