import { checkoutSessionParams } from '@datafast-checkout/payment-links/stripe';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');

export async function POST(request: Request): Promise<Response> {
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: 'price_123', quantity: 1 }],
    success_url: 'https://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
    ...checkoutSessionParams(request, 'subscription'),
  });
  return Response.redirect(session.url ?? '/', 303);
}

export {};
