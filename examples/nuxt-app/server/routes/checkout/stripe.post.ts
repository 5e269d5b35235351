import { checkoutSessionParams } from '@datafast-checkout/payment-links/stripe';

// "Pay with Checkout": a Checkout Session carrying the visitor of the cookie in its metadata,
// then Stripe's hosted page. A plain form post, so it works without JavaScript.
export default defineEventHandler(async (event) => {
  const stripe = getStripe();
  if (!stripe) return stripeNotConfigured();
  // In production, your site's own URL rather than the request's Host.
  const { origin } = getRequestURL(event);
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      {
        price_data: { currency: 'usd', unit_amount: 2999, product_data: { name: 'Pro plan' } },
        quantity: 1,
      },
    ],
    success_url: `${origin}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${origin}/`,
    ...checkoutSessionParams(getRequestHeader(event, 'cookie'), 'payment'),
  });
  return sendRedirect(event, session.url as string, 303);
});
