import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import type { APIRoute } from 'astro';

// As the README mounts it: STRIPE_WEBHOOK_SECRET and DATAFAST_API_KEY from the environment.
const webhook = stripeWebhook();
export const POST: APIRoute = ({ request }) => webhook(request);
