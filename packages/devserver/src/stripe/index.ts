// The Stripe stand-in's one entry for the rest of the devserver: the DataFast part imports from
// here only, so the boundary between the two stays visible (the README's "Stripe stand-in").
export { handleCheckoutPage, handleSessionPage } from './checkout-page.js';
export { handleStripeControl } from './control.js';
export type { EventRecord } from './deliveries.js';
export { stripeKeyFor, webhookSecretFor } from './ids.js';
export {
  httpUrl,
  type PaymentLink,
  type PaymentLinkConfig,
  parsePaymentLink,
  webhookSecret,
} from './links.js';
export { minorUnitDigits } from './money.js';
export type { StripeObject } from './objects.js';
export { type DevServerStripe, type StripeData, StripeService } from './service.js';
export type { StripeSummary } from './summary.js';
