// Everything from core too, so that one install is enough (as with every adapter).
export * from '@datafast-checkout/core';
export { attributePayment, type VisitorSources } from './attribution.js';
export { checkoutMetadata, type DatafastMetadata } from './carriers.js';
export { ProviderLookupError } from './errors.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  type NodeRequestish,
  type NodeResponseish,
  type ToExpressOptions,
  toExpress,
} from './express.js';
export { memoryStore, type SharedStore, type StoreEntryOptions } from './store.js';
export {
  type OnPaymentSucceededOptions,
  onPaymentSucceeded,
  type PaymentResolver,
  type PaymentSucceededHandler,
  type ResolvedPayment,
  type SuccessContext,
  type SuccessHandler,
} from './succeeded.js';
export {
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  WebhookConfigError,
  type WebhookOptions,
  WebhookPayloadError,
  WebhookSignatureError,
} from './webhook.js';
export type { WebsiteRouteInput, WebsiteRouting } from './websites.js';
