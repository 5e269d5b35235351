// Next.js: app/thanks/route.ts
import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { creemCheckout } from '@datafast-checkout/payment-links/creem';
import { after } from 'next/server';

export const GET = onPaymentSucceeded(creemCheckout(), () => new Response('Thanks!'), {
  waitUntil: after,
});

export {};
