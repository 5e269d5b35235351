import {
  onPaymentSucceeded,
  type PaymentInput,
  type PaymentSucceededHandler,
} from '@datafast-checkout/payment-links';
import { stripeCheckoutSession } from '@datafast-checkout/payment-links/stripe';
import { error } from '@sveltejs/kit';
import { getStripe } from '$lib/server/stripe';
import type { PageServerLoad } from './$types';

let reportPayment: PaymentSucceededHandler<PaymentInput | null> | undefined;

// The payment link's success URL: /success?session_id={CHECKOUT_SESSION_ID}. The session is
// looked up with STRIPE_SECRET_KEY and reported with the webhook's id, so reloads (and the
// webhook) count once. The report is sent in the background; the page does not wait for it.
export const load: PageServerLoad = async ({ request }) => {
  const stripe = getStripe();
  if (!stripe) error(503, 'Stripe is not configured: set STRIPE_SECRET_KEY');
  reportPayment ??= onPaymentSucceeded(stripeCheckoutSession(stripe));
  const payment = await reportPayment(request);
  return { paid: payment && { amount: payment.amount, currency: payment.currency } };
};
