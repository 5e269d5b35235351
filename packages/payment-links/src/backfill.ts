/**
 * `@datafast-checkout/payment-links/backfill`: what `@datafast-checkout/backfill` needs to report
 * a provider's past payments exactly as the webhook handlers report them: each provider's
 * event-to-payments function (the mapping, the renewal rule and the visitor lookups its webhook
 * runs), the provider API clients and a time budget per event. One piece serves both paths, so a
 * payment listed by the backfill and the same payment's webhook count once in DataFast.
 *
 * Made for the backfill package; semver-covered like every other export, though most apps need
 * none of it.
 */

export { type CreemApiOptions, creemApi } from './creem/api.js';
export type { CreemEvent } from './creem/mapping.js';
export { creemEventPayments } from './creem/webhook.js';
export { createDeadline, type Deadline } from './deadline.js';
export type { Delivery } from './delivery.js';
export { type DodoApiOptions, dodoApi } from './dodo/api.js';
export type { DodoEvent } from './dodo/mapping.js';
export { dodoEventPayments } from './dodo/webhook.js';
export { type Json, record } from './fields.js';
export { type LemonSqueezyApiOptions, lemonSqueezyApi } from './lemonsqueezy/api.js';
export type { LemonSqueezyEvent } from './lemonsqueezy/mapping.js';
export { lemonSqueezyEventPayments } from './lemonsqueezy/webhook.js';
export type { WebhookOutcome } from './outcome.js';
export { type PaddleApiOptions, paddleApi } from './paddle/api.js';
export type { PaddleEvent } from './paddle/mapping.js';
export { paddleEventPayments } from './paddle/webhook.js';
export { type PolarApiOptions, polarApi } from './polar/api.js';
export type { PolarEvent } from './polar/mapping.js';
export { polarEventPayments } from './polar/webhook.js';
export {
  getJson,
  lookupFailureKind,
  type ProviderApi,
  ProviderApiError,
} from './provider-api.js';
export type { AttributedPayment } from './reports.js';
export type { StripeClient, StripeEventLike } from './stripe/types.js';
export { stripeEventPayments } from './stripe/webhook.js';
