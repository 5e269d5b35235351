import { onPaymentSucceeded } from '@datafast-checkout/payment-links';
import { stripeCheckoutSession } from '@datafast-checkout/payment-links/stripe';
import type { ServerLoad } from '@sveltejs/kit';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
const reportPayment = onPaymentSucceeded(stripeCheckoutSession(stripe));

export const load: ServerLoad = async ({ request, url }) => {
  const payment = await reportPayment(request);
  return { paid: payment !== null, sessionId: url.searchParams.get('session_id') };
};

export {};
