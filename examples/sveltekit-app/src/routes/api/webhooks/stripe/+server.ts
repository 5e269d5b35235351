import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import { env } from '$env/dynamic/private';
import { getStripe } from '$lib/server/stripe';
import type { RequestHandler } from './$types';

let webhook: ((request: Request) => Promise<Response>) | undefined;

// Stripe's signed events, checked on the untouched request body with STRIPE_WEBHOOK_SECRET.
// DataFast is awaited here, on purpose: a 5xx makes Stripe redeliver. The Stripe client finds
// the visitor of refunds and early invoices. Made on the first event, when the env is loaded.
export const POST: RequestHandler = ({ request }) => {
  webhook ??= stripeWebhook({ secret: env.STRIPE_WEBHOOK_SECRET, stripe: getStripe() });
  return webhook(request);
};
