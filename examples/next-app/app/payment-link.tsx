'use client';

import { decoratePaymentLinks, defaultCarriers } from '@datafast-checkout/payment-links/browser';
import { useEffect } from 'react';

/**
 * A Stripe payment link. `decoratePaymentLinks` adds the visitor's `datafast_visitor_id` to it as
 * `client_reference_id`, so the webhook can attribute the payment: buy.stripe.com links, and a
 * link on its own host (a custom domain, or the local devserver's stand-in checkout).
 */
export function PaymentLink({ href }: { href: string }) {
  useEffect(
    () =>
      decoratePaymentLinks({ ...defaultCarriers, [new URL(href).hostname]: 'client_reference_id' }),
    [href],
  );
  return <a href={href}>Buy with a payment link</a>;
}
