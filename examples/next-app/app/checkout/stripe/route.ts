import { checkoutSessionParams } from '@datafast-checkout/payment-links/stripe';
import { stripe } from '@/lib/stripe';

// "Pay with Checkout": a Checkout Session carrying the visitor of the cookie in its metadata,
// then Stripe's hosted page. A plain form post, so it works without JavaScript; the webhook and
// /success report the payment, as for the payment link.
export async function POST(request: Request): Promise<Response> {
  if (!stripe) {
    return new Response('Stripe is not configured: set STRIPE_SECRET_KEY', { status: 503 });
  }
  // In production, your site's own URL rather than the request's.
  const origin = new URL(request.url).origin;
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
    ...checkoutSessionParams(request, 'payment'),
  });
  return Response.redirect(session.url as string, 303);
}
