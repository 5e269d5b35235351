import { checkoutSessionParams } from '@datafast-checkout/payment-links/stripe';
import type { APIRoute } from 'astro';
import { notConfigured, stripe } from '@/lib/stripe';

/**
 * "Pay with Checkout": a Checkout Session carrying the visitor of the cookie in its metadata,
 * then Stripe's hosted page. A plain form post, so it works without JavaScript.
 */
export const POST: APIRoute = async ({ request, url, redirect }) => {
  if (!stripe) return notConfigured();
  // In production, your site's own URL. Astro's `url` says http://localhost:<port> unless
  // `security.allowedDomains` names the host, so the address the browser used comes from Host.
  const origin = `${url.protocol}//${request.headers.get('host') ?? url.host}`;
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
    ...checkoutSessionParams(request.headers.get('cookie'), 'payment'),
  });
  return redirect(session.url ?? '/', 303);
};
