import { stripeWebhook } from '@datafast-checkout/payment-links/stripe';
import type { APIRoute } from 'astro';
import { stripe } from '@/lib/stripe';

// Stripe's signed events. Reads STRIPE_WEBHOOK_SECRET (503 "not configured" without it); the
// client finds the visitor of refunds and early invoices. `request` is the request as it
// arrived: Stripe signs the raw body.
const webhook = stripeWebhook({ stripe });
export const POST: APIRoute = ({ request }) => webhook(request);
