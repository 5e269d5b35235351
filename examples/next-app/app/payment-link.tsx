'use client';

import { decoratePaymentLinks } from '@datafast-checkout/payment-links/browser';
import { useEffect } from 'react';

/**
 * A Stripe payment link. `decoratePaymentLinks` adds the visitor's `datafast_visitor_id` to
 * buy.stripe.com links as `client_reference_id`, so the webhook can attribute the payment.
 */
export function PaymentLink({ href }: { href: string }) {
  useEffect(() => decoratePaymentLinks(), []);
  return <a href={href}>Buy with a payment link</a>;
}
