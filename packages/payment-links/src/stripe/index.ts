export {
  checkoutSessionParams,
  type DatafastCheckoutSessionParams,
  withClientReferenceId,
} from './carriers.js';
export { type StripeHostOptions, stripeClientOptions } from './client-options.js';
export {
  mapStripeEvent,
  paymentFromCheckoutSession,
  paymentFromInvoice,
  type StripeEventMapping,
  type StripePaymentReport,
} from './mapping.js';
export { type StripeCheckoutSessionOptions, stripeCheckoutSession } from './success.js';
export type {
  CheckoutSessionLike,
  InvoiceLike,
  RefundLike,
  StripeClient,
  StripeEventLike,
} from './types.js';
export { type StripeWebhookOptions, stripeWebhook } from './webhook.js';
