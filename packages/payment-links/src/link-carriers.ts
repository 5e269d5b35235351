// No imports: the browser decorator bundles this file as it is.

/**
 * The query parameter that carries the visitor id into each provider's hosted checkout, where
 * the provider keeps it for the webhook: Stripe Payment Links' `client_reference_id` (on the
 * Checkout Session), LemonSqueezy's custom checkout data (`meta.custom_data`), Polar checkout
 * links' `reference_id` (copied into the checkout's, then the order's, `metadata`), Creem's
 * `metadata[…]` and Dodo Payments' `metadata_…` link parameters (the payment's `metadata`).
 */
export const carrierParams = {
  stripe: 'client_reference_id',
  lemonsqueezy: 'checkout[custom][datafast_visitor_id]',
  polar: 'reference_id',
  creem: 'metadata[datafast_visitor_id]',
  dodo: 'metadata_datafast_visitor_id',
} as const;
