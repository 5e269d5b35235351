import { checkoutSessionParams } from '@datafast-checkout/payment-links/stripe';
import { error, redirect } from '@sveltejs/kit';
import { getStripe } from '$lib/server/stripe';
import type { RequestHandler } from './$types';

// "Pay with Checkout": a Checkout Session carrying the visitor of the cookie in its metadata,
// then Stripe's hosted page. A plain form post, so it works without JavaScript; the webhook and
// /success report the payment, as for the payment link.
export const POST: RequestHandler = async ({ request, url }) => {
  const stripe = getStripe();
  if (!stripe) error(503, 'Stripe is not configured: set STRIPE_SECRET_KEY');
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      {
        price_data: { currency: 'usd', unit_amount: 2999, product_data: { name: 'Pro plan' } },
        quantity: 1,
      },
    ],
    // url.origin is ORIGIN in production: the site's public address.
    success_url: `${url.origin}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${url.origin}/`,
    ...checkoutSessionParams(request, 'payment'),
  });
  redirect(303, session.url as string);
};
