// Next.js: app/thanks/route.ts
import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { lemonSqueezyOrder } from '@datafast-checkout/payment-links/lemonsqueezy';
import { after } from 'next/server';

export const GET = onPaymentSucceeded(
  lemonSqueezyOrder(),
  (request) => Response.redirect(new URL('/welcome', request.url), 303),
  { waitUntil: after },
);

export {};
